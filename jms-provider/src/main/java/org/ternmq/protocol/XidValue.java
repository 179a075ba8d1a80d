package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.transaction.xa.Xid;

/**
 * An XA transaction branch id as a value: equal when format id, global transaction id and branch qualifier
 * are equal (a TM's own {@link Xid} objects need not implement {@code equals}). Its wire and journal form:
 *
 * <pre>
 *   0                4          5                  5+g        6+g
 *   +----------------+----------+------------------+----------+------------------+
 *   | format id      | g (byte) | gtrid (g bytes)  | b (byte) | bqual (b bytes)  |
 *   +----------------+----------+------------------+----------+------------------+
 * </pre>
 *
 * Lengths are read as unsigned bytes, so a decoder never reads more than 255 bytes for either part; a value
 * longer than {@link Xid#MAXGTRIDSIZE} or {@link Xid#MAXBQUALSIZE} decodes, and {@link #problem()} names what is
 * wrong so the broker can answer {@code XAER_INVAL} instead of dropping the connection. The text form, used
 * by the admin tools, is {@code formatId:gtridHex:bqualHex}.
 */
public record XidValue(int formatId, byte[] gtrid, byte[] bqual) implements Xid {

    public XidValue {
        gtrid = gtrid.clone();
        bqual = bqual.clone();
    }

    /** A value copy of any {@link Xid}; null stays null. */
    public static XidValue of(Xid xid) {
        if (xid == null || xid instanceof XidValue) {
            return (XidValue) xid;
        }
        byte[] g = xid.getGlobalTransactionId();
        byte[] b = xid.getBranchQualifier();
        return new XidValue(xid.getFormatId(), g == null ? new byte[0] : g, b == null ? new byte[0] : b);
    }

    /** Why this Xid is not one a resource manager may accept, or null when it is. */
    public String problem() {
        if (formatId == -1) {
            return "format id -1 is the null Xid";
        }
        if (gtrid.length == 0 || gtrid.length > Xid.MAXGTRIDSIZE) {
            return "global transaction id of " + gtrid.length + " bytes (1 to " + Xid.MAXGTRIDSIZE + " allowed)";
        }
        if (bqual.length > Xid.MAXBQUALSIZE) {
            return "branch qualifier of " + bqual.length + " bytes (at most " + Xid.MAXBQUALSIZE + " allowed)";
        }
        return null;
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return gtrid.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return bqual.clone();
    }

    // ---- encodings --------------------------------------------------------------------------------------

    public void encode(ByteBuf out) {
        out.writeInt(formatId);
        out.writeByte(gtrid.length);
        out.writeBytes(gtrid);
        out.writeByte(bqual.length);
        out.writeBytes(bqual);
    }

    public static XidValue decode(ByteBuf in) {
        int format = WireFields.readInt(in);
        byte[] g = readPart(in, "gtrid");
        byte[] b = readPart(in, "bqual");
        return new XidValue(format, g, b);
    }

    private static byte[] readPart(ByteBuf in, String what) {
        int length = Byte.toUnsignedInt(WireFields.readByte(in));
        if (in.readableBytes() < length) {
            throw new MalformedFrameException("xid " + what + " of " + length + " bytes but only " + in.readableBytes()
                    + " left");
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    /** The same layout in a byte array (the journal's PREPARE payload). */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(6 + gtrid.length + bqual.length);
        b.putInt(formatId).put((byte) gtrid.length).put(gtrid).put((byte) bqual.length).put(bqual);
        return b.array();
    }

    /** @throws IllegalArgumentException when the bytes are not one Xid */
    public static XidValue fromBytes(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int format = b.getInt();
            byte[] g = new byte[Byte.toUnsignedInt(b.get())];
            b.get(g);
            byte[] q = new byte[Byte.toUnsignedInt(b.get())];
            b.get(q);
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " trailing bytes");
            }
            return new XidValue(format, g, q);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("xid bytes end early", e);
        }
    }

    /**
     * Parses the text form {@code formatId:gtridHex:bqualHex}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static XidValue parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("an XID is written formatId:gtridHex:bqualHex, not '" + text + "'");
        }
        try {
            return new XidValue(Integer.parseInt(parts[0]), HexFormat.of().parseHex(parts[1]),
                    HexFormat.of().parseHex(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an XID is written formatId:gtridHex:bqualHex, not '" + text + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XidValue x && x.formatId == formatId && Arrays.equals(x.gtrid, gtrid)
                && Arrays.equals(x.bqual, bqual);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(gtrid)) + Arrays.hashCode(bqual);
    }

    @Override
    public String toString() {
        return formatId + ":" + HexFormat.of().formatHex(gtrid) + ":" + HexFormat.of().formatHex(bqual);
    }
}
