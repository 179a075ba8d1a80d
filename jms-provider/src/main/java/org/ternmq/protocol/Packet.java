package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One decoded frame. Packets are immutable values; {@link PacketEncoder} writes the frame header and
 * asks the packet for its body, {@link PacketType#decode} reads it back.
 */
public interface Packet {

    PacketType type();

    /** Writes the body (everything after the type byte). */
    void encodeBody(ByteBuf out);

    /** A packet that expects exactly one {@link Response} carrying the same correlation id. */
    interface Request extends Packet {
        long correlationId();
    }

    /** The answer to a {@link Request}. */
    interface Response extends Packet {
        long correlationId();
    }
}
