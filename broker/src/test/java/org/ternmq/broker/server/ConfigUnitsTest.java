package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.broker.policy.PolicySetting;

/**
 * Sizes and durations take units everywhere, destination policies included, and a configuration's problems of every
 * kind (unknown keys, bad broker values, bad policy values, replication settings) come in one message naming each key.
 */
class ConfigUnitsTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return TernServer.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void policySizesAndDurationsTakeUnits() throws Exception {
        Path config = Files.writeString(dir.resolve("tern.properties"), String.join("\n",
                "policy.default.redelivery-delay=2s",
                "policy.default.max-redelivery-delay=5m",
                "policy.default.duplicate-window-time=1h",
                "policy.default.max-memory-bytes=8MiB",
                "policy.default.half-check-after=500ms",
                "policy.default.max-half-check-interval=10m",
                "policy.default.retention-time=7d",
                "policy.default.retention-max-bytes=1GiB",
                "policy.orders.match=orders.#",
                "policy.orders.redelivery-delay=1500",
                "policy.orders.max-memory-bytes=512 KiB", ""));
        TernServer.Parsed parsed = TernServer.parse(new String[] {"--config", config.toString()});
        assertThat(parsed.problems()).isEmpty();
        DestinationPolicy p = parsed.policies().policyFor("invoices");
        assertThat(p.redeliveryDelay()).isEqualTo(2_000);
        assertThat(p.maxRedeliveryDelay()).isEqualTo(300_000);
        assertThat(p.duplicateWindowTime()).isEqualTo(3_600_000);
        assertThat(p.maxMemoryBytes()).isEqualTo(8L << 20);
        assertThat(p.halfCheckAfter()).isEqualTo(500);
        assertThat(p.maxHalfCheckInterval()).isEqualTo(600_000);
        assertThat(p.retentionTime()).isEqualTo(7L * 86_400_000);
        assertThat(p.retentionMaxBytes()).isEqualTo(1L << 30);
        DestinationPolicy orders = parsed.policies().policyFor("orders.eu");
        assertThat(orders.redeliveryDelay()).isEqualTo(1_500);
        assertThat(orders.maxMemoryBytes()).isEqualTo(512 * 1024);
    }

    @Test
    void aBadPolicyUnitIsRefusedByItsKey() {
        for (PolicySetting s : new PolicySetting[] {PolicySetting.REDELIVERY_DELAY, PolicySetting.RETENTION_TIME}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.parse("3 fortnights"))
                    .hasMessageContaining("must be a duration such as 30s");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicySetting.MAX_MEMORY_BYTES.parse("0MiB"))
                .hasMessageContaining("must be at least 1 byte");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PolicySetting.MAX_MEMORY_BYTES.parse("99999999999GiB"))
                .hasMessageContaining("too large");
    }

    @Test
    void everyProblemOfEveryKindIsReportedInOnePass() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.properties"), String.join("\n",
                "colour=blue",
                "max-memory=lots",
                "journal-segment-size=1KiB",
                "replication-port=9999",
                "persistence=false",
                "replica-max-lag=fast",
                "stop-timeout=0",
                "policy.default.redelivery-delay=soon",
                "policy.default.max-memory-bytes=8 parsecs",
                "policy.orders.match=orders.x#",
                "policy.orders.max-delivery-attempts=5", ""));
        assertThat(run("--config", config.toString(), "--data-dir", dir.resolve("data").toString())).isEqualTo(2);
        String err = this.err.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err)
                .contains("unknown setting 'colour'")
                .contains(config + ": max-memory must be a size such as 8MiB")
                .contains(config + ": journal-segment-size must be at least 1 MiB")
                .contains("replication needs --persistence true")
                .contains(config + ": replica-max-lag must be a duration such as 30s")
                .contains(config + ": stop-timeout must be at least 1 (ms), was 0")
                .contains("policy.default.redelivery-delay: must be a duration such as 30s")
                .contains("policy.default.max-memory-bytes: must be a size such as 8MiB")
                .contains("policy.orders.match: pattern 'orders.x#': wildcards must be whole words");
        assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
    }

    @Test
    void replicationIsADestinationPolicyCheckedWithTheRest() throws Exception {
        Path good = Files.writeString(dir.resolve("good.properties"), String.join("\n",
                "policy.orders.match=orders.#",
                "policy.orders.replication=sync",
                "policy.metrics.match=metrics.#",
                "policy.metrics.replication=async",
                "policy.scratch.match=scratch",
                "policy.scratch.replication=none", ""));
        TernServer.Parsed parsed = TernServer.parse(new String[] {"--config", good.toString()});
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.policies().policyFor("orders.eu").replication()).isEqualTo(DestinationPolicy.Replication.SYNC);
        assertThat(parsed.policies().policyFor("metrics.cpu").replication())
                .isEqualTo(DestinationPolicy.Replication.ASYNC);
        assertThat(parsed.policies().policyFor("scratch").replication()).isEqualTo(DestinationPolicy.Replication.NONE);
        assertThat(parsed.policies().policyFor("invoices").replication())
                .as("no policy: the broker's --replication").isEqualTo(DestinationPolicy.Replication.BROKER);

        Path bad = Files.writeString(dir.resolve("bad.properties"), String.join("\n",
                "policy.default.replication=always",
                "policy.orders.match=orders.#",
                "policy.orders.replication=sync", ""));
        assertThat(run("--config", bad.toString(), "--data-dir", dir.resolve("data").toString())).isEqualTo(2);
        String err = this.err.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err).contains("policy.default.replication: must be sync, async or none (or empty for the broker's "
                + "--replication), was 'always'")
                // and a sync destination on a broker that replicates to nobody could never be answered
                .contains("the policy for 'orders.#' sets replication=sync, which needs backups: give "
                        + "--replication-port");
        assertThat(Files.exists(dir.resolve("data"))).as("nothing started").isFalse();
    }

    @Test
    void cliDurationsTakeUnitsToo() throws Exception {
        // nothing listens on 63999: a valid command cannot connect (3), a bad duration is bad usage (2)
        assertThat(run("receive", "q", "--url", "tern://127.0.0.1:63999", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("must be a duration such as 30s");
        err.reset();
        assertThat(run("receive", "q", "--url", "tern://127.0.0.1:63999", "--timeout", "1s")).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot connect to 127.0.0.1:63999");
        err.reset();
        assertThat(run("send", "q", "x", "--url", "tern://127.0.0.1:63999", "--ttl", "5m")).isEqualTo(3);
        assertThat(run("stat", "--url", "tern://127.0.0.1:63999", "--interval", "often")).isEqualTo(2);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aManagementOrJmxPortInUseIsOneLineNamingItsOption() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            for (String option : new String[] {"management-port", "jmx-port"}) {
                err.reset();
                assertThat(run("--port", "0", "--data-dir", dir.resolve(option).toString(), "--" + option,
                        String.valueOf(port))).isEqualTo(1);
                String err = this.err.toString(StandardCharsets.UTF_8);
                assertThat(err).startsWith("tern: cannot listen on 127.0.0.1:" + port + " (--" + option + "): ")
                        .endsWith("(choose another with --" + option + ")\n");
                assertThat(err.lines().count()).isEqualTo(1);
            }
        }
    }

    /** The native epoll transport reports a taken port as a plain IOException; the line must not change with it. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aClientPortInUseIsOneLineWhicheverTransportTcpRunsOn() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(run("--port", String.valueOf(port), "--data-dir", dir.resolve("taken").toString())).isEqualTo(1);
            String err = this.err.toString(StandardCharsets.UTF_8);
            assertThat(err).startsWith("tern: cannot listen on 127.0.0.1:" + port + ": ")
                    .contains("Address already in use")
                    .endsWith("(is another broker running? choose another port with --port)\n");
            assertThat(err.lines().count()).isEqualTo(1);
        }
    }

    @Test
    void zooKeeperSettingsAreCheckedInTheSamePass() throws Exception {
        assertThat(run("--zookeeper", "127.0.0.1:63998", "--replication-port", "0", "--zookeeper-session-timeout",
                "soon", "--max-memory", "lots", "--data-dir", dir.resolve("data").toString())).isEqualTo(2);
        String err = this.err.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().count()).isEqualTo(1);
        assertThat(err).contains("--zookeeper-session-timeout must be a duration such as 30s")
                .contains("--max-memory must be a size such as 8MiB");
        this.err.reset();
        assertThat(run("--zookeeper", "127.0.0.1:63998", "--max-memory", "lots")).isEqualTo(2);
        assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("--zookeeper needs --replication-port")
                .contains("--max-memory must be a size");
    }

    @Test
    void aBadValueAddsNoSecondMisleadingProblem() throws Exception {
        // the bad frame length is replaced by its default for the cross-checks, so journal-segment-size stays quiet
        assertThat(run("--max-frame-length", "big", "--data-dir", dir.resolve("data").toString())).isEqualTo(2);
        String err = this.err.toString(StandardCharsets.UTF_8);
        assertThat(err).contains("--max-frame-length must be a size").doesNotContain("journal-segment-size");
    }
}
