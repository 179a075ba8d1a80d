package org.ternmq.store;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;
import org.ternmq.store.index.RecordIndex;

/**
 * What the journal's records mean, kept up to date one record at a time: the id index, pending
 * transactions and each segment's live accounting. Recovery replays every record through the same
 * methods the appender calls after each write, so the state after a restart is built by the code
 * that built it before.
 *
 * <p>A record is live (it pins its segment) while replay still needs it: the current version of an
 * id, the latest staged change per id of a pending transaction, and the prepare record of a prepared
 * one. Deletes, commits and rollbacks are never live: segments are only ever removed oldest first, so
 * a delete can never outlive the add it cancels (see store/README.md).
 *
 * <p>Threads: the appender thread only (the opening thread during recovery). The index inside is
 * also read by other threads, which it allows.
 */
final class JournalState {
    final RecordIndex index;
    private final SegmentSet segments;
    private final Map<Long, PendingTransaction> transactions = new LinkedHashMap<>();
    /** The highest record or transaction id any applied frame carried, ID_BLOCK reservations included. */
    private long highestId;
    private FrameLengths lengths = (s, offset) -> s.file.readInt(offset + RecordDescriptor.LENGTH_OFFSET);

    /** Where the length of a frame of a live segment is read (the appender's frames may still be in memory). */
    interface FrameLengths {
        int lengthAt(Segment s, int offset) throws IOException;
    }

    JournalState(RecordIndex index, SegmentSet segments) {
        this.index = index;
        this.segments = segments;
    }

    /** Reads frame lengths through {@code lengths} from now on (the appender's, which knows its gathered frames). */
    void frameLengths(FrameLengths lengths) {
        this.lengths = lengths;
    }

    Map<Long, PendingTransaction> transactions() {
        return transactions;
    }

    PendingTransaction transaction(long txId) {
        return transactions.get(txId);
    }

    /**
     * The highest id (record or transaction) in any frame applied so far, live or not, including what
     * {@link RecordType#ID_BLOCK} frames reserved. After recovery, no id at or below it may be handed out.
     */
    long highestId() {
        return highestId;
    }

    /**
     * Applies one record that now sits at {@code location} and takes {@code frame} aligned bytes.
     *
     * @param xid the PREPARE record's payload, else ignored
     */
    void apply(RecordType type, long id, long txId, long location, int frame, byte[] xid) throws IOException {
        highestId = Math.max(highestId, Math.max(id, txId));
        switch (type) {
            case ADD, UPDATE -> put(id, location, frame);
            case DELETE -> delete(id);
            case ADD_TX, UPDATE_TX -> stage(txId, id, false, location, frame);
            case DELETE_TX -> stage(txId, id, true, location, frame);
            case PREPARE -> prepare(id, xid, location, frame);
            case COMMIT -> commit(id);
            case ROLLBACK -> rollback(id);
            case END_OF_SEGMENT, ID_BLOCK -> { }
            default -> throw new IllegalArgumentException("unknown record type " + type);
        }
    }

    /**
     * Whether the record at {@code location} is still needed by replay in its current place; that is
     * exactly what compaction must copy to the head before the segment goes.
     */
    boolean isLive(RecordType type, long id, long txId, long location) {
        switch (type) {
            case ADD, UPDATE:
                return index.get(id) == location;
            case ADD_TX, UPDATE_TX, DELETE_TX: {
                if (type != RecordType.DELETE_TX && index.get(id) == location) {
                    return true;
                }
                PendingTransaction tx = transactions.get(txId);
                PendingTransaction.Change change = tx == null ? null : tx.changes.get(id);
                return change != null && change.location == location;
            }
            case PREPARE: {
                PendingTransaction tx = transactions.get(id);
                return tx != null && tx.prepareLocation == location;
            }
            default:
                return false;
        }
    }

    private void put(long id, long location, int frame) throws IOException {
        long previous = index.put(id, location);
        if (previous != RecordIndex.ABSENT) {
            releaseIndexed(previous);
        }
        retain(location, frame);
    }

    private void delete(long id) throws IOException {
        long previous = index.remove(id);
        if (previous != RecordIndex.ABSENT) {
            releaseIndexed(previous);
        }
    }

    private void stage(long txId, long id, boolean delete, long location, int frame) {
        PendingTransaction tx = transactions.computeIfAbsent(txId, PendingTransaction::new);
        PendingTransaction.Change previous = tx.changes.put(id, new PendingTransaction.Change(location, frame, delete));
        if (previous != null) {
            release(previous.location, previous.frame);
        }
        retain(location, frame);
    }

    private void prepare(long txId, byte[] xid, long location, int frame) {
        PendingTransaction tx = transactions.computeIfAbsent(txId, PendingTransaction::new);
        if (tx.prepareLocation != RecordIndex.ABSENT) {
            release(tx.prepareLocation, tx.prepareFrame);
        }
        tx.xid = xid;
        tx.prepareLocation = location;
        tx.prepareFrame = frame;
        retain(location, frame);
    }

    private void commit(long txId) throws IOException {
        PendingTransaction tx = transactions.remove(txId);
        if (tx == null) {
            return;
        }
        for (Map.Entry<Long, PendingTransaction.Change> e : tx.changes.entrySet()) {
            PendingTransaction.Change change = e.getValue();
            if (change.delete) {
                delete(e.getKey());
                release(change.location, change.frame);
            } else {
                // the staged frame is already retained; it simply becomes the current version
                long previous = index.put(e.getKey(), change.location);
                if (previous != RecordIndex.ABSENT) {
                    releaseIndexed(previous);
                }
            }
        }
        releasePrepare(tx);
    }

    private void rollback(long txId) {
        PendingTransaction tx = transactions.remove(txId);
        if (tx == null) {
            return;
        }
        for (PendingTransaction.Change change : tx.changes.values()) {
            release(change.location, change.frame);
        }
        releasePrepare(tx);
    }

    private void releasePrepare(PendingTransaction tx) {
        if (tx.prepareLocation != RecordIndex.ABSENT) {
            release(tx.prepareLocation, tx.prepareFrame);
        }
    }

    private void retain(long location, int frame) {
        Segment s = segmentOf(location);
        s.liveCount++;
        s.liveBytes += frame;
    }

    private void release(long location, int frame) {
        Segment s = segmentOf(location);
        s.liveCount--;
        s.liveBytes -= frame;
    }

    /** Releases a current version whose size only the file knows (the index keeps no sizes). */
    private void releaseIndexed(long location) throws IOException {
        Segment s = segmentOf(location);
        int length = lengths.lengthAt(s, Location.offset(location));
        release(location, RecordDescriptor.aligned(length));
    }

    private Segment segmentOf(long location) {
        Segment s = segments.get(Location.segment(location));
        if (s == null) {
            throw new IllegalStateException("live location " + Location.toString(location) + " in a removed segment");
        }
        return s;
    }
}
