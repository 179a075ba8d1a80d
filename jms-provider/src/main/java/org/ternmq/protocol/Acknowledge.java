package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Acknowledges deliveries of a session (in a transacted session, stages them). */
public record Acknowledge(long correlationId, int sessionId, long[] deliveryIds) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.ACKNOWLEDGE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeLongs(out, deliveryIds);
    }

    static Acknowledge decode(ByteBuf in) {
        return new Acknowledge(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "Acknowledge[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "deliveryIds=" + java.util.Arrays.toString(deliveryIds) + "]";
    }
}
