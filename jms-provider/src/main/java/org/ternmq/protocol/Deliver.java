package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** A message for a consumer. The delivery id is what the client acknowledges. */
public record Deliver(long consumerId, long deliveryId, int deliveryCount, byte[] message) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.DELIVER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(consumerId);
        out.writeLong(deliveryId);
        out.writeInt(deliveryCount);
        WireFields.writeBytes(out, message);
    }

    static Deliver decode(ByteBuf in) {
        return new Deliver(WireFields.readLong(in), WireFields.readLong(in), WireFields.readInt(in), WireFields.readBytes(in));
    }

    @Override
    public String toString() {
        return "Deliver[" + "consumerId=" + consumerId + ", " + "deliveryId=" + deliveryId + ", " + "deliveryCount=" + deliveryCount + ", " + "message=" + (message == null ? "null" : message.length + " bytes") + "]";
    }
}
