package org.ternmq.jms.message;

import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import org.ternmq.jms.destination.TernDestination;
import org.ternmq.message.Address;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;

/**
 * A JMS message without a body, and the base of the five others: headers, properties, the read-only state
 * of a received message, and the bridge to and from {@link EncodedMessage}.
 *
 * <p>Like every JMS message, an instance is used by one thread at a time (the session's rules); it has no
 * locking of its own.
 *
 * <p>Longer than our usual class because {@code jakarta.jms.Message} has some fifty methods, nearly all
 * one-line header and property accessors; the logic lives in {@link MessageProperties} and
 * {@link ValueConversion}.
 */
public class TernMessage implements Message {

    /** Property the provider sets on receipt; never encoded, since the broker counts deliveries itself. */
    public static final String DELIVERY_COUNT_PROPERTY = "JMSXDeliveryCount";

    private String messageId;
    private long timestamp;
    private String correlationId;
    private byte[] correlationIdBytes;
    private Destination replyTo;
    private Destination destination;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private boolean redelivered;
    private String type;
    private long expiration;
    private long deliveryTime;
    private int priority = Message.DEFAULT_PRIORITY;
    private final MessageProperties properties = new MessageProperties();
    private boolean bodyReadOnly;
    private MessageAcknowledger acknowledger;
    /** Large-message streams: the body to send, or the body of a received large message (null otherwise). */
    LargeStreams large;

    /** Creates an empty, writable message, as {@code Session.createMessage()} does. */
    public TernMessage() {
    }

    // ---------------------------------------------------------------- encoding bridge

    /**
     * @return the message as it is now, headers included (the producer sets them on this object first);
     *     {@code JMSXDeliveryCount} is left out
     * @throws IllegalStateException if the message has no destination
     * @throws IllegalArgumentException if a destination cannot be turned into a Tern one
     */
    public EncodedMessage encode() {
        MessageEncoder encoder = new MessageEncoder()
                .bodyType(bodyType())
                .persistent(deliveryMode != DeliveryMode.NON_PERSISTENT)
                // a priority outside 0..9 can only come from a direct setJMSPriority; the send path validates
                .priority(Math.max(0, Math.min(9, priority)))
                .timestamp(timestamp)
                .expiration(expiration)
                .deliveryTime(deliveryTime)
                .messageId(messageId)
                .destination(addressOf(destination))
                .replyTo(addressOf(replyTo))
                .type(type);
        if (correlationIdBytes != null) {
            encoder.correlationIdBytes(correlationIdBytes);
        } else {
            encoder.correlationId(correlationId);
        }
        for (Map.Entry<String, Object> property : properties.asMap().entrySet()) {
            if (!DELIVERY_COUNT_PROPERTY.equals(property.getKey())) {
                encoder.property(property.getKey(), property.getValue());
            }
        }
        return encoder.body(encodeBody()).encode();
    }

    /**
     * @return a received message of the right class, body and properties read-only, with
     *     {@code JMSRedelivered = deliveryCount > 1} and {@code JMSXDeliveryCount = deliveryCount} (left
     *     unset when {@code deliveryCount} is 0, e.g. for a browsed message)
     */
    public static TernMessage decode(EncodedMessage encoded, int deliveryCount) {
        return decode(encoded, deliveryCount, null);
    }

    /**
     * As {@link #decode(EncodedMessage, int)}, for a message that may be large: {@code body} then holds its
     * body, still on the broker. A bytes or stream message reads it when the application first reads its
     * body or streams it ({@code JMS_TERN_SaveStream}, {@code JMS_TERN_OutputStream}); any other is read now.
     */
    public static TernMessage decode(EncodedMessage encoded, int deliveryCount,
            org.ternmq.client.LargeBodyReceiver body) {
        if (!encoded.isLarge()) {
            return decodeInline(encoded, deliveryCount);
        }
        if (body == null) {
            // a browsed large message: headers and properties only
            return decodeInline(encoded.withInlineBody(LargeStreams.emptyBody(encoded.bodyType())), deliveryCount);
        }
        TernMessage message = decodeInline(encoded.withInlineBody(LargeStreams.emptyBody(encoded.bodyType())),
                deliveryCount);
        message.large = LargeStreams.received(message, encoded, body);
        if (!(message instanceof TernBytesMessage || message instanceof TernStreamMessage)) {
            try {
                message.loadLargeBody();
            } catch (JMSException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return message;
    }

    /**
     * Reads the body of a received large message into memory, once, before the application reads it.
     *
     * @throws JMSException when it is too big for memory or cannot be read
     */
    final void loadLargeBody() throws JMSException {
        if (large == null || !large.isReceived() || large.loaded()) {
            return;
        }
        byte[] body = large.readAll();
        boolean readOnly = bodyReadOnly;
        decodeBody(large.encoded().withInlineBody(body));
        bodyReadOnly = readOnly;
    }

    /** The body stream a producer sends this message's body from ({@code JMS_TERN_InputStream}), or null. */
    public java.io.InputStream largeInput() {
        return large == null ? null : large.input();
    }

    /**
     * Waits until the asynchronous write of a received large message's body ({@code JMS_TERN_OutputStream})
     * has finished.
     *
     * @return false when it has not finished within {@code timeoutMillis}
     * @throws JMSException when the write failed, or no write was started
     */
    public boolean waitForBody(long timeoutMillis) throws JMSException {
        if (large == null) {
            throw new jakarta.jms.IllegalStateException("no JMS_TERN_OutputStream was set on this message");
        }
        return large.await(timeoutMillis);
    }

    private static TernMessage decodeInline(EncodedMessage encoded, int deliveryCount) {
        TernMessage message = newOfType(encoded.bodyType());
        message.messageId = encoded.messageId();
        message.timestamp = encoded.timestamp();
        if (encoded.correlationIdIsBytes()) {
            message.correlationIdBytes = encoded.correlationIdBytes();
        } else {
            message.correlationId = encoded.correlationId();
        }
        message.destination = TernDestination.of(encoded.destination());
        message.replyTo = encoded.replyTo() == null ? null : TernDestination.of(encoded.replyTo());
        message.deliveryMode = encoded.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT;
        message.type = encoded.type();
        message.expiration = encoded.expiration();
        message.deliveryTime = encoded.deliveryTime();
        message.priority = encoded.priority();
        message.redelivered = deliveryCount > 1;
        encoded.properties().forEach(message.properties::putTrusted);
        if (deliveryCount > 0) {
            message.properties.putTrusted(DELIVERY_COUNT_PROPERTY, deliveryCount);
        }
        message.properties.setReadOnly(true);
        message.decodeBody(encoded);
        message.bodyReadOnly = true;
        return message;
    }

    /**
     * Converts a message of another provider (or a plain implementation of the interfaces) into a Tern one
     * of the matching type, headers, properties and body included. Reading the foreign body resets a foreign
     * bytes or stream message. A Tern message is returned as it is (sending encodes it anyway).
     */
    public static TernMessage copyOf(Message foreign) throws JMSException {
        if (foreign instanceof TernMessage tern) {
            return tern;
        }
        TernMessage copy;
        if (foreign instanceof TextMessage) {
            copy = new TernTextMessage();
        } else if (foreign instanceof BytesMessage) {
            copy = new TernBytesMessage();
        } else if (foreign instanceof MapMessage) {
            copy = new TernMapMessage();
        } else if (foreign instanceof StreamMessage) {
            copy = new TernStreamMessage();
        } else if (foreign instanceof ObjectMessage) {
            copy = new TernObjectMessage();
        } else {
            copy = new TernMessage();
        }
        copy.copyHeadersFrom(foreign);
        for (Enumeration<?> names = foreign.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            // validated like an application's own property: a foreign provider may allow more types
            copy.properties.put(name, foreign.getObjectProperty(name));
        }
        copy.copyBodyFrom(foreign);
        return copy;
    }

    private void copyHeadersFrom(Message foreign) throws JMSException {
        messageId = foreign.getJMSMessageID();
        timestamp = foreign.getJMSTimestamp();
        correlationId = foreign.getJMSCorrelationID();
        if (correlationId == null) {
            try {
                correlationIdBytes = foreign.getJMSCorrelationIDAsBytes();
            } catch (JMSException | RuntimeException notSupported) {
                // byte correlation ids are optional; a provider without them simply has none
                correlationIdBytes = null;
            }
        }
        destination = TernDestination.fromForeign(foreign.getJMSDestination());
        replyTo = TernDestination.fromForeign(foreign.getJMSReplyTo());
        deliveryMode = foreign.getJMSDeliveryMode();
        redelivered = foreign.getJMSRedelivered();
        type = foreign.getJMSType();
        expiration = foreign.getJMSExpiration();
        try {
            deliveryTime = foreign.getJMSDeliveryTime();
        } catch (AbstractMethodError | UnsupportedOperationException olderProvider) {
            // a JMS 1.1 provider's message has no delivery time
            deliveryTime = 0;
        }
        priority = foreign.getJMSPriority();
    }

    private static TernMessage newOfType(BodyType bodyType) {
        switch (bodyType) {
            case TEXT: return new TernTextMessage();
            case BYTES: return new TernBytesMessage();
            case MAP: return new TernMapMessage();
            case STREAM: return new TernStreamMessage();
            case OBJECT: return new TernObjectMessage();
            default: return new TernMessage();
        }
    }

    private static Address addressOf(Destination destination) {
        if (destination == null) {
            return null;
        }
        try {
            return TernDestination.fromForeign(destination).address();
        } catch (JMSException e) {
            throw new IllegalArgumentException("cannot send to or reply to " + destination, e);
        }
    }

    // ---------------------------------------------------------------- body hooks for the subclasses

    BodyType bodyType() {
        return BodyType.MESSAGE;
    }

    /** @return the body section as {@code BodyCodec} formats it for {@link #bodyType()} */
    byte[] encodeBody() {
        return new byte[0];
    }

    void decodeBody(EncodedMessage encoded) {
    }

    void copyBodyFrom(Message foreign) throws JMSException {
    }

    /** Empties the body; the read-only state is handled by {@link #clearBody()}. */
    void clearBodyContent() {
    }

    /** @return whether the message has no body, so that {@code getBody} returns null */
    boolean hasNoBody() {
        return true;
    }

    /** @return the body as {@code getBody} returns it, a fresh object the caller may keep */
    Object bodyObject() throws JMSException {
        return null;
    }

    final boolean isBodyReadOnly() {
        return bodyReadOnly;
    }

    final void setBodyReadOnly(boolean readOnly) {
        bodyReadOnly = readOnly;
    }

    final void checkBodyWritable() throws MessageNotWriteableException {
        if (bodyReadOnly) {
            throw new MessageNotWriteableException("the message body is read-only; call clearBody() first");
        }
    }

    // ---------------------------------------------------------------- acknowledgement

    /** Sets what {@link #acknowledge()} does; the session sets it on each message it delivers. */
    public void setAcknowledger(MessageAcknowledger acknowledger) {
        this.acknowledger = acknowledger;
    }

    public MessageAcknowledger acknowledger() {
        return acknowledger;
    }

    /** Delegates to the session's acknowledger; on a message the application created it does nothing. */
    @Override
    public void acknowledge() throws JMSException {
        if (acknowledger != null) {
            acknowledger.acknowledge();
        }
    }

    // ---------------------------------------------------------------- body

    @Override
    public void clearBody() throws JMSException {
        if (large != null) {
            large.discard();
            large = null;
        }
        clearBodyContent();
        bodyReadOnly = false;
    }

    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        loadLargeBody();
        if (hasNoBody()) {
            return null;
        }
        Object body = bodyObject();
        if (c == null || !c.isInstance(body)) {
            throw new MessageFormatException("the body of a " + getClass().getSimpleName() + " is a "
                    + body.getClass().getName() + ", which cannot be assigned to " + c);
        }
        return c.cast(body);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public boolean isBodyAssignableTo(Class c) throws JMSException {
        loadLargeBody();
        if (hasNoBody()) {
            return true;
        }
        return c != null && c.isInstance(bodyObject());
    }

    // ---------------------------------------------------------------- headers

    @Override
    public String getJMSMessageID() {
        return messageId;
    }

    @Override
    public void setJMSMessageID(String id) {
        this.messageId = id;
    }

    @Override
    public long getJMSTimestamp() {
        return timestamp;
    }

    @Override
    public void setJMSTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** @return the correlation id as bytes; a string one comes back as its UTF-8 bytes */
    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        if (correlationIdBytes != null) {
            return correlationIdBytes.clone();
        }
        return correlationId == null ? null : correlationId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationIdBytes = correlationID == null ? null : correlationID.clone();
        this.correlationId = null;
    }

    @Override
    public void setJMSCorrelationID(String correlationID) {
        this.correlationId = correlationID;
        this.correlationIdBytes = null;
    }

    /** @return the correlation id; one set as bytes comes back decoded as UTF-8 */
    @Override
    public String getJMSCorrelationID() {
        if (correlationIdBytes != null) {
            return new String(correlationIdBytes, StandardCharsets.UTF_8);
        }
        return correlationId;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }

    @Override
    public void setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
    }

    @Override
    public Destination getJMSDestination() {
        return destination;
    }

    @Override
    public void setJMSDestination(Destination destination) {
        this.destination = destination;
    }

    @Override
    public int getJMSDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setJMSDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public boolean getJMSRedelivered() {
        return redelivered;
    }

    @Override
    public void setJMSRedelivered(boolean redelivered) {
        this.redelivered = redelivered;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public void setJMSType(String type) {
        this.type = type;
    }

    @Override
    public long getJMSExpiration() {
        return expiration;
    }

    @Override
    public void setJMSExpiration(long expiration) {
        this.expiration = expiration;
    }

    @Override
    public long getJMSDeliveryTime() {
        return deliveryTime;
    }

    @Override
    public void setJMSDeliveryTime(long deliveryTime) {
        this.deliveryTime = deliveryTime;
    }

    @Override
    public int getJMSPriority() {
        return priority;
    }

    @Override
    public void setJMSPriority(int priority) {
        this.priority = priority;
    }

    // ---------------------------------------------------------------- properties

    @Override
    public void clearProperties() {
        properties.clear();
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) throws JMSException {
        return ValueConversion.toBoolean(properties.get(name));
    }

    @Override
    public byte getByteProperty(String name) throws JMSException {
        return ValueConversion.toByte(properties.get(name));
    }

    @Override
    public short getShortProperty(String name) throws JMSException {
        return ValueConversion.toShort(properties.get(name));
    }

    @Override
    public int getIntProperty(String name) throws JMSException {
        return ValueConversion.toInt(properties.get(name));
    }

    @Override
    public long getLongProperty(String name) throws JMSException {
        return ValueConversion.toLong(properties.get(name));
    }

    @Override
    public float getFloatProperty(String name) throws JMSException {
        return ValueConversion.toFloat(properties.get(name));
    }

    @Override
    public double getDoubleProperty(String name) throws JMSException {
        return ValueConversion.toDouble(properties.get(name));
    }

    @Override
    public String getStringProperty(String name) throws JMSException {
        return ValueConversion.toText(properties.get(name));
    }

    @Override
    public Object getObjectProperty(String name) {
        if (large != null && LargeStreams.isStreamProperty(name)) {
            return large.property(name);
        }
        return properties.get(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return properties.names();
    }

    @Override
    public void setBooleanProperty(String name, boolean value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setByteProperty(String name, byte value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setShortProperty(String name, short value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setIntProperty(String name, int value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setLongProperty(String name, long value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setFloatProperty(String name, float value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setDoubleProperty(String name, double value) throws JMSException {
        properties.put(name, value);
    }

    @Override
    public void setStringProperty(String name, String value) throws JMSException {
        properties.put(name, value);
    }

    /** @throws MessageFormatException unless the value is null, a boxed primitive (not char) or a String */
    @Override
    public void setObjectProperty(String name, Object value) throws JMSException {
        if (LargeStreams.isStreamProperty(name)) {
            large = LargeStreams.set(this, large, name, value);
            return;
        }
        properties.put(name, value);
    }

    /** @return the delivery count set on receipt, 0 for a message the application created */
    public int deliveryCount() {
        Object count = properties.get(DELIVERY_COUNT_PROPERTY);
        return count instanceof Integer i ? i : 0;
    }

    // ---------------------------------------------------------------- logging

    /** @return a short description of the body for {@link #toString()} */
    String bodySummary() {
        return "";
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(getClass().getSimpleName()).append("[id=").append(messageId)
                .append(", destination=").append(destination)
                .append(", deliveryMode=").append(deliveryMode == DeliveryMode.NON_PERSISTENT ? "NON_PERSISTENT"
                        : "PERSISTENT")
                .append(", priority=").append(priority)
                .append(", timestamp=").append(timestamp);
        if (expiration != 0) {
            text.append(", expiration=").append(expiration);
        }
        if (deliveryTime != 0) {
            text.append(", deliveryTime=").append(deliveryTime);
        }
        if (getJMSCorrelationID() != null) {
            text.append(", correlationId=").append(getJMSCorrelationID());
        }
        if (replyTo != null) {
            text.append(", replyTo=").append(replyTo);
        }
        if (type != null) {
            text.append(", type=").append(type);
        }
        if (redelivered) {
            text.append(", redelivered");
        }
        text.append(", properties=").append(properties);
        String body = bodySummary();
        if (!body.isEmpty()) {
            text.append(", ").append(body);
        }
        return text.append(']').toString();
    }
}
