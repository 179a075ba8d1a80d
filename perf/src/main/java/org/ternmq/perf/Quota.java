package org.ternmq.perf;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many measured messages are left to send or receive, shared by the workers of one side; unlimited
 * when the run is bounded by time only. Thread-safe.
 */
final class Quota {
    private final AtomicLong remaining;
    private final boolean limited;

    Quota(long messages) {
        this.limited = messages > 0;
        this.remaining = new AtomicLong(messages);
    }

    /** Claims one message before sending it; false when the quota is used up. */
    boolean tryTake() {
        return !limited || remaining.getAndDecrement() > 0;
    }

    /**
     * Counts one message already received; true for the one that used the quota up. Messages received past
     * that are not refused (they were taken off the destination) but return false.
     */
    boolean countReceived() {
        return limited && remaining.decrementAndGet() == 0;
    }
}
