package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * A tiny run of each standard workload S1-S7 against an embedded broker over TCP (persistent, sync policy
 * DATA): what each preset sends and receives, that nothing is lost, and the JSON and usage figures.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkloadRunTest {

    @TempDir
    static Path data;

    static EmbeddedBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(data.resolve("broker")).build());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // workload, producers, consumers, persistent, transacted, rate, expected deliveries of 100 sent
        "S1, 1, 1, true, 0, 0, 100",
        "S2, 4, 4, true, 0, 0, 100",
        "S3, 1, 1, true, 100, 0, 100",
        "S4, 1, 1, false, 0, 0, 100",
        "S5, 1, 4, true, 0, 0, 400",
        "S6, 1, 1, true, 0, 1000, 100",
    })
    void eachRoundtripWorkloadDeliversEveryMessageWithItsPresets(String workload, String producers, String consumers,
            String persistent, String transacted, String rate, String expected) throws Exception {
        Path json = dir.resolve(workload + ".json");
        Run run = run(workload, "--url", broker.tcpUrl(), "--messages", "100", "--warmup", "0", "--json",
                json.toString(), "--broker-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.result).containsEntry("mode", "roundtrip").containsEntry("producers", producers)
                .containsEntry("consumers", consumers).containsEntry("persistent", persistent)
                .containsEntry("transacted", transacted).containsEntry("rate", rate).containsEntry("size", "1024")
                .containsEntry("sent", "100").containsEntry("expected", expected)
                .containsEntry("received_total", expected).containsEntry("status", "ok");
        // the broker runs in this JVM, so its CPU is this process's: measured, not -1
        assertThat(Double.parseDouble(run.result.get("broker_cpu_pct"))).isGreaterThanOrEqualTo(0);
        assertThat(Double.parseDouble(run.result.get("client_cpu_pct"))).isGreaterThanOrEqualTo(0);
        assertThat(Double.parseDouble(run.result.get("broker_peak_rss_mib"))).isPositive();
        assertThat(run.out).contains("Tern perf " + workload + " (roundtrip)");
        String written = Files.readString(json);
        assertThat(written).startsWith("{\"runs\": [").contains("\"workload\": \"" + workload + "\"")
                .contains("\"received\": " + expected).contains("\"e2e_latency_ms\": {\"p50\": ")
                .contains("\"status\": \"ok\"").endsWith("]}\n");
    }

    @Test
    void s5SubscribersAreDurableAndUnsubscribedAfterwards() {
        Run first = run("S5", "--url", broker.tcpUrl(), "--topic", "s5-durable", "--messages", "20", "--warmup", "0");
        Run second = run("S5", "--url", broker.tcpUrl(), "--topic", "s5-durable", "--messages", "20", "--warmup", "0");

        assertThat(first.status).as(first.toString()).isEqualTo(PerfTool.OK);
        // nothing of the first run waits in a subscription the second one would find
        assertThat(second.status).as(second.toString()).isEqualTo(PerfTool.OK);
        assertThat(second.result).containsEntry("received_total", "80");
        assertThat(second.out).doesNotContain("ignored:");
    }

    @Test
    void s7FillsThenDrainsTheSameMessages() throws Exception {
        Path json = dir.resolve("s7.json");
        Run run = run("S7", "--url", broker.tcpUrl(), "--queue", "s7-tiny", "--messages", "250", "--json",
                json.toString());

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.out).contains("Tern perf S7 (produce)").contains("Tern perf S7 (consume)")
                .contains("4 producers").contains("transacted every 100");
        assertThat(run.out).containsPattern("result: mode=produce .* sent=250 ");
        assertThat(run.out).containsPattern("result: mode=consume .* received=250 ");
        String written = Files.readString(json);
        assertThat(written).contains("\"mode\": \"produce\"").contains("\"mode\": \"consume\"")
                .contains("\"sent\": 250").contains("\"received\": 250");
    }

    @Test
    void aPacedProducerThatCannotKeepItsRateStillReportsLatenciesFromTheDueTimes() {
        Run run = run("S6", "--url", broker.tcpUrl(), "--queue", "s6-behind", "--rate", "1000000", "--warmup", "0.3",
                "--duration", "0.5");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(Long.parseLong(run.result.get("sent"))).isPositive();
        assertThat(run.result.get("received")).isEqualTo(run.result.get("sent"));
        // due every microsecond, sent far later: the latency from the due time grows past the warm-up's length
        assertThat(Double.parseDouble(run.result.get("e2e_max_ms"))).isGreaterThan(300);
    }

    @Test
    void loopbackProbeReportsRoundTripsPerSecond() {
        Run run = run("loopback-probe", "--duration", "0.2");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.out).containsPattern("loopback probe: 1,024-byte round trips over TCP on 127.0.0.1: [0-9,]+/s");
    }

    @Test
    void sendProbeReportsForcedRoundTripsPerSecondAndLeavesNoFile() throws Exception {
        Run run = run("send-probe", "--dir", dir.toString(), "--duration", "0.2");

        assertThat(run.status).as(run.toString()).isEqualTo(PerfTool.OK);
        assertThat(run.out).containsPattern("send probe: 1,024-byte sends over TCP on 127.0.0.1, each written and "
                + "forced \\(fdatasync\\) in .* before its answer: [0-9,]+/s");
        assertThat(run.out).containsPattern("send probe through an event-loop thread \\(the sender hands each send to "
                + "it and is woken by it for the answer\\): [0-9,]+/s");
        try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void durableWithoutATopicIsAUsageError() {
        Run run = run("roundtrip", "--durable", "--queue", "q");

        assertThat(run.status).isEqualTo(PerfTool.USAGE);
        assertThat(run.err).contains("--durable is for topic subscribers and needs --topic NAME");
    }

    @Test
    void unknownWorkloadNamesTheChoices() {
        Run run = run("S8");

        assertThat(run.status).isEqualTo(PerfTool.USAGE);
        assertThat(run.err).contains("unknown command 'S8'").contains("a workload S1 to S7");
    }

    @Test
    void helpListsTheWorkloads() {
        Run run = run("--help");

        assertThat(run.status).isEqualTo(PerfTool.OK);
        assertThat(run.out).contains("S1 ").contains("S7 ").contains("--broker-pid").contains("--json")
                .contains("fill-drain");
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int status, String out, String err, Map<String, String> result) {
        Run(int status, String out, String err) {
            this(status, out, err, parse(out));
        }

        private static Map<String, String> parse(String out) {
            Map<String, String> result = new HashMap<>();
            String last = null;
            for (String line : out.split("\n")) {
                if (line.startsWith("result: ")) {
                    last = line;
                }
            }
            if (last != null) {
                for (String pair : last.substring("result: ".length()).split(" ")) {
                    int eq = pair.indexOf('=');
                    result.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            return result;
        }
    }
}
