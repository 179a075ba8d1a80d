package org.ternmq.store;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Hands out record and transaction ids that the journal's directory has never handed out before, across
 * restarts, crashes, compactions and removed segments.
 *
 * <p>Ids are handed out from a block reserved by an {@link org.ternmq.store.format.RecordType#ID_BLOCK}
 * frame carrying the block's last id. The frame is queued for the appender <em>before</em> any id of its
 * block is returned, so every frame that uses such an id comes after it in the journal; recovery keeps a
 * prefix of the journal, so whenever a frame using an id survives, so does a reservation covering it.
 * Segments are removed (oldest first) only after everything written is forced, and each new segment starts
 * with an ID_BLOCK frame repeating the highest id so far, as does every open; so the newest segment always
 * holds a reservation at least as high as every id handed out, whichever older segments are gone. Recovery
 * resumes above the highest id any frame carries ({@link JournalState#highestId()}).
 *
 * <p>The cost is one 32-byte frame per block (and per segment and per open); an id space of 2^63 makes the
 * ids skipped at each restart (at most one block) irrelevant.
 *
 * <p>Threads: any. The fast path is one atomic add; crossing into a new block takes a lock while the
 * reservation is queued (which may wait for room in the appender's queue).
 */
final class IdSequence {
    private final AtomicLong last;
    private final long block;
    private final LongConsumer reserve;
    /** The last id covered by a reservation already queued; written only after the frame is queued. */
    private volatile long reservedTo;

    /**
     * @param highest the highest id recovery found in any frame: ids start above it
     * @param block how many ids each reservation covers
     * @param reserve queues an ID_BLOCK frame for the given last id (called under this object's lock)
     */
    IdSequence(long highest, long block, LongConsumer reserve) {
        if (block < 1) {
            throw new IllegalArgumentException("block must be positive: " + block);
        }
        this.last = new AtomicLong(highest);
        this.reservedTo = highest;
        this.block = block;
        this.reserve = reserve;
    }

    /** Queues a reservation of the next block now, so the head segment states the high-water mark at once. */
    synchronized void reserveAhead() {
        reserveThrough(last.get() + 1);
    }

    /** The first of {@code count} consecutive ids, none handed out before. */
    long next(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        long first = last.getAndAdd(count) + 1;
        long end = first + count - 1;
        if (end > reservedTo) {
            synchronized (this) {
                if (end > reservedTo) {
                    reserveThrough(end);
                }
            }
        }
        return first;
    }

    /** Called with the lock held. */
    private void reserveThrough(long end) {
        long to = Math.max(end, last.get()) + block;
        reserve.accept(to);
        reservedTo = to;
    }
}
