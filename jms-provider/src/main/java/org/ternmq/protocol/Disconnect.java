package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/** The broker is closing the connection, and why. */
public record Disconnect(ErrorCode code, String reason) implements Packet {

    @Override
    public PacketType type() {
        return PacketType.DISCONNECT;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeInt(code.code());
        WireFields.writeString(out, reason);
    }

    static Disconnect decode(ByteBuf in) {
        return new Disconnect(ErrorCode.fromCode(WireFields.readInt(in)), WireFields.readString(in));
    }
}
