package org.ternmq.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads the body section of {@link MessageDescriptor} for each {@link BodyType}. Stateless.
 * The decoders take an {@link EncodedMessage}, whose body {@link EncodedMessage#wrap} has already
 * checked, so they do not fail on the bytes.
 */
public final class BodyCodec {

    private static final int NULL_FLAG = 0;
    private static final int PRESENT_FLAG = 1;

    private BodyCodec() {
    }

    /** @return a TEXT body: null flag, then UTF-8 */
    public static byte[] encodeText(String text) {
        if (text == null) {
            return new byte[] {NULL_FLAG};
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new MessageWriter(utf8.length + 1).writeByte(PRESENT_FLAG).writeRaw(utf8).toByteArray();
    }

    /** @return an OBJECT body: null flag, then the serialized bytes (null for a null object) */
    public static byte[] encodeObject(byte[] serialized) {
        if (serialized == null) {
            return new byte[] {NULL_FLAG};
        }
        return new MessageWriter(serialized.length + 1).writeByte(PRESENT_FLAG).writeRaw(serialized)
                .toByteArray();
    }

    /**
     * @param entries names to null, boxed primitives (char included), String or byte[]
     * @return a MAP body
     */
    public static byte[] encodeMap(Map<String, ?> entries) {
        MessageWriter writer = new MessageWriter();
        writer.writeInt(entries.size());
        for (Map.Entry<String, ?> entry : entries.entrySet()) {
            writer.writeString(entry.getKey());
            writer.writeTypedValue(entry.getValue());
        }
        return writer.toByteArray();
    }

    /** @return a STREAM body holding {@code values} in order */
    public static byte[] encodeStream(List<?> values) {
        MessageWriter writer = new MessageWriter();
        for (Object value : values) {
            writer.writeTypedValue(value);
        }
        return writer.toByteArray();
    }

    public static String decodeText(EncodedMessage message) {
        requireType(message, BodyType.TEXT);
        if (message.bytes()[message.bodyOffset()] == NULL_FLAG) {
            return null;
        }
        return new String(message.bytes(), message.bodyOffset() + 1, message.bodyLength() - 1,
                StandardCharsets.UTF_8);
    }

    /** @return the serialized object, or null for a null object */
    public static byte[] decodeObject(EncodedMessage message) {
        requireType(message, BodyType.OBJECT);
        if (message.bytes()[message.bodyOffset()] == NULL_FLAG) {
            return null;
        }
        byte[] serialized = new byte[message.bodyLength() - 1];
        System.arraycopy(message.bytes(), message.bodyOffset() + 1, serialized, 0, serialized.length);
        return serialized;
    }

    /** @return a new mutable map in the written order */
    public static LinkedHashMap<String, Object> decodeMap(EncodedMessage message) {
        requireType(message, BodyType.MAP);
        MessageReader reader = bodyReader(message);
        try {
            int count = reader.readInt();
            LinkedHashMap<String, Object> entries = new LinkedHashMap<>(Math.max(4, count * 2));
            for (int i = 0; i < count; i++) {
                entries.put(reader.readString(), reader.readTypedValue());
            }
            return entries;
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("body checked by wrap() no longer reads", e);
        }
    }

    /** @return a new mutable list of the values in order */
    public static List<Object> decodeStream(EncodedMessage message) {
        requireType(message, BodyType.STREAM);
        MessageReader reader = bodyReader(message);
        List<Object> values = new ArrayList<>();
        try {
            while (reader.hasRemaining()) {
                values.add(reader.readTypedValue());
            }
        } catch (MalformedMessageException e) {
            throw new IllegalStateException("body checked by wrap() no longer reads", e);
        }
        return values;
    }

    /** Checks a body section of the given type, without materializing it. */
    static void validate(BodyType type, byte[] bytes, int offset, int length) throws MalformedMessageException {
        switch (type) {
            case MESSAGE:
                if (length != 0) {
                    throw new MalformedMessageException("plain message with a body of " + length + " bytes");
                }
                return;
            case BYTES:
                return;
            case TEXT:
            case OBJECT:
                validateNullFlag(type, bytes, offset, length);
                return;
            case MAP:
                validateMap(new MessageReader(bytes, offset, length));
                return;
            case STREAM:
                MessageReader reader = new MessageReader(bytes, offset, length);
                while (reader.hasRemaining()) {
                    reader.skipTypedValue(true);
                }
                return;
            default:
                throw new MalformedMessageException("unexpected body type " + type);
        }
    }

    private static void validateNullFlag(BodyType type, byte[] bytes, int offset, int length)
            throws MalformedMessageException {
        if (length < 1) {
            throw new MalformedMessageException(type + " body without its null flag");
        }
        int flag = bytes[offset];
        if (flag != NULL_FLAG && flag != PRESENT_FLAG || flag == NULL_FLAG && length != 1) {
            throw new MalformedMessageException(type + " body with null flag " + flag + " and length " + length);
        }
    }

    private static void validateMap(MessageReader reader) throws MalformedMessageException {
        int count = reader.readInt();
        if (count < 0 || count > reader.remaining() / 5) {
            throw new MalformedMessageException("map entry count " + count);
        }
        for (int i = 0; i < count; i++) {
            if (reader.skipBlock() <= 0) {
                throw new MalformedMessageException("null or empty map entry name in entry " + i);
            }
            reader.skipTypedValue(true);
        }
        if (reader.hasRemaining()) {
            throw new MalformedMessageException(reader.remaining() + " bytes after the map entries");
        }
    }

    private static MessageReader bodyReader(EncodedMessage message) {
        return new MessageReader(message.bytes(), message.bodyOffset(), message.bodyLength());
    }

    private static void requireType(EncodedMessage message, BodyType expected) {
        if (message.bodyType() != expected) {
            throw new IllegalArgumentException("a " + message.bodyType() + " message, not " + expected);
        }
    }
}
