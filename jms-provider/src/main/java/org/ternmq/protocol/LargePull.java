package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The client grants the broker room for {@code chunks} more chunks of the body of large delivery
 * {@code deliveryId}; {@link #DONE} instead says the client wants no more of it (protocol.md, "Large messages").
 */
public record LargePull(long deliveryId, int chunks) implements Packet {

    /** The {@code chunks} value that ends the stream. */
    public static final int DONE = -1;

    @Override
    public PacketType type() {
        return PacketType.LARGE_PULL;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(deliveryId);
        out.writeInt(chunks);
    }

    static LargePull decode(ByteBuf in) {
        return new LargePull(WireFields.readLong(in), WireFields.readInt(in));
    }
}
