package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** The broker accepted the connection. */
public record HelloOk(long correlationId, String connectionId, String serverName, String serverVersion, int producerWindow) implements Packet.Response {

    @Override
    public PacketType type() {
        return PacketType.HELLO_OK;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        WireFields.writeString(out, connectionId);
        WireFields.writeString(out, serverName);
        WireFields.writeString(out, serverVersion);
        out.writeInt(producerWindow);
    }

    static HelloOk decode(ByteBuf in) {
        return new HelloOk(WireFields.readLong(in), WireFields.readString(in), WireFields.readString(in), WireFields.readString(in), WireFields.readInt(in));
    }
}
