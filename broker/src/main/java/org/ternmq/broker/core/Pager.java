package org.ternmq.broker.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.persistence.StoredRef;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;

/**
 * Rebuilds the refs queues paged out, from the store (or, for a ref whose batch is not written yet, from
 * the {@link StoreWriter}), and counts the messages all queues hold on the heap.
 *
 * <p>A queue pages in a bounded step per agent task ({@link #STEP_MESSAGES}, {@link #STEP_BYTES}), so
 * reading the store never holds the agent thread, and so the producers it serves, for long.
 *
 * <p>Owned by the agent thread.
 */
final class Pager {

    private static final Logger LOG = LoggerFactory.getLogger(Pager.class);

    /** Most refs one page-in (or paged-drop) task reads. */
    static final int STEP_MESSAGES = 256;
    /** Refs read from the store together (one journal-order pass with large reads). */
    static final int READ_BATCH = 64;
    /** Most message bytes one page-in task reads. */
    static final long STEP_BYTES = 1 << 20;

    private final StoreWriter writer;
    private int resident;
    private long residentBytes;
    private int peakResident;

    Pager(StoreWriter writer) {
        this.writer = writer;
    }

    /**
     * Ref {@code refId} as stored, or null when the store no longer has it or its message cannot be read
     * (it is then deleted: it could never be delivered).
     *
     * @throws java.io.UncheckedIOException when the store cannot be read; the ref is still stored
     */
    MessageRef pageIn(long refId) {
        MessageRef unwritten = writer.takeUnwritten(refId);
        if (unwritten != null) {
            return unwritten;
        }
        return toRef(refId, writer.store().readRef(refId));
    }

    /**
     * {@link #pageIn} for each of {@code refIds}, in order (null where one is missing or unreadable): the stored
     * ones are read together, in journal order with large reads ({@code MessageStore.readRefs}), so paging a
     * backlog back in reads the disk sequentially instead of twice per message.
     *
     * @throws java.io.UncheckedIOException when the store cannot be read; nothing was taken then
     */
    MessageRef[] pageIn(long[] refIds) {
        MessageRef[] result = new MessageRef[refIds.length];
        long[] toRead = new long[refIds.length];
        int[] at = new int[refIds.length];
        int n = 0;
        for (int i = 0; i < refIds.length; i++) {
            if (!writer.isUnwritten(refIds[i])) {
                toRead[n] = refIds[i];
                at[n++] = i;
            }
        }
        StoredRef[] stored = n == 0 ? new StoredRef[0] : writer.store().readRefs(java.util.Arrays.copyOf(toRead, n));
        for (int i = 0; i < refIds.length; i++) {
            if (writer.isUnwritten(refIds[i])) {
                result[i] = writer.takeUnwritten(refIds[i]);
            }
        }
        for (int k = 0; k < n; k++) {
            result[at[k]] = toRef(toRead[k], stored[k]);
        }
        return result;
    }

    /** A paged-out message as a browser sees it: read, not taken. */
    record Peeked(EncodedMessage message, int deliveryCount) {
    }

    /**
     * The paged-out refs {@code refIds} read for browsing, in order, with null where one is gone (consumed since, or
     * unreadable): unlike {@link #pageIn}, nothing changes, neither here, nor in the store, nor in the writer.
     *
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    Peeked[] peek(long[] refIds) {
        Peeked[] result = new Peeked[refIds.length];
        long[] toRead = new long[refIds.length];
        int[] at = new int[refIds.length];
        int n = 0;
        for (int i = 0; i < refIds.length; i++) {
            MessageRef unwritten = writer.peekUnwritten(refIds[i]);
            if (unwritten != null) {
                result[i] = new Peeked(unwritten.message, unwritten.deliveryCount);
            } else {
                toRead[n] = refIds[i];
                at[n++] = i;
            }
        }
        StoredRef[] stored = n == 0 ? new StoredRef[0] : writer.store().readRefs(java.util.Arrays.copyOf(toRead, n));
        for (int k = 0; k < n; k++) {
            if (stored[k] != null) {
                try {
                    result[at[k]] = new Peeked(EncodedMessage.wrap(stored[k].message()), stored[k].deliveryCount());
                } catch (MalformedMessageException e) {
                    LOG.debug("paged message {} is unreadable; browsing skips it", stored[k].messageId());
                }
            }
        }
        return result;
    }

    private MessageRef toRef(long refId, StoredRef stored) {
        if (stored == null) {
            LOG.warn("stored message reference {} or its message is missing; it is skipped", refId);
            writer.refOrphaned(refId);
            return null;
        }
        EncodedMessage message;
        try {
            message = EncodedMessage.wrap(stored.message());
        } catch (MalformedMessageException e) {
            LOG.error("stored message {} is unreadable and is dropped: {}", stored.messageId(), e.getMessage());
            writer.storedRefUnreadable(stored);
            return null;
        }
        MessageRef ref = new MessageRef(message, stored.sequence(), null, null);
        ref.deliveryCount = stored.deliveryCount();
        ref.uncharged = Math.min(stored.uncharged(), stored.deliveryCount());
        ref.redeliverAt = stored.redeliverAt();
        ref.firstDeliveredAt = stored.firstDeliveredAt();
        ref.refId = refId;
        ref.deliveryStored = stored.deliveryStored();
        if (stored.shared()) {
            ref.stored = writer.sharedMessage(stored.messageId());
        }
        ref.lifecycle = writer.retention().pagedIn(refId);
        return ref;
    }

    /** A queue now holds {@code delta} more (or fewer) messages, of {@code bytes} in all, on the heap. */
    void held(int delta, long bytes) {
        resident += delta;
        residentBytes += bytes;
        peakResident = Math.max(peakResident, resident);
    }

    /** Bytes of the messages queues hold on the heap now (estimated, see {@code MessageRef.heapSize}). */
    long residentBytes() {
        return residentBytes;
    }

    /** Messages queues hold on the heap now (waiting, not delivered). */
    int resident() {
        return resident;
    }

    /** The most {@link #resident} has been since the last {@link #resetPeak}. */
    int peakResident() {
        return peakResident;
    }

    void resetPeak() {
        peakResident = resident;
    }
}
