package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import org.ternmq.message.Address;

/** Creates a temporary queue or topic owned by this connection. */
public record CreateTemporary(long correlationId, Address address) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CREATE_TEMPORARY;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeAddress(out, address);
    }

    static CreateTemporary decode(ByteBuf in) {
        return new CreateTemporary(WireFields.readLong(in), WireFields.readAddress(in));
    }
}
