package org.ternmq.broker.core;

import java.util.NoSuchElementException;

/**
 * A first-in first-out queue of {@code long}s in one growable circular array: 8 bytes an entry, no
 * boxing, so a queue can keep millions of paged-out message ids. It grows by doubling and shrinks to
 * half when it is less than a quarter full, so a drained backlog gives its memory back.
 *
 * <p>Not thread-safe: owned by the agent thread, like the queue that holds it.
 */
final class LongRing {

    private static final int MIN_CAPACITY = 16;

    private long[] items;
    private int head;
    private int size;

    LongRing() {
        items = new long[MIN_CAPACITY];
    }

    /** A ring holding {@code values[0..count)} in that order; takes the array over. */
    static LongRing of(long[] values, int count) {
        if (count < 0 || count > values.length) {
            throw new IllegalArgumentException("count " + count + " for " + values.length + " values");
        }
        LongRing ring = new LongRing();
        if (values.length >= MIN_CAPACITY) {
            ring.items = values;
        } else {
            System.arraycopy(values, 0, ring.items, 0, count);
        }
        ring.size = count;
        return ring;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int capacity() {
        return items.length;
    }

    void addLast(long value) {
        if (size == items.length) {
            resize(items.length * 2);
        }
        items[index(size)] = value;
        size++;
    }

    /** Puts {@code value} back at the head (a page-in that could not complete). */
    void addFirst(long value) {
        if (size == items.length) {
            resize(items.length * 2);
        }
        head = head == 0 ? items.length - 1 : head - 1;
        items[head] = value;
        size++;
    }

    long peekFirst() {
        if (size == 0) {
            throw new NoSuchElementException("empty");
        }
        return items[head];
    }

    long removeFirst() {
        long value = peekFirst();
        head = index(1);
        size--;
        if (size == 0) {
            head = 0;
        }
        if (items.length > MIN_CAPACITY && size < items.length / 4) {
            resize(Math.max(MIN_CAPACITY, items.length / 2));
        }
        return value;
    }

    /** The {@code i}-th value from the head. */
    long get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return items[index(i)];
    }

    void clear() {
        items = new long[MIN_CAPACITY];
        head = 0;
        size = 0;
    }

    private int index(int offset) {
        int i = head + offset;
        return i >= items.length ? i - items.length : i;
    }

    private void resize(int capacity) {
        long[] bigger = new long[capacity];
        int first = Math.min(size, items.length - head);
        System.arraycopy(items, head, bigger, 0, first);
        System.arraycopy(items, 0, bigger, first, size - first);
        items = bigger;
        head = 0;
    }
}
