package org.ternmq.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.ternmq.store.format.RecordType;

/**
 * One request handed to the appender: a record to write, a mark, or (with no type) the request to close.
 * Immutable after construction; the payload's bytes are read on the appender thread.
 */
final class Command {
    final RecordType type;
    final long id;
    final long txId;
    final byte userType;
    final ByteBuffer payload;
    final int payloadPosition;
    final int payloadLength;
    final boolean durable;
    /** A mark ({@link Journal#written()}): nothing to write; it completes once everything ahead of it is written. */
    final boolean mark;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Command(RecordType type, long id, long txId, byte userType, ByteBuffer payload, boolean durable) {
        this(type, id, txId, userType, payload, durable, false);
    }

    private Command(RecordType type, long id, long txId, byte userType, ByteBuffer payload, boolean durable,
            boolean mark) {
        this.type = type;
        this.id = id;
        this.txId = txId;
        this.userType = userType;
        this.payload = payload;
        this.payloadPosition = payload == null ? 0 : payload.position();
        this.payloadLength = payload == null ? 0 : payload.remaining();
        this.durable = durable;
        this.mark = mark;
    }

    static Command close() {
        return new Command(null, 0, 0, (byte) 0, null, true);
    }

    static Command mark() {
        return new Command(null, 0, 0, (byte) 0, null, false, true);
    }

    boolean isClose() {
        return type == null && !mark;
    }

    /** The transaction a command belongs to: its tx id for staged changes, its id for prepare/commit/rollback. */
    long transaction() {
        return type.isTransactionControl() ? id : txId;
    }
}
