package org.ternmq.store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The journal's segments in sequence order, plus the lock that keeps readers out of a segment while
 * it is removed or closed.
 *
 * <p>Threads: the appender (the opening thread during recovery) is the only one that adds or
 * removes, and does so under the write lock; it may look segments up without locking. Reader threads
 * call {@link #readLock()} and then {@link #get}; while they hold it no segment is closed.
 */
final class SegmentSet {
    private final TreeMap<Long, Segment> bySequence = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Set under the write lock when the journal closes; readers check it under the read lock. */
    private boolean closed;

    ReentrantReadWriteLock.ReadLock readLock() {
        return lock.readLock();
    }

    Segment get(long sequence) {
        return bySequence.get(sequence);
    }

    void add(Segment segment) {
        lock.writeLock().lock();
        try {
            bySequence.put(segment.sequence, segment);
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(Segment segment) {
        lock.writeLock().lock();
        try {
            bySequence.remove(segment.sequence);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Marks the set closed and returns every segment, so the caller can close them with no reader inside. */
    List<Segment> closeAll() {
        lock.writeLock().lock();
        try {
            closed = true;
            List<Segment> all = new ArrayList<>(bySequence.values());
            bySequence.clear();
            return all;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the journal closed; call under the read lock. */
    boolean isClosed() {
        return closed;
    }

    Segment oldest() {
        return bySequence.isEmpty() ? null : bySequence.firstEntry().getValue();
    }

    int count() {
        return bySequence.size();
    }

    Iterable<Segment> inOrder() {
        return bySequence.values();
    }
}
