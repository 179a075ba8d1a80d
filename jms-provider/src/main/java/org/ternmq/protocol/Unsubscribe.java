package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Deletes a durable subscription of this connection's client id. */
public record Unsubscribe(long correlationId, String subscriptionName) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeString(out, subscriptionName);
    }

    static Unsubscribe decode(ByteBuf in) {
        return new Unsubscribe(WireFields.readLong(in), WireFields.readString(in));
    }
}
