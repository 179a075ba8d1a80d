package org.ternmq.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/** Writes runs as JSON: one object per run (a fill-drain run has two phases) inside {@code {"runs": [...]}}. */
final class Json {
    private Json() {
    }

    static void write(Path file, List<RunResult> runs) throws IOException {
        StringBuilder b = new StringBuilder("{\"runs\": [");
        for (int i = 0; i < runs.size(); i++) {
            b.append(i == 0 ? "\n  " : ",\n  ");
            run(b, runs.get(i));
        }
        b.append("\n]}\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, b.toString());
    }

    private static void run(StringBuilder b, RunResult r) {
        PerfSettings s = r.settings();
        b.append('{');
        field(b, "workload", s.workload() == null ? null : s.workload().name());
        field(b, "mode", s.mode().command());
        field(b, "endpoint", r.endpoint());
        field(b, "destination", (s.topic() ? "topic:" : "queue:") + s.destination());
        num(b, "producers", s.mode() == Mode.CONSUME ? 0 : s.producers());
        num(b, "consumers", s.mode() == Mode.PRODUCE ? 0 : s.consumers());
        num(b, "size", s.size());
        bool(b, "persistent", s.persistent());
        bool(b, "durable", s.durable());
        num(b, "transacted", s.transacted());
        num(b, "rate", s.rate());
        num(b, "warmup_s", s.warmupSeconds());
        if (r.sent() != null) {
            num(b, "sent", r.sent().measuredCount());
            num(b, "sent_per_s", RunResult.perSecond(r.sent().measuredCount(), r.sentSeconds()));
            latency(b, "send_latency_ms", r.sendLatency());
        }
        if (r.received() != null) {
            num(b, "received", r.received().measuredCount());
            num(b, "received_per_s", RunResult.perSecond(r.received().measuredCount(), r.receivedSeconds()));
        }
        if (r.endToEndLatency() != null) {
            latency(b, "e2e_latency_ms", r.endToEndLatency());
        }
        if (r.expectedReceived() >= 0) {
            num(b, "expected", r.expectedReceived());
        }
        Resources.Usage u = r.usage();
        if (u != null) {
            num(b, "client_cpu_pct", u.clientCpuPercent());
            num(b, "broker_cpu_pct", u.brokerCpuPercent());
            num(b, "disk_flushes_per_s", u.diskFlushesPerSecond());
            num(b, "broker_peak_rss_bytes", u.brokerPeakRssBytes());
        }
        field(b, "status", r.failure() != null ? "failed" : r.interrupted() ? "interrupted"
                : r.succeeded() ? "ok" : "mismatch");
        if (r.failure() != null) {
            field(b, "failure", LoadRun.describe(r.failure()));
        }
        b.setLength(b.length() - 2);
        b.append('}');
    }

    private static void latency(StringBuilder b, String name, Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return;
        }
        b.append('"').append(name).append("\": {");
        for (double p : Summary.PERCENTILES) {
            b.append(String.format(Locale.ROOT, "\"p%s\": %.3f, ", p == Math.rint(p) ? String.valueOf((long) p)
                    : String.valueOf(p), h.getValueAtPercentile(p) / 1e6));
        }
        b.append(String.format(Locale.ROOT, "\"max\": %.3f, \"mean\": %.3f, \"samples\": %d}, ", h.getMaxValue() / 1e6,
                h.getMean() / 1e6, h.getTotalCount()));
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\": ");
        if (value == null) {
            b.append("null");
        } else {
            b.append('"');
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
        b.append(", ");
    }

    private static void num(StringBuilder b, String name, double value) {
        b.append('"').append(name).append("\": ");
        b.append(value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%.3f", value));
        b.append(", ");
    }

    private static void bool(StringBuilder b, String name, boolean value) {
        b.append('"').append(name).append("\": ").append(value).append(", ");
    }
}
