package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Closes a browser. */
public record CloseBrowser(long correlationId, long browserId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_BROWSER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(browserId);
    }

    static CloseBrowser decode(ByteBuf in) {
        return new CloseBrowser(WireFields.readLong(in), WireFields.readLong(in));
    }
}
