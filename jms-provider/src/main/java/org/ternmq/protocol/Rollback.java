package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Rolls back the session's transaction; {@code unconsumed} lists buffered deliveries the application never saw. */
public record Rollback(long correlationId, int sessionId, long[] unconsumed) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.ROLLBACK;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeLongs(out, unconsumed);
    }

    static Rollback decode(ByteBuf in) {
        return new Rollback(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLongs(in));
    }

    @Override
    public String toString() {
        return "Rollback[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "unconsumed=" + java.util.Arrays.toString(unconsumed) + "]";
    }
}
