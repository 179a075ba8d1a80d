package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A chunk of the body of large delivery {@code deliveryId}, sent only against {@link LargePull} credit. A null
 * {@code data} means the broker cannot give the body ({@code error} says why); {@code last} marks the final chunk.
 */
public record LargeBodyChunk(long deliveryId, int index, boolean last, byte[] data, String error) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.LARGE_BODY_CHUNK;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(deliveryId);
        out.writeInt(index);
        out.writeBoolean(last);
        WireFields.writeBytes(out, data);
        WireFields.writeString(out, error);
    }

    static LargeBodyChunk decode(ByteBuf in) {
        return new LargeBodyChunk(WireFields.readLong(in), WireFields.readInt(in), WireFields.readBoolean(in),
                WireFields.readBytes(in), WireFields.readString(in));
    }

    @Override
    public String toString() {
        return "LargeBodyChunk[deliveryId=" + deliveryId + ", index=" + index + ", last=" + last + ", data="
                + (data == null ? "none" : data.length + " bytes") + ", error=" + error + "]";
    }
}
