package org.ternmq.perf;

/**
 * The phases of one run on the {@link System#nanoTime()} clock: warm-up from the start, then measuring
 * until an optional deadline. Immutable, so every worker thread may read it.
 */
final class RunClock {
    private final long startNanos;
    private final long measureFromNanos;
    private final long deadlineNanos;
    private final boolean hasDeadline;

    private RunClock(long startNanos, long measureFromNanos, long deadlineNanos, boolean hasDeadline) {
        this.startNanos = startNanos;
        this.measureFromNanos = measureFromNanos;
        this.deadlineNanos = deadlineNanos;
        this.hasDeadline = hasDeadline;
    }

    /** Starts now; {@code durationSeconds} 0 means no deadline. */
    static RunClock start(double warmupSeconds, double durationSeconds) {
        long now = System.nanoTime();
        long measureFrom = now + (long) (warmupSeconds * 1e9);
        return new RunClock(now, measureFrom, measureFrom + (long) (durationSeconds * 1e9), durationSeconds > 0);
    }

    long startNanos() {
        return startNanos;
    }

    long measureFromNanos() {
        return measureFromNanos;
    }

    /** Whether something that happened at {@code nanos} belongs to the measured phase. */
    boolean measuring(long nanos) {
        return nanos - measureFromNanos >= 0;
    }

    boolean pastDeadline(long nanos) {
        return hasDeadline && nanos - deadlineNanos >= 0;
    }
}
