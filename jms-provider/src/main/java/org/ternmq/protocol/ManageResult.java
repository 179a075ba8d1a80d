package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** The outcome of a {@link Manage} request: a count (messages moved or purged) and a text report. */
public record ManageResult(long correlationId, long count, String text) implements Packet.Response {

    @Override
    public PacketType type() {
        return PacketType.MANAGE_RESULT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(count);
        WireFields.writeString(out, text);
    }

    static ManageResult decode(ByteBuf in) {
        return new ManageResult(WireFields.readLong(in), WireFields.readLong(in), WireFields.readString(in));
    }
}
