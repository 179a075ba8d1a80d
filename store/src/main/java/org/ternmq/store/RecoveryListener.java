package org.ternmq.store;

import java.nio.ByteBuffer;

/**
 * Receives the journal's content while {@link Journal#open} recovers it, on the opening thread,
 * before {@code open} returns.
 */
public interface RecoveryListener {
    /** A listener that ignores everything (the records stay readable through {@link Journal#read}). */
    RecoveryListener IGNORE = (id, userType, payload) -> { };

    /**
     * A live record: its final state after every add, update, delete and commit was replayed. Called
     * once per live id, in the order the current versions sit in the journal (oldest first).
     *
     * @param payload a read-only view valid only during this call; copy what you keep
     */
    void onRecord(long id, byte userType, ByteBuffer payload);

    /**
     * A transaction that was prepared and neither committed nor rolled back. It stays pending in the
     * journal; finish it with {@link Journal#commit} or {@link Journal#rollback}. Called after every
     * {@link #onRecord}.
     */
    default void onPreparedTransaction(PreparedTransaction transaction) {
    }
}
