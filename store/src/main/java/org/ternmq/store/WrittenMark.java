package org.ternmq.store;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the journal's written bytes end. The appender gathers a batch's frames in memory and writes them with one
 * call, but it publishes each record's index entry as it gathers it (the appender's own decisions need the index
 * current), so for a short while another thread may find a location whose bytes are not in the file yet. Such a
 * reader waits here until the appender has written them: at the latest at the end of the batch, before any future
 * of the batch completes.
 *
 * <p>A location is written when it lies below {@link #isWritten the mark}: locations grow with every frame (segment
 * sequence in the high bits), and the appender only gathers frames for its head, so everything below the first
 * gathered location is in the file.
 *
 * <p>Threads: {@link #gathering}, {@link #written} and {@link #stop} are called by the appender only;
 * {@link #isWritten} and {@link #await} by any thread.
 */
final class WrittenMark {
    /** The location of the first gathered, unwritten byte; {@code Long.MAX_VALUE} when nothing waits. */
    private volatile long unwrittenFrom = Long.MAX_VALUE;
    private volatile boolean stopped;
    private final AtomicInteger waiting = new AtomicInteger();

    /** Whether the frame at {@code location} is in the file. Any thread. */
    boolean isWritten(long location) {
        return location < unwrittenFrom;
    }

    /** The appender gathers frames from {@code location} on; call before their index entries are published. */
    void gathering(long location) {
        unwrittenFrom = location;
    }

    /** The appender wrote everything it had gathered. */
    void written() {
        unwrittenFrom = Long.MAX_VALUE;
        wake();
    }

    /** The appender stopped (fenced or closed): what it gathered and did not write never will be. */
    void stop() {
        stopped = true;
        wake();
    }

    /**
     * Waits until the frame at {@code location} is written; returns false when the appender stopped first. The wait
     * ends with the appender's batch, so it ignores interrupts (the flag is kept for the caller).
     */
    boolean await(long location) {
        boolean interrupted = false;
        waiting.incrementAndGet();
        try {
            synchronized (this) {
                while (location >= unwrittenFrom && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            waiting.decrementAndGet();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return isWritten(location);
    }

    private void wake() {
        // A waiter counts itself before it reads the mark; the appender moves the mark before it reads the count:
        // one of the two sees the other, so no waiter sleeps through a write.
        if (waiting.get() > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
