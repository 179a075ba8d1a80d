package org.ternmq.perf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * A step run at a fixed rate, each timed from when it was due: the loop of {@code disk-probe --rate} and
 * {@code wakeup-probe}.
 */
final class Paced {

    /** One paced step: a write and a force, or nothing at all. */
    interface Step<E extends Exception> {
        void run() throws E;
    }

    private Paced() {
    }

    /**
     * Runs {@code step} {@code rate} times a second for {@code seconds}, sleeping until each is due, and records how
     * long after it was due each one ended: a stall counts for every step it delayed, as S6's latencies do.
     */
    static <E extends Exception> Histogram run(int rate, double seconds, Step<E> step) throws E {
        Histogram latency = new Histogram(3);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime();
        long count = Math.max(1, (long) (seconds * rate));
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            step.run();
            latency.recordValue(System.nanoTime() - due);
        }
        return latency;
    }

    /** The value at {@code percentile} of {@code h} (nanoseconds), in milliseconds. */
    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    /** How many recorded values are above {@code nanos} (0 when none is). */
    static long countAbove(Histogram h, long nanos) {
        return h.getMaxValue() <= nanos ? 0 : h.getCountBetweenValues(nanos + 1, h.getMaxValue());
    }
}
