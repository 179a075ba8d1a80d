package org.ternmq.store;

import java.nio.ByteBuffer;

/**
 * Sees every batch the appender writes, before the batch's durable futures complete, so a replicator
 * can ship the bytes and hold acknowledgements back until a backup has them too.
 *
 * <p>Called on the thread that writes the batch (the appender, or a caller writing its own batch,
 * {@link Journal#writeHere}), one writer at a time, in journal order: keep it short and never block on something
 * the journal's writer must do. An exception thrown here fences the journal.
 */
@FunctionalInterface
public interface ReplicationListener {
    /**
     * One contiguous run of record frames in one segment (a batch that crosses a segment end arrives as
     * two calls).
     *
     * @param segmentSequence the segment's sequence number
     * @param position where the first frame starts in the segment
     * @param frames a read-only little-endian view of the frames ({@link org.ternmq.store.format.RecordDescriptor}
     *     layout), valid only during the call
     */
    void onBatch(long segmentSequence, int position, ByteBuffer frames);

    /**
     * The journal removed its oldest segments, up to (not including) {@code oldestKept}: nothing in them was live
     * any more, given every frame published so far (each {@link #onBatch} before this call), and that those frames
     * were forced first. A backup that has every frame published before this call may remove the same segments
     * once it forced them too: its copy then recovers to the same state. Called in order with {@link #onBatch}.
     *
     * @param oldestKept the sequence of the oldest segment the journal still has
     */
    default void onSegmentsRemoved(long oldestKept) {
    }
}
