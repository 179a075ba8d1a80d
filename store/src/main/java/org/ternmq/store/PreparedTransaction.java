package org.ternmq.store;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A transaction recovered in the prepared state.
 *
 * @param txId the transaction id given to {@link Journal#prepare}
 * @param xid the bytes given to {@link Journal#prepare} (an XA Xid, opaque to the journal)
 * @param records the transaction's staged changes, the last per record id, in journal order
 */
public record PreparedTransaction(long txId, byte[] xid, List<Change> records) {

    /**
     * One staged change.
     *
     * @param id the record id
     * @param userType the caller's type byte
     * @param delete whether the change deletes the record (then {@code payload} is empty)
     * @param payload a read-only copy of the staged payload
     */
    public record Change(long id, byte userType, boolean delete, ByteBuffer payload) {
    }
}
