package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Redelivers the session's unacknowledged deliveries; {@code unconsumed} lists buffered deliveries the application never saw. */
public record Recover(long correlationId, int sessionId, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.RECOVER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeLongs(out, unconsumed);
    }

    static Recover decode(ByteBuf in) {
        return new Recover(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "Recover[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
