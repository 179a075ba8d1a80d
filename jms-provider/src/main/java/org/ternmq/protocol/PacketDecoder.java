package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into frames and decodes each into a {@link Packet}. A frame whose length is
 * below the minimum or above the configured maximum, an unknown type, or a body that does not decode
 * exactly raises {@link MalformedFrameException}; the handler behind this decoder closes the connection.
 * Once a frame has failed, everything after it is discarded: the stream can no longer be trusted.
 *
 * <p>One instance per channel; called only on that channel's event loop.
 */
public final class PacketDecoder extends ByteToMessageDecoder {

    private final int maxFrameLength;
    private boolean failed;

    public PacketDecoder(int maxFrameLength) {
        if (maxFrameLength < FrameDescriptor.MIN_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be positive: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            Packet packet = decodeFrame(in, maxFrameLength);
            if (packet != null) {
                out.add(packet);
            }
        } catch (MalformedFrameException e) {
            fail(in);
            throw e;
        }
    }

    /**
     * Decodes the frame at the start of {@code in}, consuming it, or consumes nothing and returns null when the
     * frame is not all there yet. Shared with the client's connections that read their socket themselves.
     *
     * @throws MalformedFrameException for a length outside 1..{@code maxFrameLength}, an unknown type or a body
     *     that does not decode exactly; the stream cannot be trusted after it
     */
    public static Packet decodeFrame(ByteBuf in, int maxFrameLength) {
        if (in.readableBytes() < FrameDescriptor.LENGTH_FIELD_SIZE) {
            return null;
        }
        int length = in.getInt(in.readerIndex());
        if (length < FrameDescriptor.MIN_LENGTH || length > maxFrameLength) {
            throw new MalformedFrameException("frame length " + length + " outside 1.." + maxFrameLength);
        }
        if (in.readableBytes() < FrameDescriptor.LENGTH_FIELD_SIZE + length) {
            return null;
        }
        in.skipBytes(FrameDescriptor.LENGTH_FIELD_SIZE);
        ByteBuf frame = in.readSlice(length);
        try {
            PacketType type = PacketType.fromCode(frame.readUnsignedByte());
            return type.decode(frame);
        } catch (MalformedFrameException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MalformedFrameException("undecodable frame: " + e, e);
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
