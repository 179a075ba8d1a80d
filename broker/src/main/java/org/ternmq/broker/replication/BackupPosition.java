package org.ternmq.broker.replication;

import org.ternmq.store.format.SegmentDescriptor;

/**
 * One backup as the live broker sees it, for metrics: how far behind the journal's end it is.
 *
 * @param backup                the backup's address ({@code ip:port} of its replication connection)
 * @param acknowledged          the journal position it acknowledged (forced there), packed (segment, offset)
 * @param published             the end of the last batch the live journal published, packed likewise
 * @param lagBytes              journal bytes between the two (the unused tail of a segment counted as written)
 * @param unacknowledgedBatches batches sent while following and not yet acknowledged (catch-up not counted)
 * @param lagMillis             how long the oldest of those has waited for its acknowledgement (0: none waits)
 * @param inSync                whether it is in the in-sync set (caught up, within {@code replica-max-lag})
 */
public record BackupPosition(String backup, long acknowledged, long published, long lagBytes,
                             int unacknowledgedBatches, long lagMillis, boolean inSync) {

    /** Journal bytes from packed position {@code from} to {@code to}; 0 when {@code to} is not past {@code from}. */
    public static long bytesBetween(long from, long to, int segmentSize) {
        if (to <= from) {
            return 0;
        }
        int header = SegmentDescriptor.HEADER_LENGTH;
        long fromSequence = from == 0 ? 1 : from >>> 32;
        long fromOffset = from == 0 ? header : (int) from;
        long toSequence = to >>> 32;
        long toOffset = (int) to;
        if (fromSequence == toSequence) {
            return Math.max(0, toOffset - fromOffset);
        }
        return Math.max(0, segmentSize - fromOffset) + (toSequence - fromSequence - 1) * (segmentSize - header)
                + Math.max(0, toOffset - header);
    }
}
