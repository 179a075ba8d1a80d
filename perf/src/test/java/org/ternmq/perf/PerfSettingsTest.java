package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerfSettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreOneProducerOneConsumerPersistentKibMessagesForTenSeconds() throws Exception {
        PerfSettings s = PerfSettings.parse(new String[] {"roundtrip"});

        assertThat(s.mode()).isEqualTo(Mode.ROUNDTRIP);
        assertThat(s.url()).isEqualTo("tern://127.0.0.1:61616");
        assertThat(s.jndi()).isNull();
        assertThat(s.destination()).isEqualTo("perf");
        assertThat(s.topic()).isFalse();
        assertThat(s.producers()).isEqualTo(1);
        assertThat(s.consumers()).isEqualTo(1);
        assertThat(s.messages()).isZero();
        assertThat(s.durationSeconds()).isEqualTo(10.0);
        assertThat(s.size()).isEqualTo(1024);
        assertThat(s.persistent()).isTrue();
        assertThat(s.transacted()).isZero();
        assertThat(s.rate()).isZero();
        assertThat(s.async()).isFalse();
        assertThat(s.warmupSeconds()).isZero();
        assertThat(s.user()).isNull();
    }

    @Test
    void everyOptionIsRead() throws Exception {
        PerfSettings s = PerfSettings.parse(new String[] {"produce", "--url", "tern://h:1", "--topic", "prices",
            "--producers", "8", "--consumers=3", "--messages", "100_000", "--duration", "2.5", "--size", "0",
            "--non-persistent", "--rate", "200", "--transacted", "50", "--async", "--in-flight", "64", "--warmup", "1.5",
            "--drain-timeout", "7", "--user", "alice", "--password", "secret"});

        assertThat(s.mode()).isEqualTo(Mode.PRODUCE);
        assertThat(s.url()).isEqualTo("tern://h:1");
        assertThat(s.topic()).isTrue();
        assertThat(s.destination()).isEqualTo("prices");
        assertThat(s.producers()).isEqualTo(8);
        assertThat(s.consumers()).isEqualTo(3);
        assertThat(s.messages()).isEqualTo(100_000);
        assertThat(s.durationSeconds()).isEqualTo(2.5);
        assertThat(s.size()).isZero();
        assertThat(s.persistent()).isFalse();
        assertThat(s.rate()).isEqualTo(200);
        assertThat(s.transacted()).isEqualTo(50);
        assertThat(s.async()).isTrue();
        assertThat(s.inFlight()).isEqualTo(64);
        assertThat(s.warmupSeconds()).isEqualTo(1.5);
        assertThat(s.drainTimeoutSeconds()).isEqualTo(7.0);
        assertThat(s.user()).isEqualTo("alice");
        assertThat(s.password()).isEqualTo("secret");
    }

    @Test
    void messagesWithoutDurationRunsWithoutDeadline() throws Exception {
        assertThat(PerfSettings.parse(new String[] {"produce", "--messages", "5"}).durationSeconds()).isZero();
    }

    @Test
    void diskProbeDefaultsToFiveSecondsPerModeInTheCurrentDirectory() throws Exception {
        PerfSettings s = PerfSettings.parse(new String[] {"disk-probe"});

        assertThat(s.durationSeconds()).isEqualTo(5.0);
        assertThat(s.dir()).isEqualTo(Path.of("."));
    }

    @Test
    void everyProbeGivenNoDurationMeasuresForFiveSeconds() throws Exception {
        for (Mode m : Mode.values()) {
            if (m.isProbe()) {
                assertThat(PerfSettings.parse(new String[] {m.command()}).durationSeconds()).as(m.command())
                        .isEqualTo(5.0);
            }
        }
        assertThat(PerfSettings.parse(new String[] {"send-probe", "--duration", "2"}).durationSeconds()).isEqualTo(2.0);
    }

    @Test
    void loadDescriptionNamesWhatTheRunControls() throws Exception {
        assertThat(PerfSettings.parse(new String[] {"roundtrip", "--producers", "8", "--async", "--in-flight", "32"})
                .describeLoad())
                .isEqualTo("queue perf, 8 producers, 1 consumer, 1024-byte persistent messages, async sends (32 in "
                        + "flight)");
        assertThat(PerfSettings.parse(new String[] {"consume", "--topic", "t", "--consumers", "2"}).describeLoad())
                .isEqualTo("topic t, 2 consumers, AUTO_ACKNOWLEDGE");
        assertThat(PerfSettings.parse(new String[] {"produce", "--rate", "50", "--transacted", "10",
            "--non-persistent"}).describeLoad())
                .isEqualTo("queue perf, 1 producer, 1024-byte non-persistent messages, sync sends, 50 msgs/s per "
                        + "producer, transacted every 10");
    }

    @Test
    void jndiFileAndFactoryAreRead() throws Exception {
        Path file = Files.writeString(dir.resolve("jndi.properties"), "x=y\n");

        PerfSettings s = PerfSettings.parse(new String[] {"consume", "--jndi", file.toString(), "--factory", "CF"});

        assertThat(s.jndi()).isEqualTo(file);
        assertThat(s.factory()).isEqualTo("CF");
    }

    @Test
    void helpIsAskedForWithHelpDashHOrNoArguments() {
        assertThat(PerfSettings.wantsHelp(new String[] {"produce", "--help"})).isTrue();
        assertThat(PerfSettings.wantsHelp(new String[] {"-h"})).isTrue();
        assertThat(PerfSettings.wantsHelp(new String[0])).isTrue();
        assertThat(PerfSettings.wantsHelp(new String[] {"produce"})).isFalse();
    }

    @Test
    void badCommandLinesSayWhatIsWrong() {
        assertUsage("no command given; expected one of produce, consume, roundtrip, fill-drain, loopback-probe, "
                + "disk-probe, send-probe, wakeup-probe, or a workload S1 to S7", "--producers", "2");
        assertUsage("unknown command 'blast'; expected one of produce, consume, roundtrip, fill-drain, loopback-probe, "
                + "disk-probe, send-probe, wakeup-probe, or a workload S1 to S7", "blast");
        assertUsage("unexpected argument 'consume'", "produce", "consume");
        assertUsage("unknown option '--producer'", "produce", "--producer", "2");
        assertUsage("--producers needs a value: --producers N", "produce", "--producers");
        assertUsage("--producers must be a whole number, not 'many'", "produce", "--producers", "many");
        assertUsage("--producers must be a whole number from 1", "produce", "--producers", "0");
        assertUsage("--size must be a whole number from 0", "produce", "--size", "-1");
        assertUsage("--duration must be a number of seconds above 0", "produce", "--duration", "0");
        assertUsage("--warmup must be a number of seconds, not 'soon'", "produce", "--warmup", "soon");
        assertUsage("--duration must be a number of seconds up to 86400", "produce", "--duration", "1e9");
        assertUsage("--async takes no value", "produce", "--async=yes");
        assertUsage("--producers is given twice", "produce", "--producers", "1", "--producers", "2");
        assertUsage("--queue and --topic exclude each other", "produce", "--queue", "a", "--topic", "b");
        assertUsage("--persistent and --non-persistent exclude each other", "produce", "--persistent",
                "--non-persistent");
        assertUsage("--url and --jndi exclude each other", "produce", "--url", "tern://h", "--jndi", "f");
        assertUsage("--factory is a JNDI name and needs --jndi FILE", "produce", "--factory", "CF");
        assertUsage("--password needs --user", "produce", "--password", "p");
        assertUsage("--jndi " + dir.resolve("missing") + ": no such readable file", "produce", "--jndi",
                dir.resolve("missing").toString());
        assertUsage("--dir " + dir.resolve("nope") + ": no such directory", "disk-probe", "--dir",
                dir.resolve("nope").toString());
        assertUsage("--dir " + dir.resolve("nope") + ": no such directory", "send-probe", "--dir",
                dir.resolve("nope").toString());
        assertUsage("--queue must not be empty", "produce", "--queue", " ");
    }

    @Test
    void badCommandLineExitsWithStatusTwoAndAMessageOnStderr() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = PerfTool.run(new String[] {"produce", "--sizes", "3"}, print(out), print(err), false);

        assertThat(status).isEqualTo(PerfTool.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("tern-perf: unknown option '--sizes'")
                .contains("--help");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void helpListsEveryCommandAndOptionAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = PerfTool.run(new String[] {"--help"}, print(out), print(new ByteArrayOutputStream()), false);

        assertThat(status).isEqualTo(PerfTool.OK);
        String help = out.toString(StandardCharsets.UTF_8);
        for (PerfOption o : PerfOption.values()) {
            assertThat(help).contains(o.flag());
        }
        for (Mode m : Mode.values()) {
            assertThat(help).contains(m.command());
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> PerfSettings.parse(args))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(message);
    }
}
