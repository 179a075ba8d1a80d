package org.ternmq.store;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ternmq.store.index.RecordIndex;

/**
 * A transaction with staged changes (and maybe a prepare) but no commit or rollback yet. Owned by
 * the appender thread, through {@link JournalState}.
 */
final class PendingTransaction {
    final long txId;
    /** The latest staged change per record id, in first-staged order. */
    final Map<Long, Change> changes = new LinkedHashMap<>();
    byte[] xid;
    long prepareLocation = RecordIndex.ABSENT;
    int prepareFrame;

    PendingTransaction(long txId) {
        this.txId = txId;
    }

    boolean isPrepared() {
        return prepareLocation != RecordIndex.ABSENT;
    }

    /** A staged change: where its frame is, how big, and whether it deletes. */
    static final class Change {
        final long location;
        final int frame;
        final boolean delete;

        Change(long location, int frame, boolean delete) {
            this.location = location;
            this.frame = frame;
            this.delete = delete;
        }
    }
}
