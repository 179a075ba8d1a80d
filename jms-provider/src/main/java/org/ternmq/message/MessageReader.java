package org.ternmq.message;

import static org.ternmq.message.MessageDescriptor.*;

import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive pieces of {@link MessageDescriptor} from a region of a byte array, checking every
 * length against the end of the region so that truncated or garbage input gives a
 * {@link MalformedMessageException} and nothing else. Not thread-safe: one reader per decoding.
 */
public final class MessageReader {

    private final byte[] bytes;
    private final int limit;
    private int position;

    /** Reads {@code bytes[offset, offset + length)}. */
    public MessageReader(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length || offset + length < 0) {
            throw new IndexOutOfBoundsException("region " + offset + "+" + length + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return limit - position;
    }

    public boolean hasRemaining() {
        return position < limit;
    }

    public int readUnsignedByte() throws MalformedMessageException {
        need(1);
        return bytes[position++] & 0xFF;
    }

    public byte readByte() throws MalformedMessageException {
        need(1);
        return bytes[position++];
    }

    public boolean readBoolean() throws MalformedMessageException {
        int b = readUnsignedByte();
        if (b > 1) {
            throw new MalformedMessageException("boolean byte " + b + " at " + (position - 1));
        }
        return b == 1;
    }

    public short readShort() throws MalformedMessageException {
        need(2);
        int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        position += 2;
        return (short) value;
    }

    public int readInt() throws MalformedMessageException {
        need(4);
        int value = ((bytes[position] & 0xFF) << 24) | ((bytes[position + 1] & 0xFF) << 16)
                | ((bytes[position + 2] & 0xFF) << 8) | (bytes[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long readLong() throws MalformedMessageException {
        long high = readInt();
        return (high << 32) | (readInt() & 0xFFFF_FFFFL);
    }

    /** Reads a nullable string written by {@link MessageWriter#writeString}. */
    public String readString() throws MalformedMessageException {
        int length = readBlockLength();
        if (length < 0) {
            return null;
        }
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** Reads a nullable block written by {@link MessageWriter#writeBlock}. */
    public byte[] readBlock() throws MalformedMessageException {
        int length = readBlockLength();
        if (length < 0) {
            return null;
        }
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    /** Skips a nullable string or block, returning its length (-1 for null). */
    public int skipBlock() throws MalformedMessageException {
        int length = readBlockLength();
        if (length > 0) {
            position += length;
        }
        return length;
    }

    /** Reads a tag and value written by {@link MessageWriter#writeTypedValue}. */
    public Object readTypedValue() throws MalformedMessageException {
        int tag = readUnsignedByte();
        switch (tag) {
            case TAG_NULL: return null;
            case TAG_BOOLEAN: return readBoolean();
            case TAG_BYTE: return readByte();
            case TAG_SHORT: return readShort();
            case TAG_CHAR: return (char) readShort();
            case TAG_INT: return readInt();
            case TAG_LONG: return readLong();
            case TAG_FLOAT: return Float.intBitsToFloat(readInt());
            case TAG_DOUBLE: return Double.longBitsToDouble(readLong());
            case TAG_STRING: return readString();
            case TAG_BYTES: return readNonNullBlock();
            default: throw new MalformedMessageException("unknown value tag " + tag + " at " + (position - 1));
        }
    }

    /**
     * Skips a tag and value without materializing it.
     *
     * @param allowNonProperty whether CHAR and BYTES tags (not allowed in properties) are accepted
     */
    public void skipTypedValue(boolean allowNonProperty) throws MalformedMessageException {
        int tag = readUnsignedByte();
        switch (tag) {
            case TAG_NULL: return;
            case TAG_BOOLEAN: readBoolean(); return;
            case TAG_BYTE: skip(1); return;
            case TAG_SHORT: skip(2); return;
            case TAG_INT: case TAG_FLOAT: skip(4); return;
            case TAG_LONG: case TAG_DOUBLE: skip(8); return;
            case TAG_STRING: skipBlock(); return;
            case TAG_CHAR:
                if (allowNonProperty) {
                    skip(2);
                    return;
                }
                break;
            case TAG_BYTES:
                if (allowNonProperty) {
                    if (skipBlock() < 0) {
                        throw new MalformedMessageException("null bytes value at " + position);
                    }
                    return;
                }
                break;
            default:
                break;
        }
        throw new MalformedMessageException("value tag " + tag + " not allowed at " + (position - 1));
    }

    public void skip(int count) throws MalformedMessageException {
        need(count);
        position += count;
    }

    private byte[] readNonNullBlock() throws MalformedMessageException {
        byte[] value = readBlock();
        if (value == null) {
            throw new MalformedMessageException("null bytes value at " + position);
        }
        return value;
    }

    private int readBlockLength() throws MalformedMessageException {
        int length = readInt();
        if (length < -1 || length > remaining()) {
            throw new MalformedMessageException("length " + length + " at " + (position - 4)
                    + " exceeds the " + remaining() + " bytes left");
        }
        return length;
    }

    private void need(int count) throws MalformedMessageException {
        if (count < 0 || count > limit - position) {
            throw new MalformedMessageException("need " + count + " bytes at " + position + ", have "
                    + (limit - position));
        }
    }
}
