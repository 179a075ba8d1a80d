package org.ternmq.perf;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * One validated command line. {@link #parse} checks every option and the combinations at once, so a run
 * never starts with a setting it will reject later. Immutable.
 *
 * @param mode what to run
 * @param url the Tern connection URL, used without {@code jndi}
 * @param jndi a JNDI properties file, or null
 * @param factory the connection factory's JNDI name
 * @param user user name, or null
 * @param password password, or null
 * @param destination queue or topic name
 * @param topic whether {@code destination} is a topic
 * @param producers producers (produce and roundtrip)
 * @param consumers consumers (consume and roundtrip)
 * @param messages messages to measure, 0 for none
 * @param durationSeconds seconds to measure, 0 for no limit; disk-probe: seconds per write mode
 * @param size body bytes
 * @param persistent delivery mode
 * @param rate messages per second per producer, 0 for as fast as it can
 * @param transacted messages per transaction, 0 for none
 * @param async whether sends are asynchronous
 * @param inFlight outstanding asynchronous sends per producer
 * @param warmupSeconds seconds before measuring
 * @param drainTimeoutSeconds roundtrip: idle seconds after the producers stop before giving up
 * @param dir disk-probe directory
 * @param durable topic consumers are durable subscribers
 * @param brokerPid the broker's process id for CPU and RSS, 0 for none
 * @param disk the block device whose flushes are counted, empty for every whole disk
 * @param json a file for JSON results, or null
 * @param workload the standard workload run (S1-S7), or null
 */
record PerfSettings(Mode mode, String url, Path jndi, String factory, String user, String password,
        String destination, boolean topic, int producers, int consumers, long messages, double durationSeconds,
        int size, boolean persistent, int rate, int transacted, boolean async, int inFlight, double warmupSeconds,
        double drainTimeoutSeconds, Path dir, boolean durable, long brokerPid, String disk, Path json,
        Workload workload) {

    /** The same settings for one phase of a fill-drain run. */
    PerfSettings phase(Mode phaseMode, int phaseTransacted) {
        return new PerfSettings(phaseMode, url, jndi, factory, user, password, destination, topic, producers, consumers,
                messages, durationSeconds, size, persistent, rate, phaseTransacted, async, inFlight, warmupSeconds,
                drainTimeoutSeconds, dir, durable, brokerPid, disk, null, workload);
    }

    /** Without --messages or --duration, a load run measures this long. */
    static final double DEFAULT_DURATION = 10;
    /** Without --duration, the disk probe runs each write mode this long. */
    static final double DEFAULT_PROBE_SECONDS = 5;

    /** Whether the arguments ask for help (then nothing else is checked). */
    static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals(PerfOption.HELP.flag()) || a.equals("-h")) {
                return true;
            }
        }
        return args.length == 0;
    }

    /**
     * Parses {@code <command> [--option value | --flag]...}.
     *
     * @throws UsageException saying exactly which argument is wrong and why
     */
    static PerfSettings parse(String[] args) throws UsageException {
        Mode mode = null;
        Workload workload = null;
        Map<PerfOption, Object> given = new EnumMap<>(PerfOption.class);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (mode != null) {
                    throw new UsageException("unexpected argument '" + arg + "' (the command is already "
                            + mode.command() + ")");
                }
                workload = Workload.of(arg);
                if (workload != null) {
                    mode = workload.mode();
                    continue;
                }
                try {
                    mode = Mode.of(arg);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                continue;
            }
            String flag = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            PerfOption option = PerfOption.byFlag(flag);
            if (option == null) {
                throw new UsageException("unknown option '" + flag + "'");
            }
            if (given.containsKey(option)) {
                throw new UsageException(flag + " is given twice");
            }
            if (!option.takesValue()) {
                if (inline != null) {
                    throw new UsageException(flag + " takes no value");
                }
                given.put(option, Boolean.TRUE);
                continue;
            }
            String raw = inline;
            if (raw == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(flag + " needs a value: " + flag + " " + option.argument());
                }
                raw = args[++i];
            }
            try {
                given.put(option, option.convert(raw));
            } catch (IllegalArgumentException e) {
                throw new UsageException(flag + " " + e.getMessage());
            }
        }
        if (mode == null) {
            throw new UsageException("no command given; " + Mode.expected());
        }
        if (workload != null) {
            applyPresets(workload, given);
        }
        return conclude(mode, given, workload);
    }

    /** Adds the workload's presets for every option the command line did not give (nor its opposite). */
    private static void applyPresets(Workload workload, Map<PerfOption, Object> given) {
        boolean destinationGiven = given.containsKey(PerfOption.QUEUE) || given.containsKey(PerfOption.TOPIC);
        for (Map.Entry<PerfOption, String> preset : workload.presets().entrySet()) {
            PerfOption o = preset.getKey();
            if (given.containsKey(o)) {
                continue;
            }
            if ((o == PerfOption.QUEUE || o == PerfOption.TOPIC) && destinationGiven) {
                continue;
            }
            if (o == PerfOption.NON_PERSISTENT && given.containsKey(PerfOption.PERSISTENT)) {
                continue;
            }
            given.put(o, o.takesValue() ? o.convert(preset.getValue()) : Boolean.TRUE);
        }
        if (workload.mode() != Mode.FILL_DRAIN && !given.containsKey(PerfOption.WARMUP)) {
            given.put(PerfOption.WARMUP, PerfOption.WARMUP.convert(Workload.WARMUP));
        }
    }

    /** Applies defaults and checks the options against each other. */
    private static PerfSettings conclude(Mode mode, Map<PerfOption, Object> given, Workload workload)
            throws UsageException {
        if (given.containsKey(PerfOption.DURABLE) && !given.containsKey(PerfOption.TOPIC)) {
            throw new UsageException("--durable is for topic subscribers and needs --topic NAME");
        }
        if (mode == Mode.FILL_DRAIN && (long) value(PerfOption.MESSAGES, given) <= 0) {
            throw new UsageException("fill-drain needs --messages N (how many to put on the queue, then drain)");
        }
        if (mode == Mode.FILL_DRAIN && given.containsKey(PerfOption.TOPIC)) {
            throw new UsageException("fill-drain runs on a queue, not --topic");
        }
        if (given.containsKey(PerfOption.PERSISTENT) && given.containsKey(PerfOption.NON_PERSISTENT)) {
            throw new UsageException("--persistent and --non-persistent exclude each other");
        }
        if (given.containsKey(PerfOption.QUEUE) && given.containsKey(PerfOption.TOPIC)) {
            throw new UsageException("--queue and --topic exclude each other");
        }
        if (given.containsKey(PerfOption.URL) && given.containsKey(PerfOption.JNDI)) {
            throw new UsageException("--url and --jndi exclude each other (put the URL in the JNDI file)");
        }
        if (given.containsKey(PerfOption.FACTORY) && !given.containsKey(PerfOption.JNDI)) {
            throw new UsageException("--factory is a JNDI name and needs --jndi FILE");
        }
        if (given.containsKey(PerfOption.PASSWORD) && !given.containsKey(PerfOption.USER)) {
            throw new UsageException("--password needs --user");
        }
        Path jndi = null;
        if (given.containsKey(PerfOption.JNDI)) {
            jndi = path(PerfOption.JNDI, given);
            if (!Files.isRegularFile(jndi) || !Files.isReadable(jndi)) {
                throw new UsageException("--jndi " + jndi + ": no such readable file");
            }
        }
        Path dir = path(PerfOption.DIR, given);
        if ((mode == Mode.DISK_PROBE || mode == Mode.SEND_PROBE) && !Files.isDirectory(dir)) {
            throw new UsageException("--dir " + dir + ": no such directory");
        }
        long messages = (long) value(PerfOption.MESSAGES, given);
        double duration;
        if (given.containsKey(PerfOption.DURATION)) {
            duration = (double) given.get(PerfOption.DURATION);
        } else if (mode.isProbe()) {
            duration = DEFAULT_PROBE_SECONDS;
        } else {
            duration = messages > 0 ? 0 : DEFAULT_DURATION;
        }
        String json = (String) given.get(PerfOption.JSON);
        boolean topic = given.containsKey(PerfOption.TOPIC);
        String destination = (String) (topic ? given.get(PerfOption.TOPIC) : value(PerfOption.QUEUE, given));
        return new PerfSettings(mode, (String) value(PerfOption.URL, given), jndi,
                (String) value(PerfOption.FACTORY, given), (String) given.get(PerfOption.USER),
                (String) given.get(PerfOption.PASSWORD), destination, topic,
                (int) value(PerfOption.PRODUCERS, given), (int) value(PerfOption.CONSUMERS, given), messages, duration,
                (int) value(PerfOption.SIZE, given), !given.containsKey(PerfOption.NON_PERSISTENT),
                (int) value(PerfOption.RATE, given),
                (int) value(PerfOption.TRANSACTED, given), given.containsKey(PerfOption.ASYNC),
                (int) value(PerfOption.IN_FLIGHT, given), (double) value(PerfOption.WARMUP, given),
                (double) value(PerfOption.DRAIN_TIMEOUT, given), dir, given.containsKey(PerfOption.DURABLE),
                (long) value(PerfOption.BROKER_PID, given), (String) given.getOrDefault(PerfOption.DISK, ""),
                json == null ? null : Path.of(json), workload);
    }

    private static Object value(PerfOption option, Map<PerfOption, Object> given) {
        Object v = given.get(option);
        return v != null ? v : option.convert(option.defaultValue());
    }

    private static Path path(PerfOption option, Map<PerfOption, Object> given) throws UsageException {
        String raw = (String) value(option, given);
        try {
            return Path.of(raw);
        } catch (InvalidPathException e) {
            throw new UsageException(option.flag() + " '" + raw + "' is not a valid path: " + e.getReason());
        }
    }

    /** Whether messages are counted against --messages rather than only a deadline. */
    boolean counted() {
        return messages > 0;
    }

    /** A short description of the load, for the summary's first line. */
    String describeLoad() {
        StringBuilder b = new StringBuilder();
        b.append(topic ? "topic " : "queue ").append(destination).append(", ");
        if (mode != Mode.CONSUME) {
            b.append(producers).append(producers == 1 ? " producer" : " producers").append(", ");
        }
        if (mode != Mode.PRODUCE) {
            b.append(consumers).append(consumers == 1 ? " consumer" : " consumers").append(", ");
        }
        if (mode == Mode.CONSUME) {
            // size and delivery mode are the sender's, not known here
            b.append(transacted > 0 ? "transacted every " + transacted : "AUTO_ACKNOWLEDGE");
            return b.toString();
        }
        b.append(size).append("-byte ").append(persistent ? "persistent" : "non-persistent").append(" messages");
        b.append(", ").append(async ? "async sends (" + inFlight + " in flight)" : "sync sends");
        b.append(rate > 0 ? ", " + rate + " msgs/s per producer" : "");
        b.append(transacted > 0 ? ", transacted every " + transacted : "");
        return b.toString();
    }
}
