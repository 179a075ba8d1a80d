package org.ternmq.perf;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The standard workloads S1-S7 of issue 11, as presets of options: {@code tern-perf S3} is the roundtrip
 * command with the options below, and any option given on the command line overrides its preset. Every
 * producer and consumer has its own connection; messages are 1 KiB {@code BytesMessage}s; consumers use
 * synchronous {@code receive(100 ms)}.
 */
enum Workload {
    S1("persistent queue 1 -> 1, sync send, auto-ack", Mode.ROUNDTRIP,
            Map.of(PerfOption.QUEUE, "perf.s1", PerfOption.PRODUCERS, "1", PerfOption.CONSUMERS, "1")),
    S2("as S1 with 4 producers -> 4 consumers", Mode.ROUNDTRIP,
            Map.of(PerfOption.QUEUE, "perf.s2", PerfOption.PRODUCERS, "4", PerfOption.CONSUMERS, "4")),
    S3("as S1, producer and consumer transacted, a commit every 100 messages", Mode.ROUNDTRIP,
            Map.of(PerfOption.QUEUE, "perf.s3", PerfOption.PRODUCERS, "1", PerfOption.CONSUMERS, "1",
                    PerfOption.TRANSACTED, "100")),
    S4("non-persistent queue 1 -> 1, auto-ack", Mode.ROUNDTRIP,
            Map.of(PerfOption.QUEUE, "perf.s4", PerfOption.PRODUCERS, "1", PerfOption.CONSUMERS, "1",
                    PerfOption.NON_PERSISTENT, "")),
    S5("persistent topic, 1 producer, 4 durable subscribers (deliveries counted)", Mode.ROUNDTRIP,
            Map.of(PerfOption.TOPIC, "perf.s5", PerfOption.PRODUCERS, "1", PerfOption.CONSUMERS, "4",
                    PerfOption.DURABLE, "")),
    S6("persistent queue 1 -> 1 paced at 1,000 msgs/s: end-to-end latency below saturation", Mode.ROUNDTRIP,
            Map.of(PerfOption.QUEUE, "perf.s6", PerfOption.PRODUCERS, "1", PerfOption.CONSUMERS, "1",
                    PerfOption.RATE, "1000")),
    S7("4 transacted producers (commit every 100) put --messages (1,000,000) on a queue, then 1 auto-ack "
            + "consumer drains it", Mode.FILL_DRAIN,
            Map.of(PerfOption.QUEUE, "perf.s7", PerfOption.PRODUCERS, "4", PerfOption.CONSUMERS, "1",
                    PerfOption.TRANSACTED, "100", PerfOption.MESSAGES, "1000000"));

    /** Warm-up of S1-S6 unless --warmup is given (S7 has none: its phases are counted whole). */
    static final String WARMUP = "2";

    private final String doc;
    private final Mode mode;
    private final Map<PerfOption, String> presets;

    Workload(String doc, Mode mode, Map<PerfOption, String> presets) {
        this.doc = doc;
        this.mode = mode;
        this.presets = presets;
    }

    String doc() {
        return doc;
    }

    Mode mode() {
        return mode;
    }

    Map<PerfOption, String> presets() {
        return presets;
    }

    /** The workload named {@code command} (S1-S7, any case), or null. */
    static Workload of(String command) {
        return Arrays.stream(values()).filter(w -> w.name().equals(command.toUpperCase(Locale.ROOT)))
                .findFirst().orElse(null);
    }
}
