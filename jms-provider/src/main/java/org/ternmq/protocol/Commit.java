package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Commits the session's transaction. */
public record Commit(long correlationId, int sessionId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.COMMIT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
    }

    static Commit decode(ByteBuf in) {
        return new Commit(WireFields.readLong(in), WireFields.readInt(in));
    }
}
