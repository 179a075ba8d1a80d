package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.ternmq.message.Address;

/**
 * Reads and writes the field types packets are made of, with the bounds checks that turn a truncated or
 * hostile frame into a {@link MalformedFrameException} instead of an {@code IndexOutOfBoundsException}
 * deep in a handler. Stateless.
 */
public final class WireFields {

    private WireFields() {
    }

    public static void writeString(ByteBuf out, String value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.setInt(lengthIndex, written);
    }

    public static String readString(ByteBuf in) {
        int length = readInt(in);
        if (length == -1) {
            return null;
        }
        require(in, length, "string");
        if (length < 0) {
            throw new MalformedFrameException("negative string length " + length);
        }
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }

    public static void writeBytes(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    public static byte[] readBytes(ByteBuf in) {
        int length = readInt(in);
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new MalformedFrameException("negative byte array length " + length);
        }
        require(in, length, "byte array");
        byte[] value = new byte[length];
        in.readBytes(value);
        return value;
    }

    public static void writeAddress(ByteBuf out, Address address) {
        if (address == null) {
            out.writeByte(-1);
            return;
        }
        out.writeByte(address.kind().code());
        writeString(out, address.name());
    }

    public static Address readAddress(ByteBuf in) {
        byte kind = readByte(in);
        if (kind == -1) {
            return null;
        }
        String name = readString(in);
        try {
            return new Address(Address.Kind.fromCode(kind), name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedFrameException("bad address: " + e.getMessage(), e);
        }
    }

    public static void writeLongs(ByteBuf out, long[] values) {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    public static long[] readLongs(ByteBuf in) {
        int count = readInt(in);
        if (count < 0 || (long) count * Long.BYTES > in.readableBytes()) {
            throw new MalformedFrameException("bad long array length " + count);
        }
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    public static byte readByte(ByteBuf in) {
        require(in, 1, "byte");
        return in.readByte();
    }

    public static boolean readBoolean(ByteBuf in) {
        return readByte(in) != 0;
    }

    public static int readInt(ByteBuf in) {
        require(in, Integer.BYTES, "int");
        return in.readInt();
    }

    public static long readLong(ByteBuf in) {
        require(in, Long.BYTES, "long");
        return in.readLong();
    }

    private static void require(ByteBuf in, int bytes, String what) {
        if (in.readableBytes() < bytes) {
            throw new MalformedFrameException("frame truncated reading " + what + ": need " + bytes
                    + " bytes, have " + in.readableBytes());
        }
    }
}
