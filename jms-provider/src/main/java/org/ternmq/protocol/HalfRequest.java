package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A request about half-messages: the outcome of one ({@code halfId}; {@code group} may be null) or a
 * checker registration for {@code group} ({@code halfId} null). Answered by {@link Ok} or {@link ErrorResponse}.
 */
public record HalfRequest(long correlationId, HalfOperation operation, String halfId, String group)
        implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.HALF_REQUEST;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeByte(operation.code());
        WireFields.writeString(out, halfId);
        WireFields.writeString(out, group);
    }

    static HalfRequest decode(ByteBuf in) {
        return new HalfRequest(WireFields.readLong(in), HalfOperation.fromCode(WireFields.readByte(in)),
                WireFields.readString(in), WireFields.readString(in));
    }
}
