package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Opens a session channel; {@code ackMode} uses the {@code jakarta.jms.Session} constants (0 = transacted). */
public record CreateSession(long correlationId, int sessionId, int ackMode) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CREATE_SESSION;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeInt(ackMode);
    }

    static CreateSession decode(ByteBuf in) {
        return new CreateSession(WireFields.readLong(in), WireFields.readInt(in), WireFields.readInt(in));
    }
}
