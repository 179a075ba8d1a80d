package org.ternmq.perf;

import java.util.function.Function;

/**
 * Every option of the perf tool with its name, argument, default, one-line documentation and converter, in
 * one place so that {@code --help}, parsing and validation agree. A converter turns the text into a value
 * or throws {@link IllegalArgumentException} saying what a valid value is.
 */
enum PerfOption {
    URL("url", "URL", "tern://127.0.0.1:61616", "Tern connection URL (not used with --jndi)", PerfOption::text),
    JNDI("jndi", "FILE", "", "JNDI properties file; drives any JMS provider whose jars are on the class path",
            PerfOption::text),
    FACTORY("factory", "NAME", "ConnectionFactory", "connection factory to look up with --jndi", PerfOption::text),
    USER("user", "NAME", "", "user name for the connections", PerfOption::text),
    PASSWORD("password", "SECRET", "", "password for the connections", PerfOption::text),
    QUEUE("queue", "NAME", "perf", "queue (a JNDI name with --jndi, else the provider's queue name)",
            PerfOption::text),
    TOPIC("topic", "NAME", "", "topic instead of a queue; each consumer is a non-durable subscriber",
            PerfOption::text),
    PRODUCERS("producers", "N", "1", "concurrent producers, each with its own connection", PerfOption::positiveInt),
    CONSUMERS("consumers", "N", "1", "concurrent consumers, each with its own connection", PerfOption::positiveInt),
    MESSAGES("messages", "N", "0", "messages to measure, after the warm-up; 0: run for --duration",
            PerfOption::nonNegativeLong),
    DURATION("duration", "SECONDS", "10",
            "seconds to measure, after the warm-up (a limit with --messages); disk-probe: seconds per write mode",
            PerfOption::positiveSeconds),
    SIZE("size", "BYTES", "1024", "body size of each BytesMessage", PerfOption::nonNegativeInt),
    PERSISTENT("persistent", null, "yes", "send PERSISTENT messages (the default)", null),
    NON_PERSISTENT("non-persistent", null, "no", "send NON_PERSISTENT messages", null),
    RATE("rate", "N", "0", "messages/s each producer sends at, for latency below saturation; 0: as fast as it can; disk-probe: "
            + "forces/s, timed from when each was due (the disk's latency tail at that rate); wakeup-probe: wake-ups/s "
            + "(0: 1,000)",
            PerfOption::nonNegativeInt),
    TRANSACTED("transacted", "N", "0", "transacted sessions committing every N messages; 0: no transactions, "
            + "AUTO_ACKNOWLEDGE", PerfOption::nonNegativeInt),
    ASYNC("async", null, "no", "send asynchronously, completion through a CompletionListener", null),
    IN_FLIGHT("in-flight", "N", "1000", "asynchronous sends a producer may have outstanding", PerfOption::positiveInt),
    WARMUP("warmup", "SECONDS", "0", "seconds of traffic before measuring, counted apart",
            PerfOption::nonNegativeSeconds),
    DRAIN_TIMEOUT("drain-timeout", "SECONDS", "30",
            "roundtrip: how long the consumers may go without a message once the producers are done",
            PerfOption::positiveSeconds),
    DIR("dir", "DIR", ".", "disk-probe, send-probe: a directory on the file system to probe", PerfOption::text),
    DURABLE("durable", null, "no", "with --topic: each consumer is a durable subscriber (its own client id), "
            + "unsubscribed at the end", null),
    BROKER_PID("broker-pid", "PID", "0", "the broker's process id: its CPU and peak RSS (VmHWM) are reported "
            + "(Linux /proc); 0: not measured", PerfOption::nonNegativeLong),
    DISK("disk", "NAME", "", "block device whose flush requests are counted as disk forces/s (a name in "
            + "/proc/diskstats); default: every whole disk", PerfOption::text),
    JSON("json", "FILE", "", "also write the results as JSON to FILE", PerfOption::text),
    HELP("help", null, "", "print this help and exit", null);

    private final String key;
    private final String argument;
    private final String defaultValue;
    private final String doc;
    private final Function<String, Object> converter;

    PerfOption(String key, String argument, String defaultValue, String doc, Function<String, Object> converter) {
        this.key = key;
        this.argument = argument;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.converter = converter;
    }

    /** The option as typed, e.g. {@code --producers}. */
    String flag() {
        return "--" + key;
    }

    /** The argument's placeholder for help, or null for a flag that takes none. */
    String argument() {
        return argument;
    }

    boolean takesValue() {
        return argument != null;
    }

    String defaultValue() {
        return defaultValue;
    }

    String doc() {
        return doc;
    }

    /** The option whose flag is {@code flag} (with its dashes), or null. */
    static PerfOption byFlag(String flag) {
        for (PerfOption o : values()) {
            if (o.flag().equals(flag)) {
                return o;
            }
        }
        return null;
    }

    /** @throws IllegalArgumentException saying what a valid value is */
    Object convert(String raw) {
        return converter.apply(raw);
    }

    private static Object text(String raw) {
        if (raw.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return raw;
    }

    private static Object positiveInt(String raw) {
        long v = parseLong(raw);
        if (v < 1 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static Object nonNegativeInt(String raw) {
        long v = parseLong(raw);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be a whole number from 0 to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static Object nonNegativeLong(String raw) {
        long v = parseLong(raw);
        if (v < 0) {
            throw new IllegalArgumentException("must be a whole number, 0 or more");
        }
        return v;
    }

    private static Object positiveSeconds(String raw) {
        double v = parseSeconds(raw);
        if (v <= 0) {
            throw new IllegalArgumentException("must be a number of seconds above 0");
        }
        return v;
    }

    private static Object nonNegativeSeconds(String raw) {
        double v = parseSeconds(raw);
        if (v < 0) {
            throw new IllegalArgumentException("must be a number of seconds, 0 or more");
        }
        return v;
    }

    private static long parseLong(String raw) {
        try {
            return Long.parseLong(raw.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, not '" + raw + "'");
        }
    }

    private static double parseSeconds(String raw) {
        double v;
        try {
            v = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a number of seconds, not '" + raw + "'");
        }
        // a day bounds every sensible run and keeps seconds-to-nanos conversions far from overflow
        if (Double.isNaN(v) || v > 86_400) {
            throw new IllegalArgumentException("must be a number of seconds up to 86400, not '" + raw + "'");
        }
        return v;
    }
}
