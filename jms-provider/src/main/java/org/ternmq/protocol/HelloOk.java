package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The broker accepted the connection. {@code nodeId} names the broker's data directory for good (it survives
 * restarts): two connections reach the same resource manager exactly when their node ids are equal.
 */
public record HelloOk(long correlationId, String connectionId, String serverName, String serverVersion, int producerWindow,
                      String nodeId) implements Packet.Response {

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
        WireFields.writeString(out, nodeId);
    }

    static HelloOk decode(ByteBuf in) {
        return new HelloOk(WireFields.readLong(in), WireFields.readString(in), WireFields.readString(in),
                WireFields.readString(in), WireFields.readInt(in), WireFields.readString(in));
    }
}
