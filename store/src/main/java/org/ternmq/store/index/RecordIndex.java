package org.ternmq.store.index;

import java.util.concurrent.locks.StampedLock;
import java.util.function.LongBinaryOperator;

/**
 * Maps a record id to the location of its current version: an open-addressing hash table over two
 * primitive {@code long} arrays (linear probing, backward-shift deletion, no tombstones), about 16
 * bytes per slot and 23-33 bytes per live record at the load factors it keeps. A
 * {@code HashMap<Long, Long>} would cost about 80 bytes per entry and a pointer chase per lookup.
 *
 * <p>Threads: one writer (the journal's appender) calls {@link #put} and {@link #remove}; any thread
 * may call {@link #get} concurrently. Readers take an optimistic {@link StampedLock} stamp and fall
 * back to a read lock only when a write overlapped, so reads never block the writer for long.
 * {@link #forEach} and {@link #size} are for the writer thread.
 *
 * <p>A location is any non-zero long; {@code 0} means "absent".
 */
public final class RecordIndex {
    /** Returned by {@link #get} and friends for an id that is not present. */
    public static final long ABSENT = 0L;

    private static final long EMPTY_KEY = Long.MIN_VALUE;
    private static final double MAX_LOAD = 0.7;

    private final StampedLock lock = new StampedLock();
    private volatile Table table;
    /** Value for the key {@link #EMPTY_KEY}, which cannot live in the table. */
    private long minKeyValue = ABSENT;
    private int size;

    /** An empty index sized for about {@code expected} entries before it first grows. */
    public RecordIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected / MAX_LOAD + 1)) - 1) << 1;
        table = new Table(capacity);
    }

    public RecordIndex() {
        this(1024);
    }

    /** The location of {@code id}, or {@link #ABSENT}. Any thread. */
    public long get(long id) {
        long stamp = lock.tryOptimisticRead();
        long value = lookup(id);
        if (lock.validate(stamp)) {
            return value;
        }
        stamp = lock.readLock();
        try {
            return lookup(id);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Sets the location of {@code id} and returns the previous one, or {@link #ABSENT}. Writer only. */
    public long put(long id, long location) {
        if (location == ABSENT) {
            throw new IllegalArgumentException("location 0 is reserved for absent");
        }
        long stamp = lock.writeLock();
        try {
            if (id == EMPTY_KEY) {
                long previous = minKeyValue;
                minKeyValue = location;
                if (previous == ABSENT) {
                    size++;
                }
                return previous;
            }
            Table t = table;
            int slot = t.find(id);
            if (t.keys[slot] == id) {
                long previous = t.values[slot];
                t.values[slot] = location;
                return previous;
            }
            t.keys[slot] = id;
            t.values[slot] = location;
            size++;
            if (size > t.keys.length * MAX_LOAD) {
                table = t.grown();
            }
            return ABSENT;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes {@code id} and returns its location, or {@link #ABSENT}. Writer only. */
    public long remove(long id) {
        long stamp = lock.writeLock();
        try {
            if (id == EMPTY_KEY) {
                long previous = minKeyValue;
                minKeyValue = ABSENT;
                if (previous != ABSENT) {
                    size--;
                }
                return previous;
            }
            Table t = table;
            int slot = t.find(id);
            if (t.keys[slot] != id) {
                return ABSENT;
            }
            long previous = t.values[slot];
            t.deleteAt(slot);
            size--;
            return previous;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Number of ids present. Writer thread. */
    public int size() {
        return size;
    }

    /** Number of slots; with {@link #size} gives the heap cost per record (16 bytes per slot). */
    public int capacity() {
        return table.keys.length;
    }

    /** Calls {@code action.applyAsLong(id, location)} for every entry (result ignored). Writer thread. */
    public void forEach(LongBinaryOperator action) {
        if (minKeyValue != ABSENT) {
            action.applyAsLong(EMPTY_KEY, minKeyValue);
        }
        Table t = table;
        for (int i = 0; i < t.keys.length; i++) {
            if (t.keys[i] != EMPTY_KEY) {
                action.applyAsLong(t.keys[i], t.values[i]);
            }
        }
    }

    private long lookup(long id) {
        if (id == EMPTY_KEY) {
            return minKeyValue;
        }
        Table t = table;
        long[] keys = t.keys;
        int mask = keys.length - 1;
        int slot = Table.hash(id, mask);
        // Bounded so that an optimistic read racing a write can never spin; validate() discards it.
        for (int probes = 0; probes < keys.length; probes++) {
            long k = keys[slot];
            if (k == id) {
                return t.values[slot];
            }
            if (k == EMPTY_KEY) {
                return ABSENT;
            }
            slot = (slot + 1) & mask;
        }
        return ABSENT;
    }

    /** Keys and values replaced together, so a reader never mixes arrays of two sizes. */
    private static final class Table {
        final long[] keys;
        final long[] values;

        Table(int capacity) {
            keys = new long[capacity];
            values = new long[capacity];
            java.util.Arrays.fill(keys, EMPTY_KEY);
        }

        static int hash(long id, int mask) {
            long h = id * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }

        /** The slot holding {@code id}, or the empty slot where it would go. */
        int find(long id) {
            int mask = keys.length - 1;
            int slot = hash(id, mask);
            while (keys[slot] != id && keys[slot] != EMPTY_KEY) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        /** Backward-shift deletion: later entries of the probe run move up so lookups stay correct. */
        void deleteAt(int slot) {
            int mask = keys.length - 1;
            int hole = slot;
            int next = (hole + 1) & mask;
            while (keys[next] != EMPTY_KEY) {
                int home = hash(keys[next], mask);
                // move keys[next] into the hole unless its home lies cyclically in (hole, next]
                boolean stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
                if (!stays) {
                    keys[hole] = keys[next];
                    values[hole] = values[next];
                    hole = next;
                }
                next = (next + 1) & mask;
            }
            keys[hole] = EMPTY_KEY;
            values[hole] = ABSENT;
        }

        Table grown() {
            Table bigger = new Table(keys.length << 1);
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY_KEY) {
                    int slot = bigger.find(keys[i]);
                    bigger.keys[slot] = keys[i];
                    bigger.values[slot] = values[i];
                }
            }
            return bigger;
        }
    }
}
