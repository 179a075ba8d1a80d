package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * {@code tern-perf xa}, briefly, against an embedded broker and the local PostgreSQL (which needs
 * {@code max_prepared_transactions > 0}: {@code .ci/postgres-xa}): every committed transaction left one message
 * and one row, in both modes; bad options are refused.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class XaBenchTest {

    @TempDir
    static Path data;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(data.resolve("broker")).build());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = PerfTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new String[] {Integer.toString(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void xaAndLocalRunsLeaveOneMessageAndOneRowPerTransaction() {
        for (String mode : new String[] {"--threads", "--local"}) {
            String[] r = mode.equals("--local")
                    ? run("xa", "--url", broker.tcpUrl(), "--local", "--threads", "2", "--duration", "1", "--warmup", "0",
                            "--tx-dir", data.resolve("tx").toString())
                    : run("xa", "--url", broker.tcpUrl(), "--threads", "2", "--duration", "1", "--warmup", "0",
                            "--tx-dir", data.resolve("tx").toString());
            assertThat(r[0]).as("status; stderr: %s", r[2]).isEqualTo("0");
            Matcher m = Pattern.compile("committed (\\d+) in all; (\\d+) messages drained, (\\d+) rows").matcher(r[1]);
            assertThat(m.find()).as(r[1]).isTrue();
            assertThat(Long.parseLong(m.group(1))).isPositive();
            assertThat(m.group(2)).isEqualTo(m.group(1));
            assertThat(m.group(3)).isEqualTo(m.group(1));
            assertThat(r[1]).contains("transactions/s");
        }
    }

    @Test
    void badOptionsAreRefused() {
        String[] r = run("xa", "--threads");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("unknown option or missing value: --threads");
        r = run("xa", "--threads", "many", "--url", broker.tcpUrl());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("many");
    }
}
