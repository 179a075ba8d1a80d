package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;

/**
 * One {@code XAResource} call, answered by {@link XaResponse}. {@code sessionId} names the session whose work
 * joins or leaves the branch ({@code START}, {@code END}); the other operations are about the branch alone and
 * may come from any connection to the broker. {@code xid} is null for {@code RECOVER}; {@code flags} are the
 * {@code XAResource} flags; {@code timeoutSeconds} (for {@code START}, 0 for the broker's default) bounds how
 * long the branch may stay unprepared.
 */
public record XaRequest(long correlationId, int sessionId, XaOperation operation, XidValue xid, int flags,
                        int timeoutSeconds) implements Packet.Request {

    @Override
    public PacketType type() {
        return PacketType.XA_REQUEST;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(sessionId);
        out.writeByte(operation.code());
        out.writeBoolean(xid != null);
        if (xid != null) {
            xid.encode(out);
        }
        out.writeInt(flags);
        out.writeInt(timeoutSeconds);
    }

    static XaRequest decode(ByteBuf in) {
        long corr = WireFields.readLong(in);
        int session = WireFields.readInt(in);
        XaOperation op = XaOperation.fromCode(WireFields.readByte(in));
        XidValue xid = WireFields.readBoolean(in) ? XidValue.decode(in) : null;
        return new XaRequest(corr, session, op, xid, WireFields.readInt(in), WireFields.readInt(in));
    }
}
