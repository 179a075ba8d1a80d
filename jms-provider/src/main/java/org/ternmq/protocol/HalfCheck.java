package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The broker asks a connection that registered a checker for {@code group} whether the local transaction
 * of half-message {@code halfId} committed; {@code attempt} counts the checks so far, from 1. The client
 * answers with a {@link HalfRequest} of {@link HalfOperation#COMMIT}, {@link HalfOperation#ROLLBACK} or
 * {@link HalfOperation#UNKNOWN}.
 */
public record HalfCheck(String halfId, String group, int attempt, byte[] message) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.HALF_CHECK;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        WireFields.writeString(out, halfId);
        WireFields.writeString(out, group);
        out.writeInt(attempt);
        WireFields.writeBytes(out, message);
    }

    static HalfCheck decode(ByteBuf in) {
        return new HalfCheck(WireFields.readString(in), WireFields.readString(in), WireFields.readInt(in),
                WireFields.readBytes(in));
    }

    @Override
    public String toString() {
        return "HalfCheck[" + halfId + ", group=" + group + ", attempt=" + attempt + ", message="
                + (message == null ? "null" : message.length + " bytes") + "]";
    }
}
