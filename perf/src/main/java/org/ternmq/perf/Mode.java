package org.ternmq.perf;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a run of the tool does: the first argument on its command line. */
enum Mode {
    PRODUCE("produce", "send messages and measure sends/s and send latency"),
    CONSUME("consume", "receive messages (sent by another process) and measure receives/s"),
    ROUNDTRIP("roundtrip", "send and receive in one run: throughput and end-to-end latency, sent = received checked"),
    FILL_DRAIN("fill-drain", "put --messages on a queue with the producers, then drain it with the consumers: "
            + "both rates (workload S7)"),
    LOOPBACK_PROBE("loopback-probe", "the machine's loopback limit: --size-byte TCP round trips/s on 127.0.0.1"),
    DISK_PROBE("disk-probe", "the disk's own force rate: 1 KiB writes each followed by a force, per write mode"),
    SEND_PROBE("send-probe", "the floor under one producer's synchronous persistent sends: --size-byte round trips "
            + "on 127.0.0.1 whose far end writes and forces each in --dir before it answers, by a sender doing its own "
            + "I/O, then through an event-loop thread"),
    WAKEUP_PROBE("wakeup-probe", "the machine's scheduling floor: how late a thread that sleeps until each of --rate "
            + "(default 1,000) wake-ups a second comes back, with no disk and no network");

    private final String command;
    private final String doc;

    Mode(String command, String doc) {
        this.command = command;
        this.doc = doc;
    }

    String command() {
        return command;
    }

    String doc() {
        return doc;
    }

    /** A measurement of the machine (no broker, no JMS): {@code --duration} defaults to a few seconds. */
    boolean isProbe() {
        return this == LOOPBACK_PROBE || this == DISK_PROBE || this == SEND_PROBE || this == WAKEUP_PROBE;
    }

    /** @throws IllegalArgumentException naming the valid commands when {@code command} is none of them */
    static Mode of(String command) {
        for (Mode m : values()) {
            if (m.command.equals(command)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown command '" + command + "'; " + expected());
    }

    /** What a command line may start with: every command and the workloads. */
    static String expected() {
        return "expected one of " + Arrays.stream(values()).map(Mode::command).collect(Collectors.joining(", "))
                + ", or a workload S1 to S7";
    }
}
