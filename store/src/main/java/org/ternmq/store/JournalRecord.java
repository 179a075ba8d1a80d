package org.ternmq.store;

import java.nio.ByteBuffer;

/**
 * A live record read back with {@link Journal#read}.
 *
 * @param id the record id
 * @param userType the caller's type byte
 * @param payload a read-only heap copy of the payload, owned by the caller
 */
public record JournalRecord(long id, byte userType, ByteBuffer payload) {
}
