package org.ternmq.perf;

import java.io.PrintStream;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Prints a run's summary: what was run, counts and throughput per side, latency percentiles, the
 * sent = received check, and one {@code result:} line of {@code key=value} pairs for scripts. Stateless.
 */
final class Summary {
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private Summary() {
    }

    static void print(RunResult r, PrintStream out) {
        PerfSettings s = r.settings();
        out.println();
        out.println("Tern perf " + (s.workload() != null ? s.workload().name() + " (" + s.mode().command() + ")"
                : s.mode().command()) + " against " + r.endpoint());
        out.println("  load:      " + s.describeLoad());
        if (s.warmupSeconds() > 0) {
            out.printf(Locale.ROOT, "  warm-up:   %.1f s, not counted below%n", s.warmupSeconds());
        }
        if (r.sent() != null) {
            side(out, "sent:     ", r.sent(), r.sentSeconds());
        }
        if (r.received() != null) {
            side(out, "received: ", r.received(), r.receivedSeconds());
        }
        if (r.sendLatency() != null) {
            latency(out, "send latency, " + sendLatencyMeaning(s), r.sendLatency());
        }
        if (r.endToEndLatency() != null) {
            latency(out, "end-to-end latency, send to receive", r.endToEndLatency());
        }
        usage(out, r);
        if (r.stale() > 0) {
            out.printf(Locale.ROOT, "  ignored:   %,d messages of earlier runs found on %s%n", r.stale(), s.destination());
        }
        if (r.expectedReceived() >= 0) {
            long surplus = r.receivedSurplus();
            String verdict = surplus == 0 ? "OK" : surplus < 0 ? (-surplus) + " MISSING" : surplus + " DUPLICATES";
            out.printf(Locale.ROOT, "  check:     received %,d of %,d expected: %s%n", r.receivedTotal(),
                    r.expectedReceived(), verdict);
        }
        if (r.interrupted()) {
            out.println("  INTERRUPTED: the figures cover the run up to the stop");
        }
        if (r.failure() != null) {
            out.println("  FAILED: " + LoadRun.describe(r.failure()));
        }
        out.println(resultLine(r));
    }

    private static void usage(PrintStream out, RunResult r) {
        Resources.Usage u = r.usage();
        if (u == null) {
            return;
        }
        StringBuilder b = new StringBuilder("  usage:     ");
        b.append(String.format(Locale.ROOT, "client CPU %s", pct(u.clientCpuPercent())));
        b.append(String.format(Locale.ROOT, ", broker CPU %s", u.brokerCpuPercent() < 0 ? "not measured (--broker-pid)"
                : pct(u.brokerCpuPercent())));
        long messages = Math.max(r.sent() != null ? r.sent().measuredCount() : 0,
                r.received() != null ? r.received().measuredCount() : 0);
        if (u.brokerCpuPercent() >= 0 && messages > 0) {
            b.append(String.format(Locale.ROOT, " (%.1f us per message)",
                    u.brokerCpuPercent() / 100 * u.seconds() * 1e6 / messages));
        }
        b.append(u.diskFlushesPerSecond() < 0 ? ", disk flushes not available"
                : String.format(Locale.ROOT, ", disk flushes %,.0f/s (machine-wide)", u.diskFlushesPerSecond()));
        if (u.brokerPeakRssBytes() > 0) {
            b.append(String.format(Locale.ROOT, ", broker peak RSS %,.0f MiB", u.brokerPeakRssBytes() / 1048576.0));
        }
        out.println(b);
    }

    private static String pct(double p) {
        return p < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", p);
    }

    private static String sendLatencyMeaning(PerfSettings s) {
        if (s.transacted() > 0) {
            return "send to commit";
        }
        if (s.rate() > 0) {
            return s.async() ? "due time to CompletionListener" : "due time to send return";
        }
        return s.async() ? "send to CompletionListener" : "send call";
    }

    private static void side(PrintStream out, String label, Meter m, double seconds) {
        out.printf(Locale.ROOT, "  %s %,d messages in %.2f s = %,.0f msgs/s%s%n", label, m.measuredCount(), seconds,
                RunResult.perSecond(m.measuredCount(), seconds),
                m.warmupCount() > 0 ? String.format(Locale.ROOT, "   (plus %,d in warm-up)", m.warmupCount()) : "");
    }

    private static void latency(PrintStream out, String label, Histogram h) {
        if (h.getTotalCount() == 0) {
            out.println("  " + label + ": no samples");
            return;
        }
        StringBuilder b = new StringBuilder("  " + label + " (ms):\n            ");
        for (double p : PERCENTILES) {
            b.append(String.format(Locale.ROOT, "p%s %.3f   ", label(p), millis(h.getValueAtPercentile(p))));
        }
        b.append(String.format(Locale.ROOT, "max %.3f   (mean %.3f, %,d samples)", millis(h.getMaxValue()),
                h.getMean() / 1e6, h.getTotalCount()));
        out.println(b);
    }

    /** One line of {@code key=value} pairs, the same figures as above, for scripts that collect runs. */
    static String resultLine(RunResult r) {
        PerfSettings s = r.settings();
        StringBuilder b = new StringBuilder("result: mode=").append(s.mode().command());
        b.append(" destination=").append(s.topic() ? "topic:" : "queue:").append(s.destination());
        b.append(" producers=").append(s.mode() == Mode.CONSUME ? 0 : s.producers());
        b.append(" consumers=").append(s.mode() == Mode.PRODUCE ? 0 : s.consumers());
        b.append(" size=").append(s.size());
        b.append(" persistent=").append(s.persistent());
        b.append(" async=").append(s.async());
        b.append(" transacted=").append(s.transacted());
        b.append(" rate=").append(s.rate());
        if (r.sent() != null) {
            b.append(" sent=").append(r.sent().measuredCount());
            b.append(" sent_total=").append(r.sentTotal());
            b.append(String.format(Locale.ROOT, " sent_per_s=%.0f", RunResult.perSecond(r.sent().measuredCount(),
                    r.sentSeconds())));
            percentiles(b, "send", r.sendLatency());
        }
        if (r.received() != null) {
            b.append(" received=").append(r.received().measuredCount());
            b.append(" received_total=").append(r.receivedTotal());
            b.append(String.format(Locale.ROOT, " received_per_s=%.0f",
                    RunResult.perSecond(r.received().measuredCount(), r.receivedSeconds())));
        }
        if (r.endToEndLatency() != null) {
            percentiles(b, "e2e", r.endToEndLatency());
        }
        if (r.expectedReceived() >= 0) {
            b.append(" expected=").append(r.expectedReceived());
        }
        Resources.Usage u = r.usage();
        if (u != null) {
            b.append(String.format(Locale.ROOT, " client_cpu_pct=%.1f broker_cpu_pct=%.1f disk_flushes_per_s=%.0f"
                    + " broker_peak_rss_mib=%.0f", u.clientCpuPercent(), u.brokerCpuPercent(), u.diskFlushesPerSecond(),
                    u.brokerPeakRssBytes() < 0 ? -1.0 : u.brokerPeakRssBytes() / 1048576.0));
        }
        b.append(" status=").append(r.failure() != null ? "failed" : r.interrupted() ? "interrupted"
                : r.succeeded() ? "ok" : "mismatch");
        return b.toString();
    }

    private static void percentiles(StringBuilder b, String prefix, Histogram h) {
        if (h.getTotalCount() == 0) {
            return;
        }
        for (double p : PERCENTILES) {
            b.append(String.format(Locale.ROOT, " %s_p%s_ms=%.3f", prefix, label(p).replace('.', '_'),
                    millis(h.getValueAtPercentile(p))));
        }
        b.append(String.format(Locale.ROOT, " %s_max_ms=%.3f", prefix, millis(h.getMaxValue())));
    }

    private static String label(double percentile) {
        return percentile == Math.rint(percentile) ? String.valueOf((long) percentile) : String.valueOf(percentile);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
