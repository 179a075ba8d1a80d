package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Liveness check. */
public record Ping(long correlationId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.PING;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
    }

    static Ping decode(ByteBuf in) {
        return new Ping(WireFields.readLong(in));
    }
}
