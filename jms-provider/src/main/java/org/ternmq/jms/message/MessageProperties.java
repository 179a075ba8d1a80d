package org.ternmq.jms.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

/**
 * The properties of one JMS message: names checked as selector identifiers, values limited to the boxed
 * primitives (but char) and String, and read-only after receipt until cleared. Confined, like its message,
 * to one thread at a time.
 */
public final class MessageProperties {

    /** Words a selector reserves, so a property cannot be named after them (3.8.1.1). */
    private static final Set<String> RESERVED = Set.of(
            "NULL", "TRUE", "FALSE", "NOT", "AND", "OR", "BETWEEN", "LIKE", "IN", "IS", "ESCAPE");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private boolean readOnly;

    void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    boolean isReadOnly() {
        return readOnly;
    }

    /** Removes every property and makes them writable again. */
    void clear() {
        values.clear();
        readOnly = false;
    }

    Object get(String name) {
        return values.get(name);
    }

    boolean exists(String name) {
        return values.containsKey(name);
    }

    Enumeration<String> names() {
        return Collections.enumeration(new ArrayList<>(values.keySet()));
    }

    /** @return the live map, for encoding and copying */
    Map<String, Object> asMap() {
        return values;
    }

    /** Stores a value the provider itself sets, bypassing the read-only state and name rules. */
    void putTrusted(String name, Object value) {
        values.put(name, value);
    }

    /** Stores an application's value after checking writability, name and type. */
    void put(String name, Object value) throws JMSException {
        if (readOnly) {
            throw new MessageNotWriteableException("properties are read-only; call clearProperties() first");
        }
        checkName(name);
        if (!ValueConversion.isPropertyValue(value)) {
            throw new MessageFormatException("a property cannot hold a " + value.getClass().getName()
                    + "; use a boxed primitive or a String");
        }
        values.put(name, value);
    }

    /**
     * @throws IllegalArgumentException for a null or empty name, a name that is not a Java identifier, or a
     *     selector reserved word
     */
    public static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("property name must not be null or empty");
        }
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            throw new IllegalArgumentException("property name '" + name + "' is not a Java identifier");
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                throw new IllegalArgumentException("property name '" + name + "' is not a Java identifier");
            }
        }
        if (RESERVED.contains(name.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("property name '" + name + "' is a selector reserved word");
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
