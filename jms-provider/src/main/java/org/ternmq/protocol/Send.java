package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** A message from a producer, encoded once by the client; its destination is in the encoding. */
public record Send(long correlationId, int sessionId, byte[] message) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.SEND;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        WireFields.writeBytes(out, message);
    }

    static Send decode(ByteBuf in) {
        return new Send(WireFields.readLong(in), WireFields.readInt(in), WireFields.readBytes(in));
    }

    @Override
    public String toString() {
        return "Send[" + "correlationId=" + correlationId + ", " + "sessionId=" + sessionId + ", " + "message=" + (message == null ? "null" : message.length + " bytes") + "]";
    }
}
