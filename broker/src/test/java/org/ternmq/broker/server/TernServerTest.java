package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerSetting;

/** The command line: help lists every option, and bad input is refused with a clear message and status 2. */
class TernServerTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return TernServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        assertThat(run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (BrokerSetting s : BrokerSetting.values()) {
            assertThat(help).contains("--" + s.key());
        }
        assertThat(help).contains("default: 61616").contains("--config FILE").contains("tern admin");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() throws Exception {
        assertThat(run("--colour", "blue")).isEqualTo(2);
        assertThat(err()).contains("unknown option --colour");
        assertThat(run("--port")).isEqualTo(2);
        assertThat(err()).contains("--port needs a value");
        assertThat(run("--port", "seventy")).isEqualTo(2);
        assertThat(err()).contains("--port must be a whole number");
        assertThat(run("--port", "70000", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("must be -1 (off), 0 (any) or 1-65535");
        assertThat(run("--sync-policy", "sometimes")).isEqualTo(2);
        assertThat(err()).contains("must be one of NONE, ASYNC, DATA, DATA_AND_METADATA");
        assertThat(run("--journal-io-mode", "tape")).isEqualTo(2);
        assertThat(err()).contains("must be one of MAPPED, CHANNEL");
        assertThat(run("--journal-spin", "-5", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("journal-spin must be 0 (off) to 10000 microseconds, was -5");
        assertThat(run("--journal-agent-writes", "sometimes", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--journal-agent-writes must be true or false, was 'sometimes'");
        assertThat(run("--allow-anonymous", "maybe")).isEqualTo(2);
        assertThat(err()).contains("must be true or false");
        assertThat(run("--warm-up", "sometimes", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--warm-up must be true or false, was 'sometimes'");
        assertThat(run("--stop-timeout", "0")).isEqualTo(2);
        assertThat(err()).contains("--stop-timeout must be at least 1 (ms), was 0");
        assertThat(run("--stop-timeout", "soon")).isEqualTo(2);
        assertThat(err()).contains("--stop-timeout must be a duration such as 30s");
        assertThat(run("stray")).isEqualTo(2);
        assertThat(err()).contains("unexpected argument 'stray'");
    }

    @Test
    void badReplicationOptionsAreRefusedWithTheReason() throws Exception {
        String data = dir.resolve("d").toString();
        assertThat(run("--data-dir", data, "--backup-of", "nohost")).isEqualTo(2);
        assertThat(err()).contains("--backup-of must be host:port, was 'nohost'");
        assertThat(run("--data-dir", data, "--backup-of", "h:99999")).isEqualTo(2);
        assertThat(err()).contains("--backup-of must be host:port, was 'h:99999'");
        assertThat(run("--data-dir", data, "--backup-of", "h:1", "--replication-port", "63999")).isEqualTo(2);
        assertThat(err()).contains("exclude each other");
        assertThat(run("--data-dir", data, "--replication-port", "0", "--replication", "sometimes")).isEqualTo(2);
        assertThat(err()).contains("--replication must be sync or async, was 'sometimes'");
        assertThat(run("--data-dir", data, "--replication-port", "0", "--min-sync-replicas", "0")).isEqualTo(2);
        assertThat(err()).contains("min-sync-replicas must be at least 1, was 0");
        assertThat(run("--data-dir", data, "--replication-port", "0", "--persistence", "false")).isEqualTo(2);
        assertThat(err()).contains("replication needs --persistence true");
    }

    @Test
    void badZooKeeperOptionsAreRefusedWithTheReason() throws Exception {
        String data = dir.resolve("d").toString();
        assertThat(run("--data-dir", data, "--zookeeper", "127.0.0.1:2181")).isEqualTo(2);
        assertThat(err()).contains("--zookeeper needs --replication-port");
        assertThat(run("--data-dir", data, "--zookeeper", "127.0.0.1:2181", "--backup-of", "h:1")).isEqualTo(2);
        assertThat(err()).contains("--zookeeper and --backup-of exclude each other");
        assertThat(run("--data-dir", data, "--zookeeper", "nohost", "--replication-port", "0")).isEqualTo(2);
        assertThat(err()).contains("zookeeper must be host:port[,host:port...], was 'nohost'");
        assertThat(run("--data-dir", data, "--zookeeper", "h:1", "--replication-port", "0", "--zookeeper-path",
                "tern")).isEqualTo(2);
        assertThat(err()).contains("zookeeper-path must be an absolute znode path");
        assertThat(run("--data-dir", data, "--zookeeper", "h:1", "--replication-port", "0",
                "--zookeeper-session-timeout", "soon")).isEqualTo(2);
        assertThat(err()).contains("--zookeeper-session-timeout must be a duration such as 30s");
    }

    @Test
    void anUnreachableZooKeeperAtStartUpIsOneLineAndStartsNothing() throws Exception {
        int unused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        Path data = dir.resolve("d");
        assertThat(run("--data-dir", data.toString(), "--port", "0", "--zookeeper", "127.0.0.1:" + unused,
                "--zookeeper-connect-timeout", "500ms", "--replication-port", "0")).isEqualTo(1);
        assertThat(err().strip()).isEqualTo("tern: cannot reach ZooKeeper at 127.0.0.1:" + unused
                + " within 500 ms (is it running? see --zookeeper-connect-timeout); nothing was started");
        assertThat(Files.exists(data.resolve("journal"))).as("no journal was made").isFalse();
    }

    @Test
    void aBackupWhoseTlsCannotBeSetUpIsRefusedWithTheReason() throws Exception {
        String data = dir.resolve("d").toString();
        org.ternmq.broker.testing.TestCertificates.Issued ca = org.ternmq.broker.testing.TestCertificates.ca("CA");
        Path ks = org.ternmq.broker.testing.TestCertificates.keyStore(dir.resolve("b.p12"),
                org.ternmq.broker.testing.TestCertificates.issue(ca, "backup", "localhost"), "right");
        assertThat(run("--data-dir", data, "--backup-of", "127.0.0.1:62500", "--tls-key-store", ks.toString(),
                "--tls-key-store-password", "wrong")).isEqualTo(2);
        assertThat(err()).contains("TLS set-up of the replication link failed");
        assertThat(run("--data-dir", data, "--backup-of", "127.0.0.1:62500", "--replication-verify-host", "maybe"))
                .isEqualTo(2);
        assertThat(err()).contains("--replication-verify-host must be true or false, was 'maybe'");
    }

    @Test
    void aConfigFileWithProblemsIsRefusedBeforeAnythingStarts() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.writeString(config, "port=61617\npolicy.default.max-delivery-attempts=zero\n");
        assertThat(run("--config", config.toString())).isEqualTo(2);
        assertThat(err()).contains("max-delivery-attempts: must be a whole number");
        assertThat(run("--config", dir.resolve("missing.properties").toString())).isEqualTo(2);
        assertThat(err()).contains("does not exist");
    }

    @Test
    void sizesAndDurationsTakeUnits() throws Exception {
        org.ternmq.broker.BrokerConfig c = TernServer.toConfig(TernServer.parse(new String[] {
            "--max-frame-length", "4MiB", "--journal-segment-size", "64 MiB", "--producer-window", "512KiB",
            "--max-memory", "1GB", "--xa-timeout", "2m", "--expiry-scan-period", "500ms", "--data-dir", dir.toString()}));
        assertThat(c.maxFrameLength()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.journalSegmentSize()).isEqualTo(64 * 1024 * 1024);
        assertThat(c.producerWindow()).isEqualTo(512 * 1024);
        assertThat(c.maxMemory()).isEqualTo(1_000_000_000L);
        assertThat(c.xaTimeout()).isEqualTo(120_000);
        assertThat(c.expiryScanPeriod()).isEqualTo(500);
        assertThat(TernServer.stopTimeout(TernServer.parse(new String[] {"--stop-timeout", "30s"}).values())).isEqualTo(30_000);
    }

    @Test
    void everyBadValueIsReportedInOnePassByItsKey() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "port=sixty\nmax-frame-length=8 parsecs\nxa-timeout=soon\n");
        assertThat(run("--config", config.toString(), "--sync-policy", "sometimes", "--allow-anonymous", "maybe"))
                .isEqualTo(2);
        // those from the file are named as the file spells them, those from the command line as options
        assertThat(err()).contains(config + ": port must be a whole number, was 'sixty'")
                .contains(config + ": max-frame-length must be a size such as 8MiB")
                .contains(config + ": xa-timeout must be a duration such as 30s")
                .contains("--sync-policy must be one of").contains("--allow-anonymous must be true or false");
        assertThat(err().lines().count()).isEqualTo(1);
    }

    @Test
    void aMissingUsersFileOrAnUnusableDataDirectoryIsOneLine() throws Exception {
        // port 0, not -1: a broker without any acceptor would be a second problem, reported in the same line
        assertThat(run("--users", dir.resolve("nobody.properties").toString(), "--port", "0")).isEqualTo(2);
        assertThat(err()).isEqualTo("tern: --users: the users file " + dir.resolve("nobody.properties")
                + " does not exist\n");
        err.reset();
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(run("--data-dir", notADirectory.toString(), "--port", "0")).isEqualTo(1);
        assertThat(err()).startsWith("tern: cannot use the data directory " + notADirectory.toAbsolutePath())
                .endsWith("choose another with --data-dir\n");
        assertThat(err().lines().count()).isEqualTo(1);
    }
}
