package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Closes a consumer; {@code unconsumed} lists buffered deliveries the application never saw. */
public record CloseConsumer(long correlationId, long consumerId, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_CONSUMER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(consumerId);
        WireFields.writeLongs(out, unconsumed);
    }

    static CloseConsumer decode(ByteBuf in) {
        return new CloseConsumer(WireFields.readLong(in), WireFields.readLong(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "CloseConsumer[" + "correlationId=" + correlationId + ", " + "consumerId=" + consumerId + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
