package org.ternmq.jms.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import org.ternmq.jms.message.MessageProperties;
import org.ternmq.jms.message.ValueConversion;

/**
 * The message properties a {@link TernJMSProducer} stamps on every message it sends, under the same rules as
 * {@link Message} properties (names and values are checked by the message classes' own checks). Confined, like its producer, to one thread at a time.
 */
final class ProducerProperties {

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Set<String> namesView = Collections.unmodifiableSet(values.keySet());

    /**
     * @throws IllegalArgumentException for a bad name
     * @throws MessageFormatRuntimeException for a value that is not a boxed primitive or a String
     */
    void put(String name, Object value) {
        MessageProperties.checkName(name);
        if (value == null || !ValueConversion.isPropertyValue(value)) {
            throw new MessageFormatRuntimeException("a property cannot hold "
                    + (value == null ? "null" : "a " + value.getClass().getName())
                    + "; use a boxed primitive or a String");
        }
        values.put(name, value);
    }

    Object get(String name) {
        return values.get(name);
    }

    boolean exists(String name) {
        return values.containsKey(name);
    }

    void clear() {
        values.clear();
    }

    /** @return a read-only view that follows later changes, as the Javadoc of getPropertyNames asks */
    Set<String> names() {
        return namesView;
    }

    /** Copies every property onto {@code message}, replacing any of the same name. */
    void applyTo(Message message) throws JMSException {
        for (Map.Entry<String, Object> e : values.entrySet()) {
            message.setObjectProperty(e.getKey(), e.getValue());
        }
    }
}
