package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import org.ternmq.message.Address;

/** Deletes a temporary destination of this connection; refused while it has consumers. */
public record DeleteTemporary(long correlationId, Address address) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.DELETE_TEMPORARY;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeAddress(out, address);
    }

    static DeleteTemporary decode(ByteBuf in) {
        return new DeleteTemporary(WireFields.readLong(in), WireFields.readAddress(in));
    }
}
