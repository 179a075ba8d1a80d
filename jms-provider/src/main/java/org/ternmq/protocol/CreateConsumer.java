package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import org.ternmq.message.Address;

/** Opens a consumer on a queue, or on a topic through a subscription (non-durable when {@code subscriptionName} is null and not shared). */
public record CreateConsumer(long correlationId, int sessionId, long consumerId, Address address, String selector, boolean noLocal, String subscriptionName, boolean durable, boolean shared, int credits) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.CREATE_CONSUMER;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeLong(consumerId);
        WireFields.writeAddress(out, address);
        WireFields.writeString(out, selector);
        out.writeBoolean(noLocal);
        WireFields.writeString(out, subscriptionName);
        out.writeBoolean(durable);
        out.writeBoolean(shared);
        out.writeInt(credits);
    }

    static CreateConsumer decode(ByteBuf in) {
        return new CreateConsumer(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLong(in), WireFields.readAddress(in), WireFields.readString(in), WireFields.readBoolean(in), WireFields.readString(in), WireFields.readBoolean(in), WireFields.readBoolean(in), WireFields.readInt(in));
    }
}
