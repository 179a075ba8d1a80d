package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** Sets the connection's client id; the broker refuses one already in use. */
public record SetClientId(long correlationId, String clientId) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.SET_CLIENT_ID;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeString(out, clientId);
    }

    static SetClientId decode(ByteBuf in) {
        return new SetClientId(WireFields.readLong(in), WireFields.readString(in));
    }
}
