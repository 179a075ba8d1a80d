package org.ternmq.message;

import static org.ternmq.message.MessageDescriptor.*;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an {@link EncodedMessage} from header values, properties and an already formatted body (see
 * {@link BodyCodec}). The group id, group seq and duplicate id header fields are taken from the
 * {@code JMSXGroupID}, {@code JMSXGroupSeq} and {@code JMS_TERN_DuplicateID} properties, so the copies in
 * the header can never disagree with the properties. Not thread-safe: one builder per message.
 */
public final class MessageEncoder {

    private static final byte[] EMPTY = new byte[0];

    private BodyType bodyType = BodyType.MESSAGE;
    private boolean persistent = true;
    private int priority = 4;
    private long timestamp;
    private long expiration;
    private long deliveryTime;
    private String messageId;
    private Address destination;
    private Address replyTo;
    private String correlationId;
    private byte[] correlationIdBytes;
    private String type;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private byte[] body = EMPTY;
    private boolean large;

    /** @return a builder holding every field of {@code message}, to change a few and encode again */
    public static MessageEncoder from(EncodedMessage message) {
        MessageEncoder encoder = new MessageEncoder()
                .bodyType(message.bodyType())
                .persistent(message.persistent())
                .priority(message.priority())
                .timestamp(message.timestamp())
                .expiration(message.expiration())
                .deliveryTime(message.deliveryTime())
                .messageId(message.messageId())
                .destination(message.destination())
                .replyTo(message.replyTo())
                .type(message.type())
                .properties(message.properties())
                .body(message.body());
        encoder.large = message.isLarge();
        if (message.correlationIdIsBytes()) {
            encoder.correlationIdBytes(message.correlationIdBytes());
        } else {
            encoder.correlationId(message.correlationId());
        }
        return encoder;
    }

    /**
     * Makes the message large: its body section is then the {@link MessageDescriptor#LARGE_BODY_LENGTH}-byte
     * reference written by {@link #largeBody}, and the body itself travels and is stored in chunks.
     */
    public MessageEncoder largeBody(long bodySize, long bodyId) {
        this.large = true;
        this.body = new byte[LARGE_BODY_LENGTH];
        java.nio.ByteBuffer.wrap(body).putLong(bodySize).putLong(bodyId);
        return this;
    }

    /** Sets an ordinary body, making the message not large. */
    MessageEncoder inlineBody(byte[] body) {
        this.large = false;
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    public MessageEncoder bodyType(BodyType bodyType) {
        this.bodyType = Objects.requireNonNull(bodyType, "bodyType");
        return this;
    }

    public MessageEncoder persistent(boolean persistent) {
        this.persistent = persistent;
        return this;
    }

    /** @throws IllegalArgumentException outside 0..9 */
    public MessageEncoder priority(int priority) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority " + priority + " outside 0.." + MAX_PRIORITY);
        }
        this.priority = priority;
        return this;
    }

    public MessageEncoder timestamp(long timestamp) {
        this.timestamp = timestamp;
        return this;
    }

    /** @param expiration epoch milliseconds, 0 for never */
    public MessageEncoder expiration(long expiration) {
        this.expiration = expiration;
        return this;
    }

    /** @param deliveryTime epoch milliseconds, 0 for immediately */
    public MessageEncoder deliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
        return this;
    }

    public MessageEncoder messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public MessageEncoder destination(Address destination) {
        this.destination = destination;
        return this;
    }

    public MessageEncoder replyTo(Address replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    /** Sets a string correlation id (replacing a bytes one). */
    public MessageEncoder correlationId(String correlationId) {
        this.correlationId = correlationId;
        this.correlationIdBytes = null;
        return this;
    }

    /** Sets a bytes correlation id (replacing a string one); the array is not copied. */
    public MessageEncoder correlationIdBytes(byte[] correlationIdBytes) {
        this.correlationIdBytes = correlationIdBytes;
        this.correlationId = null;
        return this;
    }

    public MessageEncoder type(String type) {
        this.type = type;
        return this;
    }

    /**
     * @param value null, Boolean, Byte, Short, Integer, Long, Float, Double or String
     * @throws IllegalArgumentException for an empty name or another value type
     */
    public MessageEncoder property(String name, Object value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be null or empty");
        }
        if (!PropertyCodec.isPropertyValue(value)) {
            throw new IllegalArgumentException("property " + name + " cannot hold a " + value.getClass());
        }
        properties.put(name, value);
        return this;
    }

    /** Adds every entry, as {@link #property} does. */
    public MessageEncoder properties(Map<String, ?> values) {
        values.forEach(this::property);
        return this;
    }

    public MessageEncoder removeProperty(String name) {
        properties.remove(name);
        return this;
    }

    /** @param body the body section as formatted by {@link BodyCodec} for the body type; not copied */
    public MessageEncoder body(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /**
     * @throws IllegalStateException without a destination
     * @throws IllegalArgumentException if the body does not match the body type
     */
    public EncodedMessage encode() {
        if (destination == null) {
            throw new IllegalStateException("a message needs a destination to be encoded");
        }
        MessageWriter writer = new MessageWriter(FIXED_HEADER_LENGTH + 128 + body.length);
        writeFixedHeader(writer);
        int variableStart = writer.position();
        writeVariableHeader(writer);
        int propertiesStart = writer.position();
        PropertyCodec.write(writer, properties);
        int bodyStart = writer.position();
        writer.writeRaw(body);
        writer.putInt(VARIABLE_HEADER_LENGTH_OFFSET, propertiesStart - variableStart);
        writer.putInt(PROPERTIES_LENGTH_OFFSET, bodyStart - propertiesStart);
        writer.putInt(BODY_LENGTH_OFFSET, writer.position() - bodyStart);
        try {
            return EncodedMessage.wrap(writer.toByteArray());
        } catch (MalformedMessageException e) {
            // the header we wrote is sound, so only a body in the wrong format gets here
            throw new IllegalArgumentException("body does not match body type " + bodyType, e);
        }
    }

    private void writeFixedHeader(MessageWriter writer) {
        int flags = (persistent ? FLAG_PERSISTENT : 0)
                | (replyTo != null ? FLAG_REPLY_TO : 0)
                | (correlationIdBytes != null ? FLAG_CORRELATION_ID_BYTES : 0)
                | (large ? FLAG_LARGE : 0);
        writer.writeByte(FORMAT_VERSION)
                .writeByte(bodyType.code())
                .writeByte(flags)
                .writeByte(priority)
                .writeLong(timestamp)
                .writeLong(expiration)
                .writeLong(deliveryTime)
                .writeInt(groupSeq())
                .writeInt(0)
                .writeInt(0)
                .writeInt(0);
    }

    private void writeVariableHeader(MessageWriter writer) {
        writer.writeByte(destination.kind().code()).writeString(destination.name());
        writer.writeString(messageId);
        if (replyTo != null) {
            writer.writeByte(replyTo.kind().code()).writeString(replyTo.name());
        }
        writer.writeBlock(correlationIdBytes != null ? correlationIdBytes
                : correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8));
        writer.writeString(type);
        writer.writeString(stringProperty(GROUP_ID_PROPERTY));
        writer.writeString(stringProperty(DUPLICATE_ID_PROPERTY));
    }

    private String stringProperty(String name) {
        Object value = properties.get(name);
        return value == null ? null : value.toString();
    }

    private int groupSeq() {
        Object value = properties.get(GROUP_SEQ_PROPERTY);
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
