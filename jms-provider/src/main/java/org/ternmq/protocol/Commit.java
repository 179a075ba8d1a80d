package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Commits the session's transaction. {@code commitId} (null when the client does not fail over) names this
 * commit so that a client whose connection is lost before the answer can ask another broker, or the same one
 * restarted, whether it happened ({@link CommitOutcome}); the broker stores it with the commit's own records.
 */
public record Commit(long correlationId, int sessionId, String commitId) implements Packet.Request {

    /** A commit the client will never ask about. */
    public Commit(long correlationId, int sessionId) {
        this(correlationId, sessionId, null);
    }

    @Override
    public PacketType type() {
        return PacketType.COMMIT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeString(out, commitId);
    }

    static Commit decode(ByteBuf in) {
        return new Commit(WireFields.readLong(in), WireFields.readInt(in), WireFields.readString(in));
    }
}
