package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** First frame of a connection: the client's magic, protocol version and credentials. */
public record Hello(long correlationId, int magic, int version, String user, String password) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.HELLO;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(magic);
        out.writeInt(version);
        WireFields.writeString(out, user);
        WireFields.writeString(out, password);
    }

    static Hello decode(ByteBuf in) {
        return new Hello(WireFields.readLong(in), WireFields.readInt(in), WireFields.readInt(in), WireFields.readString(in), WireFields.readString(in));
    }

    @Override
    public String toString() {
        return "Hello[" + "correlationId=" + correlationId + ", " + "magic=" + magic + ", " + "version=" + version + ", " + "user=" + user + ", " + "password=***" + "]";
    }
}
