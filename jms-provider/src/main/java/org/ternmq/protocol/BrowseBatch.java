package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Up to {@code max} encoded messages of a browser's snapshot; {@code done} when no more follow. */
public record BrowseBatch(long correlationId, List<byte[]> messages, boolean done) implements Packet.Response {

    @Override
    public PacketType type() {
        return PacketType.BROWSE_BATCH;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(messages.size());
        for (byte[] m : messages) {
            WireFields.writeBytes(out, m);
        }
        out.writeBoolean(done);
    }

    static BrowseBatch decode(ByteBuf in) {
        return new BrowseBatch(WireFields.readLong(in), readMessageList(in), WireFields.readBoolean(in));
    }

    private static List<byte[]> readMessageList(ByteBuf in) {
        int count = WireFields.readInt(in);
        if (count < 0 || count > in.readableBytes() / Integer.BYTES) {
            throw new MalformedFrameException("bad message count " + count);
        }
        List<byte[]> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] m = WireFields.readBytes(in);
            if (m == null) {
                throw new MalformedFrameException("null message in batch");
            }
            messages.add(m);
        }
        return messages;
    }

    @Override
    public String toString() {
        return "BrowseBatch[" + "correlationId=" + correlationId + ", " + "messages=" + messages.size() + ", " + "done=" + done + "]";
    }
}
