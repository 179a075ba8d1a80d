package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A chunk of a large message's body on its way to the broker, answered once the broker has written it; the
 * message itself follows as a {@link Send} whose body reference names {@code uploadId}. A null {@code data}
 * abandons the upload: the broker drops what it has of it (protocol.md, "Large messages").
 */
public record LargeChunk(long correlationId, int sessionId, long uploadId, byte[] data) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.LARGE_CHUNK;
    }

    /** Whether this abandons the upload. */
    public boolean abandons() {
        return data == null;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeLong(uploadId);
        WireFields.writeBytes(out, data);
    }

    static LargeChunk decode(ByteBuf in) {
        return new LargeChunk(WireFields.readLong(in), WireFields.readInt(in), WireFields.readLong(in),
                WireFields.readBytes(in));
    }

    @Override
    public String toString() {
        return "LargeChunk[correlationId=" + correlationId + ", sessionId=" + sessionId + ", uploadId=" + uploadId
                + ", data=" + (data == null ? "abandon" : data.length + " bytes") + "]";
    }
}
