package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Closes a session: staged work is rolled back, deliveries not acknowledged go back to their queues; {@code unconsumed} lists deliveries the application never saw. */
public record CloseSession(long correlationId, int sessionId, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_SESSION;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeLongs(out, unconsumed);
    }

    static CloseSession decode(ByteBuf in) {
        return new CloseSession(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "CloseSession[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
