package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The client is closing the connection: the broker returns what is not acknowledged, deletes the
 * connection's temporary destinations and frees its client id, then answers. Only then does the client
 * close the channel, so a client id is free for reuse the moment {@code close()} returns.
 */
public record CloseConnection(long correlationId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CLOSE_CONNECTION;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
    }

    static CloseConnection decode(ByteBuf in) {
        return new CloseConnection(WireFields.readLong(in));
    }
}
