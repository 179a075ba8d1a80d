package org.ternmq.broker.persistence;

import java.util.Arrays;

/**
 * The references of one durable queue found by recovery, as (sequence, ref id) pairs in two longs each:
 * 16 bytes a reference, so millions of them fit where their messages never could. Recovery hands them
 * over in journal order, which compaction and updates may have shuffled, hence the sort.
 *
 * <p>Used by the loading thread only.
 */
final class RecoveredRefs {

    private long[] pairs = new long[64];
    private int size;
    private long maxSequence;

    void add(long sequence, long refId) {
        if (2 * size + 2 > pairs.length) {
            // grows by half (an even length: pairs never straddle the end), not double: this is the big one
            long grown = Math.min(Integer.MAX_VALUE - 8, pairs.length + (long) pairs.length / 2) & ~1L;
            pairs = Arrays.copyOf(pairs, Math.toIntExact(grown));
        }
        pairs[2 * size] = sequence;
        pairs[2 * size + 1] = refId;
        size++;
        maxSequence = Math.max(maxSequence, sequence);
    }

    int size() {
        return size;
    }

    long maxSequence() {
        return maxSequence;
    }

    /** The ref id of the {@code i}-th pair as added (before {@link #idsInOrder}). */
    long refIdAt(int i) {
        return pairs[2 * i + 1];
    }

    /** The ref ids in arrival (sequence) order, exactly {@link #size} long; this object is spent afterwards. */
    long[] idsInOrder() {
        if (!sorted()) {
            heapSort();
        }
        long[] ids = new long[size];
        for (int i = 0; i < size; i++) {
            ids[i] = pairs[2 * i + 1];
        }
        pairs = null;
        return ids;
    }

    private boolean sorted() {
        for (int i = 1; i < size; i++) {
            if (pairs[2 * i] < pairs[2 * i - 2]) {
                return false;
            }
        }
        return true;
    }

    /** In place, no extra memory, n log n whatever the input: the pairs may be many. */
    private void heapSort() {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, size);
        }
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
    }

    private void siftDown(int i, int end) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= end) {
                return;
            }
            if (child + 1 < end && pairs[2 * child + 2] > pairs[2 * child]) {
                child++;
            }
            if (pairs[2 * child] <= pairs[2 * i]) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        long s = pairs[2 * a];
        long r = pairs[2 * a + 1];
        pairs[2 * a] = pairs[2 * b];
        pairs[2 * a + 1] = pairs[2 * b + 1];
        pairs[2 * b] = s;
        pairs[2 * b + 1] = r;
    }
}
