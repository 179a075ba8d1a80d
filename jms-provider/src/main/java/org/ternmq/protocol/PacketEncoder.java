package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Packet} as one frame (see {@link FrameDescriptor}). Stateless and sharable. */
@ChannelHandler.Sharable
public final class PacketEncoder extends MessageToByteEncoder<Packet> {

    public static final PacketEncoder INSTANCE = new PacketEncoder();

    private PacketEncoder() {
        super(Packet.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, ByteBuf out) {
        encode(packet, out);
    }

    /** Appends {@code packet} as a frame to {@code out}; also used by tests to build raw frames. */
    public static void encode(Packet packet, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(packet.type().code());
        packet.encodeBody(out);
        out.setInt(start, out.writerIndex() - start - FrameDescriptor.LENGTH_FIELD_SIZE);
    }
}
