package org.ternmq.jms.context;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

/**
 * The message properties a {@link TernJMSProducer} stamps on every message it sends: names checked as
 * selector identifiers, values limited to boxed primitives (but Character) and String, as for
 * {@link Message} properties. Confined, like its producer, to one thread at a time.
 */
final class ProducerProperties {

    /** Words a selector reserves, so a property cannot be named after them (section 3.8.1.1). */
    private static final Set<String> RESERVED = Set.of(
            "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Set<String> namesView = Collections.unmodifiableSet(values.keySet());

    /**
     * @throws IllegalArgumentException for a bad name
     * @throws MessageFormatRuntimeException for a value that is not a boxed primitive or a String
     */
    void put(String name, Object value) {
        checkName(name);
        if (!PropertyConversions.isPropertyValue(value)) {
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

    /**
     * @throws IllegalArgumentException for a null or empty name, a name that is not a Java identifier, or a
     *     selector reserved word
     */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be null or empty");
        }
        boolean identifier = Character.isJavaIdentifierStart(name.charAt(0));
        for (int i = 1; identifier && i < name.length(); i++) {
            identifier = Character.isJavaIdentifierPart(name.charAt(i));
        }
        if (!identifier) {
            throw new IllegalArgumentException("property name '" + name + "' is not a Java identifier");
        }
        if (RESERVED.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("property name '" + name + "' is a selector reserved word");
        }
    }
}
