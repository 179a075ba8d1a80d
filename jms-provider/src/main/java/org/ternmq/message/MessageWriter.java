package org.ternmq.message;

import static org.ternmq.message.MessageDescriptor.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the primitive pieces of {@link MessageDescriptor} into a growable byte array. One writer builds
 * one message or one body; it is not thread-safe and is used by one thread at a time.
 */
public final class MessageWriter {

    private byte[] buffer;
    private int position;

    public MessageWriter() {
        this(128);
    }

    public MessageWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    /** @return the number of bytes written so far */
    public int position() {
        return position;
    }

    /** @return a copy of the bytes written so far */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    public MessageWriter writeByte(int value) {
        ensure(1);
        buffer[position++] = (byte) value;
        return this;
    }

    public MessageWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    public MessageWriter writeShort(int value) {
        ensure(2);
        buffer[position++] = (byte) (value >>> 8);
        buffer[position++] = (byte) value;
        return this;
    }

    public MessageWriter writeInt(int value) {
        ensure(4);
        setInt(position, value);
        position += 4;
        return this;
    }

    public MessageWriter writeLong(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    /** Overwrites four bytes already written, e.g. a length known only after its section. */
    public void putInt(int at, int value) {
        if (at < 0 || at > position - 4) {
            throw new IndexOutOfBoundsException("putInt at " + at + ", written " + position);
        }
        setInt(at, value);
    }

    private void setInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    public MessageWriter writeRaw(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, position, length);
        position += length;
        return this;
    }

    public MessageWriter writeRaw(byte[] bytes) {
        return writeRaw(bytes, 0, bytes.length);
    }

    /** Writes a nullable string: length (-1 for null) and UTF-8 bytes. */
    public MessageWriter writeString(String value) {
        return writeBlock(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a nullable block: length (-1 for null) and the bytes. */
    public MessageWriter writeBlock(byte[] value) {
        if (value == null) {
            return writeInt(-1);
        }
        writeInt(value.length);
        return writeRaw(value);
    }

    /**
     * Writes a tag and a value. Accepts null, Boolean, Byte, Short, Character, Integer, Long, Float, Double,
     * String and byte[] (the union of what JMS properties, map and stream messages hold).
     *
     * @throws IllegalArgumentException for any other type
     */
    public MessageWriter writeTypedValue(Object value) {
        if (value == null) {
            return writeByte(TAG_NULL);
        } else if (value instanceof String s) {
            return writeByte(TAG_STRING).writeString(s);
        } else if (value instanceof Integer i) {
            return writeByte(TAG_INT).writeInt(i);
        } else if (value instanceof Long l) {
            return writeByte(TAG_LONG).writeLong(l);
        } else if (value instanceof Boolean b) {
            return writeByte(TAG_BOOLEAN).writeBoolean(b);
        } else if (value instanceof Byte b) {
            return writeByte(TAG_BYTE).writeByte(b);
        } else if (value instanceof Short s) {
            return writeByte(TAG_SHORT).writeShort(s);
        } else if (value instanceof Character c) {
            return writeByte(TAG_CHAR).writeShort(c);
        } else if (value instanceof Float f) {
            return writeByte(TAG_FLOAT).writeInt(Float.floatToRawIntBits(f));
        } else if (value instanceof Double d) {
            return writeByte(TAG_DOUBLE).writeLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof byte[] bytes) {
            return writeByte(TAG_BYTES).writeBlock(bytes);
        }
        throw new IllegalArgumentException("cannot encode a value of " + value.getClass());
    }

    private void ensure(int extra) {
        int needed = position + extra;
        if (needed < 0) {
            throw new IllegalStateException("message larger than 2 GiB");
        }
        if (needed > buffer.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) buffer.length * 2, needed));
            buffer = Arrays.copyOf(buffer, grown);
        }
    }
}
