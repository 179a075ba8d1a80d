package org.ternmq.perf;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured. Immutable once built (the histograms are no longer written to).
 *
 * @param settings the run's settings
 * @param endpoint the URL or JNDI file used
 * @param sent the producers' meter, or null when nothing was sent
 * @param sentSeconds from the end of the warm-up to the last measured send
 * @param received the consumers' meter, or null when nothing was received
 * @param receivedSeconds from the end of the warm-up to the last measured receive
 * @param expectedReceived roundtrip: messages the consumers should have had (sent times subscribers); else -1
 * @param stale roundtrip: messages of earlier runs found on the destination
 * @param failure the first failure, or null
 * @param interrupted whether the run was cut short from outside (Ctrl-C)
 * @param usage CPU and disk over the measured part
 */
record RunResult(PerfSettings settings, String endpoint, Meter sent, double sentSeconds, Meter received,
        double receivedSeconds, long expectedReceived, long stale, Exception failure, boolean interrupted,
        Resources.Usage usage) {

    long sentTotal() {
        return sent == null ? 0 : sent.total();
    }

    long receivedTotal() {
        return received == null ? 0 : received.total();
    }

    static double perSecond(long count, double seconds) {
        return seconds > 0 ? count / seconds : 0;
    }

    Histogram sendLatency() {
        return sent == null ? null : sent.latency();
    }

    /** Roundtrip only: end-to-end latencies. */
    Histogram endToEndLatency() {
        return received == null || expectedReceived < 0 ? null : received.latency();
    }

    /** Roundtrip only: received minus expected (negative: lost, positive: duplicates). */
    long receivedSurplus() {
        return expectedReceived < 0 ? 0 : receivedTotal() - expectedReceived;
    }

    /** Whether the run did what it was asked: no failure, nothing lost or duplicated. */
    boolean succeeded() {
        return failure == null && !interrupted && receivedSurplus() == 0;
    }
}
