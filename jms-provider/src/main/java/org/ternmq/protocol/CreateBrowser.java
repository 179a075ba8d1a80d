package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import org.ternmq.message.Address;

/** Opens a browser over a queue. */
public record CreateBrowser(long correlationId, int sessionId, long browserId, Address address, String selector) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CREATE_BROWSER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeLong(browserId);
        WireFields.writeAddress(out, address);
        WireFields.writeString(out, selector);
    }

    static CreateBrowser decode(ByteBuf in) {
        return new CreateBrowser(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLong(in), WireFields.readAddress(in), WireFields.readString(in));
    }
}
