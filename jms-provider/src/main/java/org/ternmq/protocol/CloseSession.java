package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Closes a session: staged work is rolled back, deliveries not acknowledged go back to their queues; {@code unconsumed} lists deliveries the application never saw.
 * {@code lastReceived} is the highest delivery id the client had received when it sent this request:
 * deliveries above it were still in flight, never seen by the application, and are returned like the
 * {@code unconsumed} ones (same delivery count, credit given back). The client drops deliveries for the
 * affected consumers that arrive before the response; the broker redelivers only after responding.
 */
public record CloseSession(long correlationId, int sessionId, long lastReceived, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_SESSION;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeLong(lastReceived);
        WireFields.writeLongs(out, unconsumed);
    }

    static CloseSession decode(ByteBuf in) {
        return new CloseSession(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLong(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "CloseSession[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "lastReceived=" + lastReceived + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
