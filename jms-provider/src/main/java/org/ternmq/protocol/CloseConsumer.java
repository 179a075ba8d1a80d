package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Closes a consumer; {@code unconsumed} lists buffered deliveries the application never saw.
 * {@code lastReceived} is the highest delivery id the client had received when it sent this request:
 * deliveries above it were still in flight, never seen by the application, and are returned like the
 * {@code unconsumed} ones (same delivery count, credit given back). The client drops deliveries for the
 * affected consumers that arrive before the response; the broker redelivers only after responding.
 */
public record CloseConsumer(long correlationId, long consumerId, long lastReceived, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_CONSUMER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(consumerId);
        out.writeLong(lastReceived);
        WireFields.writeLongs(out, unconsumed);
    }

    static CloseConsumer decode(ByteBuf in) {
        return new CloseConsumer(WireFields.readLong(in), WireFields.readLong(in), WireFields.readLong(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "CloseConsumer[" + "correlationId=" + correlationId + ", " + "consumerId=" + consumerId + ", " + "lastReceived=" + lastReceived + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
