package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Asks the broker to dispatch whatever the consumer may have now; the response follows those deliveries. */
public record FlushConsumer(long correlationId, long consumerId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.FLUSH_CONSUMER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeLong(consumerId);
    }

    static FlushConsumer decode(ByteBuf in) {
        return new FlushConsumer(WireFields.readLong(in), WireFields.readLong(in));
    }
}
