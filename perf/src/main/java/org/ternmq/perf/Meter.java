package org.ternmq.perf;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counts the messages of one side of a run (sent or received), warm-up apart from measured, and records
 * the latencies of measured ones in nanoseconds. Thread-safe: workers and completion listeners record
 * while the progress thread reads the counts; the histogram is read once the workers are done.
 */
final class Meter {
    private final LongAdder warmup = new LongAdder();
    private final LongAdder measured = new LongAdder();
    private final LongAccumulator lastMeasuredNanos = new LongAccumulator(Math::max, Long.MIN_VALUE);
    // three significant digits; auto-resizing, so a stall of any length is recorded, not clipped; sized for
    // ten minutes from the start, so the first measured values do not resize it while the run is measured
    private final Histogram latency = newHistogram();
    private final Histogram warmupLatency = newHistogram();

    private static Histogram newHistogram() {
        Histogram h = new ConcurrentHistogram(1, java.util.concurrent.TimeUnit.MINUTES.toNanos(10), 3);
        h.setAutoResize(true);
        return h;
    }

    /** Records a warm-up message; its latency (negative: none known) is kept apart and never reported. */
    void recordWarmup(long latencyNanos) {
        warmup.increment();
        if (latencyNanos >= 0) {
            // recorded and never read: the measured part then runs code the JIT compiled during the warm-up,
            // instead of a path first taken when measuring starts (a burst of compilations in the first seconds
            // of the measured part, which showed in S6's tail on two cores)
            warmupLatency.recordValue(latencyNanos);
        }
    }

    /** Records a measured message completed at {@code nowNanos}; a negative latency means none known. */
    void recordMeasured(long nowNanos, long latencyNanos) {
        measured.increment();
        lastMeasuredNanos.accumulate(nowNanos);
        if (latencyNanos >= 0) {
            latency.recordValue(latencyNanos);
        }
    }

    long warmupCount() {
        return warmup.sum();
    }

    long measuredCount() {
        return measured.sum();
    }

    long total() {
        return warmup.sum() + measured.sum();
    }

    /** When the last measured message completed, or {@link Long#MIN_VALUE} before any. */
    long lastMeasuredNanos() {
        return lastMeasuredNanos.get();
    }

    /** The latencies recorded so far; read it once the workers are done. */
    Histogram latency() {
        return latency;
    }
}
