package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of an {@link XaRequest}: {@code code} is {@code XAResource.XA_OK} or {@code XA_RDONLY} for a
 * call that returns, else the {@code XAException} error code the client throws ({@code XAER_NOTA},
 * {@code XA_HEURCOM}, ...), with {@code message} saying why. {@code xids} answers {@code RECOVER}.
 */
public record XaResponse(long correlationId, int code, String message, List<XidValue> xids) implements Packet.Response {

    /** Most Xids one response may list (a bound on what a decoder allocates). */
    public static final int MAX_XIDS = 1 << 16;

    public XaResponse {
        xids = List.copyOf(xids);
    }

    public static XaResponse ok(long correlationId, int code) {
        return new XaResponse(correlationId, code, null, List.of());
    }

    public static XaResponse error(long correlationId, int code, String message) {
        return new XaResponse(correlationId, code, message, List.of());
    }

    /** Whether {@code code} is a value the call returns (XA_OK, XA_RDONLY) rather than throws. */
    public boolean returns() {
        return code == 0 || code == 3;
    }

    @Override
    public PacketType type() {
        return PacketType.XA_RESPONSE;
    }

    @Override
    public void encodeBody(ByteBuf out) {
        out.writeLong(correlationId);
        out.writeInt(code);
        WireFields.writeString(out, message);
        out.writeInt(xids.size());
        for (XidValue x : xids) {
            x.encode(out);
        }
    }

    static XaResponse decode(ByteBuf in) {
        long corr = WireFields.readLong(in);
        int code = WireFields.readInt(in);
        String message = WireFields.readString(in);
        int n = WireFields.readInt(in);
        if (n < 0 || n > MAX_XIDS) {
            throw new MalformedFrameException("XA response lists " + n + " xids");
        }
        List<XidValue> xids = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            xids.add(XidValue.decode(in));
        }
        return new XaResponse(corr, code, message, xids);
    }
}
