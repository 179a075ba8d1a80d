package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Success, with nothing more to say. */
public record Ok(long correlationId) implements Packet.Response {

    @Override
    public PacketType type() {
        return PacketType.OK;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
    }

    static Ok decode(ByteBuf in) {
        return new Ok(WireFields.readLong(in));
    }
}
