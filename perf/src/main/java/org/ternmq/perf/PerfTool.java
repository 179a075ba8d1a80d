package org.ternmq.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.ternmq.perf.JmsEndpoint.EndpointException;

/**
 * The end-to-end perf tool ({@code bin/tern-perf}): throughput and latency through the standard
 * Jakarta Messaging API against a running broker, Tern's or, through {@code --jndi}, any other provider's,
 * and the disk's own force rate for comparison.
 *
 * <pre>
 * tern-perf produce   --producers 8 --messages 100000 --size 1024
 * tern-perf roundtrip --duration 20 --warmup 5
 * tern-perf consume   --jndi other-broker.properties --queue perf --messages 100000
 * tern-perf disk-probe --dir /var/lib/tern
 * </pre>
 *
 * Exit status: 0 when the run did what was asked, 1 when it failed (no connection, a JMS error, messages
 * missing or duplicated in a roundtrip), 2 for a bad command line, 130 when stopped by Ctrl-C.
 */
public final class PerfTool {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int INTERRUPTED = 130;

    private PerfTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, true));
    }

    /**
     * Runs one command; progress lines go to {@code err}, the summary to {@code out}.
     *
     * @param stopOnShutdown whether Ctrl-C ends the run with a summary (a JVM shutdown hook; only for main)
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean stopOnShutdown) {
        if (args.length > 0 && args[0].equals("xa")) {
            return XaBench.run(args, out, err);
        }
        if (PerfSettings.wantsHelp(args)) {
            printHelp(out);
            return OK;
        }
        PerfSettings settings;
        try {
            settings = PerfSettings.parse(args);
        } catch (UsageException e) {
            err.println("tern-perf: " + e.getMessage());
            err.println("Run tern-perf --help to see the commands and options.");
            return USAGE;
        }
        if (settings.mode() == Mode.DISK_PROBE) {
            return probeDisk(settings, out, err);
        }
        if (settings.mode() == Mode.LOOPBACK_PROBE) {
            try {
                LoopbackProbe.run(settings.size(), settings.durationSeconds(), out);
                return OK;
            } catch (IOException e) {
                err.println("tern-perf: loopback probe failed: " + e);
                return FAILED;
            }
        }
        if (settings.mode() == Mode.SEND_PROBE) {
            try {
                SendProbe.run(settings.dir(), settings.size(), settings.durationSeconds(), out);
                return OK;
            } catch (IOException e) {
                err.println("tern-perf: send probe in " + settings.dir().toAbsolutePath() + " failed: " + e);
                return FAILED;
            }
        }
        if (settings.mode() == Mode.WAKEUP_PROBE) {
            int rate = settings.rate() > 0 ? settings.rate() : WakeUpProbe.DEFAULT_RATE;
            WakeUpProbe.run(rate, settings.durationSeconds(), out);
            return OK;
        }
        return load(settings, out, err, stopOnShutdown);
    }

    private static int probeDisk(PerfSettings settings, PrintStream out, PrintStream err) {
        try {
            DiskProbe.run(settings, out);
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("tern-perf: disk probe in " + settings.dir().toAbsolutePath() + " failed: " + e);
            return FAILED;
        }
    }

    private static int load(PerfSettings settings, PrintStream out, PrintStream err, boolean stopOnShutdown) {
        LoadRun run = new LoadRun(settings, err);
        LoadRun[] current = {run};
        CountDownLatch summarized = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            current[0].stop();
            try {
                // let the main thread print the summary before the JVM goes
                summarized.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "perf-shutdown");
        if (stopOnShutdown) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            java.util.List<RunResult> results = new java.util.ArrayList<>();
            RunResult result;
            if (settings.mode() == Mode.FILL_DRAIN) {
                // S7: the producers fill (no consumer), then the consumers drain what they put, auto-ack
                result = new LoadRun(settings.phase(Mode.PRODUCE, settings.transacted()), err).run();
                Summary.print(result, out);
                results.add(result);
                if (result.succeeded()) {
                    LoadRun drain = new LoadRun(settings.phase(Mode.CONSUME, 0), err);
                    current[0] = drain;
                    result = drain.run();
                    Summary.print(result, out);
                    results.add(result);
                }
            } else {
                result = run.run();
                Summary.print(result, out);
                results.add(result);
            }
            out.flush();
            if (settings.json() != null) {
                try {
                    Json.write(settings.json(), results);
                } catch (IOException e) {
                    err.println("tern-perf: cannot write " + settings.json() + ": " + e);
                    return FAILED;
                }
            }
            if (result.interrupted()) {
                return INTERRUPTED;
            }
            return result.succeeded() ? OK : FAILED;
        } catch (EndpointException e) {
            err.println("tern-perf: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tern-perf: interrupted");
            return INTERRUPTED;
        } finally {
            summarized.countDown();
            if (stopOnShutdown) {
                removeHook(hook);
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running and waits for the latch, which is already down
        }
    }

    static void printHelp(PrintStream out) {
        out.println("Usage: tern-perf COMMAND [options]");
        out.println();
        out.println("Measures throughput and latency through the Jakarta Messaging API against a running broker,");
        out.println("and the disk's own force rate. Progress goes to stderr once a second, the summary to stdout.");
        out.println();
        out.println("Workloads (presets of the options below; options given override them; 1 KiB BytesMessages,");
        out.println("every producer and consumer on its own connection, 2 s warm-up for S1-S6):");
        for (Workload w : Workload.values()) {
            out.printf("  %-12s %s%n", w.name(), w.doc());
        }
        out.println();
        out.println("Commands:");
        for (Mode m : Mode.values()) {
            out.printf("  %-12s %s%n", m.command(), m.doc());
        }
        XaBench.printHelp(out);
        out.println();
        out.println("Options:");
        for (PerfOption o : PerfOption.values()) {
            String left = o.flag() + (o.takesValue() ? " " + o.argument() : "");
            String dflt = o.takesValue() && !o.defaultValue().isEmpty() ? " (default " + o.defaultValue() + ")" : "";
            out.printf("  %-24s %s%s%n", left, o.doc(), dflt);
        }
        out.println();
        out.println("Without --messages or --duration a run measures " + (long) PerfSettings.DEFAULT_DURATION
                + " s; the disk probe runs " + (long) PerfSettings.DEFAULT_PROBE_SECONDS + " s per write mode.");
        out.println("Another provider: put its jars in TERN_PERF_CLASSPATH and name its JNDI file with --jndi.");
        out.println();
        out.println("Exit status: 0 ok; 1 failed (no connection, JMS error, roundtrip messages missing or");
        out.println("duplicated); 2 bad command line; 130 stopped by Ctrl-C.");
    }
}
