package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Asks for the next batch of a browser's snapshot. */
public record BrowseNext(long correlationId, long browserId, int max) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.BROWSE_NEXT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(browserId);
        out.writeInt(max);
    }

    static BrowseNext decode(ByteBuf in) {
        return new BrowseNext(WireFields.readLong(in), WireFields.readLong(in), WireFields.readInt(in));
    }
}
