package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One-way, client to broker: the application failed on a delivery (a message listener threw). Sent just
 * before the request that returns the delivery, so that if the message is dead-lettered the broker can say
 * why ({@code reason}: the exception's class and message).
 */
public record DeliveryFailure(int sessionId, long deliveryId, String reason) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.DELIVERY_FAILURE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeInt(sessionId);
        out.writeLong(deliveryId);
        WireFields.writeString(out, reason);
    }

    static DeliveryFailure decode(ByteBuf in) {
        return new DeliveryFailure(WireFields.readInt(in), WireFields.readLong(in), WireFields.readString(in));
    }
}
