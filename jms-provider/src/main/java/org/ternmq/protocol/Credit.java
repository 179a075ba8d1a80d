package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** The client grants a consumer room for more messages. */
public record Credit(long consumerId, int messages) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.CREDIT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(consumerId);
        out.writeInt(messages);
    }

    static Credit decode(ByteBuf in) {
        return new Credit(WireFields.readLong(in), WireFields.readInt(in));
    }
}
