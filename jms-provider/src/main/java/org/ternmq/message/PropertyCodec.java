package org.ternmq.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes, reads and checks the properties section of {@link MessageDescriptor}. Stateless. */
final class PropertyCodec {

    private PropertyCodec() {
    }

    /** @return whether {@code value} may be a property value (null, a boxed primitive but char, or String) */
    static boolean isPropertyValue(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Float || value instanceof Double;
    }

    static void write(MessageWriter writer, Map<String, Object> properties) {
        writer.writeInt(properties.size());
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            writer.writeString(entry.getKey());
            writer.writeTypedValue(entry.getValue());
        }
    }

    /** Reads a section already checked by {@link #validate}; the map keeps the written order. */
    static Map<String, Object> read(byte[] bytes, int offset, int length) throws MalformedMessageException {
        MessageReader reader = new MessageReader(bytes, offset, length);
        int count = reader.readInt();
        if (count == 0) {
            return Collections.emptyMap();
        }
        Map<String, Object> properties = new LinkedHashMap<>(Math.max(4, count * 2));
        for (int i = 0; i < count; i++) {
            properties.put(reader.readString(), reader.readTypedValue());
        }
        return Collections.unmodifiableMap(properties);
    }

    /** Walks the section without materializing values: lengths, tags and the exact end. */
    static void validate(byte[] bytes, int offset, int length) throws MalformedMessageException {
        MessageReader reader = new MessageReader(bytes, offset, length);
        int count = reader.readInt();
        // each entry takes at least 5 bytes (name length + tag), so a bigger count cannot be honest
        if (count < 0 || count > reader.remaining() / 5) {
            throw new MalformedMessageException("property count " + count);
        }
        for (int i = 0; i < count; i++) {
            if (reader.skipBlock() <= 0) {
                throw new MalformedMessageException("null or empty property name in entry " + i);
            }
            reader.skipTypedValue(false);
        }
        if (reader.hasRemaining()) {
            throw new MalformedMessageException(reader.remaining() + " bytes after the properties");
        }
    }
}
