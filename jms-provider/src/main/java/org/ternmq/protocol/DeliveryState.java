package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Starts or stops delivery to every consumer of the connection (JMS {@code Connection.start/stop}). A
 * connection begins stopped: the broker sends a stopped connection's consumers nothing, so messages wait
 * in the queue for consumers that can take them instead of filling the buffers of one that cannot.
 */
public record DeliveryState(long correlationId, boolean started) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.DELIVERY_STATE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeBoolean(started);
    }

    static DeliveryState decode(ByteBuf in) {
        return new DeliveryState(WireFields.readLong(in), WireFields.readBoolean(in));
    }
}
