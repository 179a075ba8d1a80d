package org.ternmq.jms.context;

import org.ternmq.jms.message.ValueConversion;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageProducer;

/**
 * {@link JMSProducer} of a {@link TernJMSContext}: a bag of send options, headers and properties applied to
 * each message it sends through the context's one anonymous classic {@link MessageProducer}. Headers and
 * properties set here override those set on the message itself.
 *
 * <p>Threads: one thread at a time, as the context's session.
 */
final class TernJMSProducer implements JMSProducer {

    private static final int DEFAULT_PRIORITY = 4;

    private final TernJMSContext context;
    private final ProducerProperties properties = new ProducerProperties();
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = DEFAULT_PRIORITY;
    private long timeToLive;
    private long deliveryDelay;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;
    private CompletionListener completionListener;
    /** At most one of the two correlation id forms is set: the last call wins. */
    private String correlationID;
    private byte[] correlationIDBytes;
    private String type;
    private Destination replyTo;

    TernJMSProducer(TernJMSContext context) {
        this.context = context;
    }

    // ---- sending --------------------------------------------------------------------------------------------

    @Override
    public JMSProducer send(Destination destination, Message message) {
        if (message == null) {
            throw new MessageFormatRuntimeException("the message must not be null");
        }
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("the destination must not be null");
        }
        MessageProducer producer = context.producer();
        RuntimeExceptions.uncheckedRun(() -> {
            stamp(message);
            // the classic producer is shared by every JMSProducer of the context, so its options are set per send
            producer.setDeliveryDelay(deliveryDelay);
            producer.setDisableMessageID(disableMessageID);
            producer.setDisableMessageTimestamp(disableMessageTimestamp);
            if (completionListener == null) {
                producer.send(destination, message, deliveryMode, priority, timeToLive);
            } else {
                producer.send(destination, message, deliveryMode, priority, timeToLive,
                        new ContextCompletionListener(context, completionListener));
            }
        });
        return this;
    }

    @Override
    public JMSProducer send(Destination destination, String body) {
        return send(destination, context.createTextMessage(body));
    }

    @Override
    public JMSProducer send(Destination destination, Map<String, Object> body) {
        MapMessage message = context.createMapMessage();
        if (body != null) {
            RuntimeExceptions.uncheckedRun(() -> {
                for (Map.Entry<String, Object> e : body.entrySet()) {
                    message.setObject(e.getKey(), e.getValue());
                }
            });
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, byte[] body) {
        BytesMessage message = context.createBytesMessage();
        if (body != null) {
            RuntimeExceptions.uncheckedRun(() -> message.writeBytes(body));
        }
        return send(destination, message);
    }

    @Override
    public JMSProducer send(Destination destination, Serializable body) {
        return send(destination, context.createObjectMessage(body));
    }

    /** Writes this producer's headers and properties on the message, over any it carries. */
    private void stamp(Message message) throws JMSException {
        if (correlationID != null) {
            message.setJMSCorrelationID(correlationID);
        } else if (correlationIDBytes != null) {
            message.setJMSCorrelationIDAsBytes(correlationIDBytes);
        }
        if (type != null) {
            message.setJMSType(type);
        }
        if (replyTo != null) {
            message.setJMSReplyTo(replyTo);
        }
        properties.applyTo(message);
    }

    // ---- send options ---------------------------------------------------------------------------------------

    @Override
    public JMSProducer setDisableMessageID(boolean value) {
        disableMessageID = value;
        return this;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageID;
    }

    @Override
    public JMSProducer setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
        return this;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    @Override
    public JMSProducer setDeliveryMode(int deliveryMode) {
        if (deliveryMode != DeliveryMode.PERSISTENT && deliveryMode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSRuntimeException("invalid delivery mode " + deliveryMode);
        }
        this.deliveryMode = deliveryMode;
        return this;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public JMSProducer setPriority(int priority) {
        if (priority < 0 || priority > 9) {
            throw new JMSRuntimeException("invalid priority " + priority + "; it must be 0 to 9");
        }
        this.priority = priority;
        return this;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public JMSProducer setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
        return this;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public JMSProducer setDeliveryDelay(long deliveryDelay) {
        this.deliveryDelay = deliveryDelay;
        return this;
    }

    @Override
    public long getDeliveryDelay() {
        return deliveryDelay;
    }

    @Override
    public JMSProducer setAsync(CompletionListener completionListener) {
        this.completionListener = completionListener;
        return this;
    }

    @Override
    public CompletionListener getAsync() {
        return completionListener;
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @Override
    public JMSProducer setProperty(String name, boolean value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, byte value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, short value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, int value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, long value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, float value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, double value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, String value) {
        return setProperty(name, (Object) value);
    }

    @Override
    public JMSProducer setProperty(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    @Override
    public JMSProducer clearProperties() {
        properties.clear();
        return this;
    }

    @Override
    public boolean propertyExists(String name) {
        return properties.exists(name);
    }

    @Override
    public boolean getBooleanProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toBoolean(properties.get(name)));
    }

    @Override
    public byte getByteProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toByte(properties.get(name)));
    }

    @Override
    public short getShortProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toShort(properties.get(name)));
    }

    @Override
    public int getIntProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toInt(properties.get(name)));
    }

    @Override
    public long getLongProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toLong(properties.get(name)));
    }

    @Override
    public float getFloatProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toFloat(properties.get(name)));
    }

    @Override
    public double getDoubleProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toDouble(properties.get(name)));
    }

    @Override
    public String getStringProperty(String name) {
        return RuntimeExceptions.unchecked(() -> ValueConversion.toText(properties.get(name)));
    }

    @Override
    public Object getObjectProperty(String name) {
        return properties.get(name);
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.names();
    }

    // ---- headers --------------------------------------------------------------------------------------------

    @Override
    public JMSProducer setJMSCorrelationIDAsBytes(byte[] correlationID) {
        this.correlationIDBytes = correlationID == null ? null : correlationID.clone();
        this.correlationID = null;
        return this;
    }

    @Override
    public byte[] getJMSCorrelationIDAsBytes() {
        return correlationIDBytes == null ? null : correlationIDBytes.clone();
    }

    @Override
    public JMSProducer setJMSCorrelationID(String correlationID) {
        this.correlationID = correlationID;
        this.correlationIDBytes = null;
        return this;
    }

    @Override
    public String getJMSCorrelationID() {
        return correlationID;
    }

    @Override
    public JMSProducer setJMSType(String type) {
        this.type = type;
        return this;
    }

    @Override
    public String getJMSType() {
        return type;
    }

    @Override
    public JMSProducer setJMSReplyTo(Destination replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    @Override
    public Destination getJMSReplyTo() {
        return replyTo;
    }
}
