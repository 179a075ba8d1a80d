package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/** Short real runs of the tool against an embedded broker (persistent, sync policy DATA), over TCP and in-VM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerfToolRunTest {

    @TempDir
    static Path data;

    static EmbeddedBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).inVmName("perf-test")
                .dataDirectory(data.resolve("broker")).build());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void roundtripOverTcpReceivesEveryMessageSentAndReportsLatency() {
        Run run = run("roundtrip", "--url", broker.tcpUrl(), "--queue", "rt", "--producers", "2", "--consumers", "2",
                "--messages", "400");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("sent", "400").containsEntry("sent_total", "400")
                .containsEntry("received", "400").containsEntry("received_total", "400")
                .containsEntry("expected", "400").containsEntry("status", "ok")
                .containsKeys("send_p50_ms", "send_p99_9_ms", "send_max_ms", "e2e_p50_ms", "e2e_max_ms");
        assertThat(Double.parseDouble(run.result.get("sent_per_s"))).isPositive();
        assertThat(run.out).contains("received 400 of 400 expected: OK");
    }

    @Test
    void produceThenConsumeCountTheSameMessages() {
        Run produce = run("produce", "--url", broker.tcpUrl(), "--queue", "pc", "--producers", "3", "--messages",
                "300", "--size", "100");
        Run consume = run("consume", "--url", broker.tcpUrl(), "--queue", "pc", "--consumers", "1", "--messages",
                "300");

        assertThat(produce.status).as(produce.toString()).isEqualTo(PerfTool.OK);
        assertThat(produce.result).containsEntry("sent", "300").doesNotContainKey("received");
        assertThat(consume.status).as(consume.toString()).isEqualTo(PerfTool.OK);
        assertThat(consume.result).containsEntry("received", "300").doesNotContainKey("sent")
                .doesNotContainKey("e2e_p50_ms");
    }

    @Test
    void asyncTransactedRoundtripCommitsThePartialLastBatch() {
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--queue", "tx", "--async", "--transacted", "10",
                "--messages", "255", "--producers", "2");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("sent", "255").containsEntry("received", "255")
                .containsEntry("async", "true").containsEntry("transacted", "10");
    }

    @Test
    void asyncNonPersistentRoundtrip() {
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--queue", "async", "--async", "--in-flight", "16",
                "--non-persistent", "--messages", "500");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("received", "500").containsEntry("persistent", "false");
    }

    @Test
    void topicRoundtripExpectsOneCopyPerSubscriber() {
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--topic", "prices", "--consumers", "3",
                "--messages", "100");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("sent", "100").containsEntry("expected", "300")
                .containsEntry("received_total", "300");
    }

    @Test
    void warmupIsCountedApartAndDurationBoundsTheRun() {
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--queue", "warm", "--warmup", "0.5", "--duration",
                "0.5", "--non-persistent");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        long measured = Long.parseLong(run.result.get("sent"));
        long total = Long.parseLong(run.result.get("sent_total"));
        assertThat(measured).as(run.toString()).isPositive();
        assertThat(total).isGreaterThan(measured);
        assertThat(run.result.get("received_total")).isEqualTo(run.result.get("sent_total"));
        // the consumers tell the measured part by the send time each message carries: the same messages
        assertThat(run.result.get("received")).as(run.toString()).isEqualTo(run.result.get("sent"));
        assertThat(run.out).contains("in warm-up");
    }

    @Test
    void pacedProducersSendAtTheRateAsked() {
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--queue", "paced", "--rate", "100", "--producers", "2",
                "--duration", "1", "--non-persistent");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        // 2 producers x 100/s x 1 s, whatever the machine's speed: the pacing bounds it from above
        assertThat(Long.parseLong(run.result.get("sent"))).isBetween(100L, 202L);
        assertThat(run.result).containsEntry("rate", "100").containsEntry("status", "ok");
    }

    @Test
    void messagesLeftByAnEarlierRunAreIgnoredByARoundtrip() {
        Run leftover = run("produce", "--url", broker.vmUrl(), "--queue", "stale", "--messages", "5");
        Run run = run("roundtrip", "--url", broker.vmUrl(), "--queue", "stale", "--messages", "50");

        assertThat(leftover.status).isEqualTo(PerfTool.OK);
        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("received_total", "50");
        assertThat(run.out).contains("ignored:   5 messages of earlier runs");
    }

    @Test
    void jndiFileDrivesTheRunThroughStandardLookups() throws Exception {
        Path jndi = Files.writeString(dir.resolve("jndi.properties"), String.join("\n",
                "java.naming.factory.initial=org.ternmq.jndi.TernInitialContextFactory",
                "connectionFactory.PerfFactory=" + broker.vmUrl(),
                "queue.Orders=jndi-orders", ""));

        Run run = run("roundtrip", "--jndi", jndi.toString(), "--factory", "PerfFactory", "--queue", "Orders",
                "--messages", "100");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("received", "100");
        assertThat(run.out).contains("against JNDI " + jndi);
    }

    @Test
    void unboundJndiFactoryFailsWithStatusOne() throws Exception {
        Path jndi = Files.writeString(dir.resolve("jndi.properties"),
                "java.naming.factory.initial=org.ternmq.jndi.TernInitialContextFactory\n");

        Run run = run("produce", "--jndi", jndi.toString(), "--messages", "1");

        assertThat(run.status).isEqualTo(PerfTool.FAILED);
        assertThat(run.err).contains("tern-perf: JNDI lookup in " + jndi + " failed");
    }

    @Test
    void noBrokerFailsWithStatusOneAndSaysWhere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "tern://127.0.0.1:" + port + "?connectTimeout=2000";

        Run run = run("produce", "--url", url, "--messages", "1");

        assertThat(run.status).isEqualTo(PerfTool.FAILED);
        assertThat(run.err).contains("tern-perf: cannot connect to " + url);
        assertThat(run.out).doesNotContain("result:");
    }

    @Test
    void progressLineIsPrintedEverySecond() {
        Run run = run("produce", "--url", broker.vmUrl(), "--queue", "progress", "--duration", "1.5",
                "--non-persistent");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        // the line's time is when the progress task ran: about a second, later on a busy machine
        assertThat(run.err).containsPattern("1\\.[0-9] s +sent +[0-9,]+ \\( *[0-9,]+/s\\)");
    }

    @Test
    void diskProbeReportsForcesPerSecond() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status;
        // the store's probe prints to System.out
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = PerfTool.run(new String[] {"disk-probe", "--dir", dir.toString(), "--duration", "0.05"},
                    System.out, System.err, false);
        } finally {
            System.setOut(stdout);
        }

        assertThat(status).isEqualTo(PerfTool.OK);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("force(false)").contains("forces/s");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aPacedDiskProbeReportsTheForcesLatencyTail() {
        Run r = run("disk-probe", "--dir", dir.toString(), "--rate", "200", "--duration", "0.5");

        assertThat(r.status).isEqualTo(PerfTool.OK);
        assertThat(r.out).containsPattern("at 200/s for 0\\.5 s, latency from when each was due: p50 [0-9.]+ ms, "
                + "p99 [0-9.]+ ms, p99\\.9 [0-9.]+ ms, max [0-9.]+ ms");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aWakeUpProbeReportsHowLateEveryWakeUpCame() {
        Run r = run("wakeup-probe", "--rate", "500", "--duration", "0.4");

        assertThat(r.status).isEqualTo(PerfTool.OK);
        assertThat(r.out).containsPattern("wake-up probe: a thread sleeping until each of 500 wake-ups/s for 0\\.4 s "
                + "came back late by p50 [0-9.]+ ms, p99 [0-9.]+ ms, p99\\.9 [0-9.]+ ms, max [0-9.]+ ms; [0-9]+ of 200 "
                + "over 1 ms");
    }

    @Test
    void aWakeUpProbeWithoutARateWakesAThousandTimesASecond() {
        Run r = run("wakeup-probe", "--duration", "0.1");

        assertThat(r.status).isEqualTo(PerfTool.OK);
        assertThat(r.out).contains("each of 1000 wake-ups/s for 0.1 s").containsPattern("[0-9]+ of 100 over 1 ms");
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One finished run: exit status, stdout (summary), stderr (progress, errors) and its result line. */
    private static final class Run {
        final int status;
        final String out;
        final String err;
        final Map<String, String> result = new HashMap<>();

        Run(int status, String out, String err) {
            this.status = status;
            this.out = out;
            this.err = err;
            out.lines().filter(l -> l.startsWith("result: ")).findFirst().ifPresent(line -> {
                for (String pair : line.substring("result: ".length()).split(" ")) {
                    int eq = pair.indexOf('=');
                    result.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            });
        }

        @Override
        public String toString() {
            return "status " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
