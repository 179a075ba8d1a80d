package org.ternmq.message;

import static org.ternmq.message.MessageDescriptor.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.ternmq.selector.SelectorContext;

/**
 * Immutable, thread-safe view over one encoded message (layout in {@link MessageDescriptor}). The fixed and
 * variable headers are read when the bytes are wrapped; the properties are decoded on first use (only
 * selectors need them on the broker) and then kept. {@link #wrap} also walks the properties and the body
 * to check their lengths and tags, creating no objects, so that nothing read later from a wrapped message
 * can fail on bad bytes. Any thread may call any method.
 *
 * <p>The byte array is shared, never copied: whoever wraps it must not change it afterwards.
 */
public final class EncodedMessage implements SelectorContext {

    private final byte[] bytes;
    private final BodyType bodyType;
    private final int flags;
    private final int priority;
    private final long timestamp;
    private final long expiration;
    private final long deliveryTime;
    private final int groupSeq;
    private final Address destination;
    private final String messageId;
    private final Address replyTo;
    private final byte[] correlationIdBlock;
    private final String type;
    private final String groupId;
    private final String duplicateId;
    private final int propertiesOffset;
    private final int propertiesLength;
    private final int bodyOffset;
    private final int bodyLength;

    /** Decoded on first use; a benign race may decode twice, the result is the same immutable map. */
    private volatile Map<String, Object> properties;

    private EncodedMessage(byte[] bytes) throws MalformedMessageException {
        this.bytes = bytes;
        if (bytes.length < FIXED_HEADER_LENGTH) {
            throw new MalformedMessageException("message of " + bytes.length + " bytes is shorter than its header");
        }
        MessageReader fixed = new MessageReader(bytes, 0, FIXED_HEADER_LENGTH);
        int version = fixed.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new MalformedMessageException("unknown message format version " + version);
        }
        this.bodyType = bodyType(fixed.readUnsignedByte());
        this.flags = fixed.readUnsignedByte();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new MalformedMessageException("unknown message flags " + Integer.toHexString(flags));
        }
        this.priority = fixed.readUnsignedByte();
        if (priority > MAX_PRIORITY) {
            throw new MalformedMessageException("priority " + priority);
        }
        this.timestamp = fixed.readLong();
        this.expiration = fixed.readLong();
        this.deliveryTime = fixed.readLong();
        this.groupSeq = fixed.readInt();
        int variableLength = fixed.readInt();
        this.propertiesLength = fixed.readInt();
        this.bodyLength = fixed.readInt();
        if (variableLength < 0 || propertiesLength < 0 || bodyLength < 0
                || (long) variableLength + propertiesLength + bodyLength != bytes.length - FIXED_HEADER_LENGTH) {
            throw new MalformedMessageException("section lengths " + variableLength + "/" + propertiesLength + "/"
                    + bodyLength + " do not add up to " + (bytes.length - FIXED_HEADER_LENGTH));
        }
        this.propertiesOffset = FIXED_HEADER_LENGTH + variableLength;
        this.bodyOffset = propertiesOffset + propertiesLength;

        MessageReader variable = new MessageReader(bytes, FIXED_HEADER_LENGTH, variableLength);
        this.destination = readAddress(variable);
        this.messageId = variable.readString();
        this.replyTo = (flags & FLAG_REPLY_TO) != 0 ? readAddress(variable) : null;
        this.correlationIdBlock = variable.readBlock();
        this.type = variable.readString();
        this.groupId = variable.readString();
        this.duplicateId = variable.readString();
        if (variable.hasRemaining()) {
            throw new MalformedMessageException(variable.remaining() + " bytes after the variable header");
        }
        PropertyCodec.validate(bytes, propertiesOffset, propertiesLength);
        if ((flags & FLAG_LARGE) != 0) {
            if (bodyLength != LARGE_BODY_LENGTH || largeBodySize() < 0) {
                throw new MalformedMessageException("a large message's body section must be " + LARGE_BODY_LENGTH
                        + " bytes holding a size that is not negative, was " + bodyLength + " bytes");
            }
        } else {
            BodyCodec.validate(bodyType, bytes, bodyOffset, bodyLength);
        }
    }

    /**
     * Checks the headers and the structure of the properties and body, and wraps {@code bytes} without
     * copying them.
     *
     * @throws MalformedMessageException if the bytes are not a message of {@link MessageDescriptor}
     */
    public static EncodedMessage wrap(byte[] bytes) throws MalformedMessageException {
        return new EncodedMessage(Objects.requireNonNull(bytes, "bytes"));
    }

    private static BodyType bodyType(int code) throws MalformedMessageException {
        try {
            return BodyType.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException(e.getMessage(), e);
        }
    }

    private static Address readAddress(MessageReader reader) throws MalformedMessageException {
        int kind = reader.readUnsignedByte();
        String name = reader.readString();
        try {
            return new Address(Address.Kind.fromCode(kind), name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException("bad address: kind " + kind + ", name " + name, e);
        }
    }

    /** @return the exact encoded bytes, shared: do not modify */
    public byte[] bytes() {
        return bytes;
    }

    public int size() {
        return bytes.length;
    }

    public BodyType bodyType() {
        return bodyType;
    }

    /** @return the JMSMessageID, or null if the producer disabled message ids */
    public String messageId() {
        return messageId;
    }

    public Address destination() {
        return destination;
    }

    /** @return the JMSReplyTo address, or null */
    public Address replyTo() {
        return replyTo;
    }

    public boolean persistent() {
        return (flags & FLAG_PERSISTENT) != 0;
    }

    public int priority() {
        return priority;
    }

    public long timestamp() {
        return timestamp;
    }

    /** @return epoch milliseconds after which the message expires, 0 = never */
    public long expiration() {
        return expiration;
    }

    /** @return whether the message has an expiration and it is before {@code now} */
    public boolean isExpired(long now) {
        return expiration != 0 && expiration <= now;
    }

    /** @return epoch milliseconds before which the message must not be delivered, 0 = immediately */
    public long deliveryTime() {
        return deliveryTime;
    }

    /** @return the JMSType, or null */
    public String type() {
        return type;
    }

    /** @return the {@code JMSXGroupID} property, or null if none */
    public String groupId() {
        return groupId;
    }

    /** @return the {@code JMSXGroupSeq} property, 0 if none */
    public int groupSeq() {
        return groupSeq;
    }

    /** @return the {@code JMS_TERN_DuplicateID} property, or null if none */
    public String duplicateId() {
        return duplicateId;
    }

    /** @return whether the correlation id was set as bytes */
    public boolean correlationIdIsBytes() {
        return (flags & FLAG_CORRELATION_ID_BYTES) != 0;
    }

    /** @return the JMSCorrelationID as a string (bytes read as UTF-8), or null */
    public String correlationId() {
        return correlationIdBlock == null ? null : new String(correlationIdBlock, StandardCharsets.UTF_8);
    }

    /** @return a copy of the JMSCorrelationID as bytes (a string one as UTF-8), or null */
    public byte[] correlationIdBytes() {
        return correlationIdBlock == null ? null : correlationIdBlock.clone();
    }

    /** @return the value of the property, null if absent; decodes the properties on first use */
    public Object property(String name) {
        return properties().get(name);
    }

    /** @return the property names, in the order they were written */
    public Set<String> propertyNames() {
        return properties().keySet();
    }

    /** @return all properties, unmodifiable, in the order they were written */
    public Map<String, Object> properties() {
        Map<String, Object> decoded = properties;
        if (decoded == null) {
            try {
                decoded = PropertyCodec.read(bytes, propertiesOffset, propertiesLength);
            } catch (MalformedMessageException e) {
                throw new IllegalStateException("properties checked by wrap() no longer read", e);
            }
            properties = decoded;
        }
        return decoded;
    }

    /**
     * The value a selector sees for an identifier: JMSDeliveryMode ("PERSISTENT"/"NON_PERSISTENT"),
     * JMSPriority, JMSMessageID, JMSTimestamp, JMSCorrelationID (string form), JMSType, else the property.
     */
    @Override
    public Object identifier(String name) {
        switch (name) {
            case "JMSDeliveryMode": return persistent() ? "PERSISTENT" : "NON_PERSISTENT";
            case "JMSPriority": return priority;
            case "JMSMessageID": return messageId;
            case "JMSTimestamp": return timestamp;
            case "JMSCorrelationID": return correlationId();
            case "JMSType": return type;
            default: return property(name);
        }
    }

    /** @return whether the body travels and is stored in chunks ({@link MessageDescriptor#FLAG_LARGE}) */
    public boolean isLarge() {
        return (flags & FLAG_LARGE) != 0;
    }

    /** @return the size of a large message's body (0 for a message that is not large) */
    public long largeBodySize() {
        return isLarge() ? readLong(bodyOffset) : 0;
    }

    /** @return the id of a large message's body: the client's upload id, or the broker's body id */
    public long largeBodyId() {
        return isLarge() ? readLong(bodyOffset + 8) : 0;
    }

    private long readLong(int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[at + i] & 0xFF);
        }
        return v;
    }

    /** @return a large message's copy whose body reference names {@code bodyId} (broker side, at send) */
    public EncodedMessage withLargeBodyId(long bodyId) {
        if (!isLarge()) {
            throw new IllegalStateException("not a large message");
        }
        byte[] copy = bytes.clone();
        java.nio.ByteBuffer.wrap(copy, bodyOffset + 8, 8).putLong(bodyId);
        try {
            return wrap(copy);
        } catch (MalformedMessageException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return this message's header and properties with a large-body reference instead of its body */
    public EncodedMessage asLarge(long bodySize, long bodyId) {
        MessageEncoder encoder = MessageEncoder.from(this);
        return encoder.largeBody(bodySize, bodyId).encode();
    }

    /** @return this large message with {@code body} in place of its body reference (client side, on receipt) */
    public EncodedMessage withInlineBody(byte[] body) {
        MessageEncoder encoder = MessageEncoder.from(this);
        return encoder.inlineBody(body).encode();
    }

    /** @return where the body starts in {@link #bytes()} */
    public int bodyOffset() {
        return bodyOffset;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** @return a copy of the body section (formatted as {@link BodyCodec} says for the body type) */
    public byte[] body() {
        return Arrays.copyOfRange(bytes, bodyOffset, bodyOffset + bodyLength);
    }

    /**
     * Re-encodes with extra or overridden properties (broker side, rare: dead-letter and expiry moves).
     *
     * @param extra properties to add or replace; a null value removes the property
     * @throws IllegalArgumentException for a value that cannot be a property
     */
    public EncodedMessage withProperties(Map<String, Object> extra) {
        MessageEncoder encoder = MessageEncoder.from(this);
        extra.forEach((name, value) -> {
            if (value == null) {
                encoder.removeProperty(name);
            } else {
                encoder.property(name, value);
            }
        });
        return encoder.encode();
    }

    /** Re-encodes with another destination and expiration (broker side, rare). */
    public EncodedMessage withDestination(Address destination, long expiration) {
        return MessageEncoder.from(this)
                .destination(Objects.requireNonNull(destination, "destination"))
                .expiration(expiration)
                .encode();
    }

    @Override
    public String toString() {
        return "EncodedMessage[id=" + messageId + ", destination=" + destination + ", body=" + bodyType
                + ", persistent=" + persistent() + ", priority=" + priority + ", size=" + bytes.length + "]";
    }
}
