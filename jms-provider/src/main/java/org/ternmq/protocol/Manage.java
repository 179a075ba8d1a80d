package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A management operation, allowed only to administrators: {@code list-queues}; {@code move-messages}
 * from {@code queue} to {@code target} (null: back to where each message came from) of the messages that
 * match {@code selector} (null: all); {@code purge} of {@code queue}. Answered by {@link ManageResult}.
 */
public record Manage(long correlationId, String operation, String queue, String target, String selector)
        implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.MANAGE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeString(out, operation);
        WireFields.writeString(out, queue);
        WireFields.writeString(out, target);
        WireFields.writeString(out, selector);
    }

    static Manage decode(ByteBuf in) {
        return new Manage(WireFields.readLong(in), WireFields.readString(in), WireFields.readString(in),
                WireFields.readString(in), WireFields.readString(in));
    }
}
