package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Failure of a request, as a typed code and a human-readable message. */
public record ErrorResponse(long correlationId, ErrorCode code, String message) implements Packet.Response {

    @Override
    public PacketType type() {
        return PacketType.ERROR_RESPONSE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(code.code());
        WireFields.writeString(out, message);
    }

    static ErrorResponse decode(ByteBuf in) {
        return new ErrorResponse(WireFields.readLong(in), ErrorCode.fromCode(WireFields.readInt(in)), WireFields.readString(in));
    }
}
