package org.ternmq.jms.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

import org.ternmq.message.BodyCodec;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/**
 * A message whose body is a set of named values, read with the conversions of section 3.11.3. Readable at
 * any time; read-only after receipt until {@link #clearBody()}. One thread at a time, like every JMS message.
 */
public class TernMapMessage extends TernMessage implements MapMessage {

    /** Byte arrays are stored as copies and handed out as copies, so callers never share them. */
    private LinkedHashMap<String, Object> entries = new LinkedHashMap<>();

    public TernMapMessage() {
    }

    // ---------------------------------------------------------------- reading

    @Override
    public boolean getBoolean(String name) throws JMSException {
        return ValueConversion.toBoolean(entries.get(name));
    }

    @Override
    public byte getByte(String name) throws JMSException {
        return ValueConversion.toByte(entries.get(name));
    }

    @Override
    public short getShort(String name) throws JMSException {
        return ValueConversion.toShort(entries.get(name));
    }

    @Override
    public char getChar(String name) throws JMSException {
        return ValueConversion.toChar(entries.get(name));
    }

    @Override
    public int getInt(String name) throws JMSException {
        return ValueConversion.toInt(entries.get(name));
    }

    @Override
    public long getLong(String name) throws JMSException {
        return ValueConversion.toLong(entries.get(name));
    }

    @Override
    public float getFloat(String name) throws JMSException {
        return ValueConversion.toFloat(entries.get(name));
    }

    @Override
    public double getDouble(String name) throws JMSException {
        return ValueConversion.toDouble(entries.get(name));
    }

    @Override
    public String getString(String name) throws JMSException {
        return ValueConversion.toText(entries.get(name));
    }

    @Override
    public byte[] getBytes(String name) throws JMSException {
        return ValueConversion.toBytes(entries.get(name));
    }

    @Override
    public Object getObject(String name) {
        return ValueConversion.snapshot(entries.get(name));
    }

    @Override
    public Enumeration<String> getMapNames() {
        return Collections.enumeration(new ArrayList<>(entries.keySet()));
    }

    @Override
    public boolean itemExists(String name) {
        return entries.containsKey(name);
    }

    // ---------------------------------------------------------------- writing

    private void put(String name, Object value) throws JMSException {
        checkBodyWritable();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("map entry name must not be null or empty");
        }
        entries.put(name, value);
    }

    @Override
    public void setBoolean(String name, boolean value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setByte(String name, byte value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setShort(String name, short value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setChar(String name, char value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setInt(String name, int value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setLong(String name, long value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setFloat(String name, float value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setDouble(String name, double value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setString(String name, String value) throws JMSException {
        put(name, value);
    }

    @Override
    public void setBytes(String name, byte[] value) throws JMSException {
        put(name, value == null ? null : value.clone());
    }

    @Override
    public void setBytes(String name, byte[] value, int offset, int length) throws JMSException {
        if (offset < 0 || length < 0 || offset + length > value.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + value.length);
        }
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        put(name, copy);
    }

    /** @throws MessageFormatException unless the value is null, a boxed primitive, a String or a byte[] */
    @Override
    public void setObject(String name, Object value) throws JMSException {
        if (!ValueConversion.isBodyValue(value)) {
            checkBodyWritable();
            throw new MessageFormatException("a map message cannot hold a " + value.getClass().getName());
        }
        put(name, ValueConversion.snapshot(value));
    }

    // ---------------------------------------------------------------- body hooks

    @Override
    BodyType bodyType() {
        return BodyType.MAP;
    }

    @Override
    byte[] encodeBody() {
        return BodyCodec.encodeMap(entries);
    }

    @Override
    void decodeBody(EncodedMessage encoded) {
        entries = BodyCodec.decodeMap(encoded);
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        MapMessage map = (MapMessage) foreign;
        for (Enumeration<?> names = map.getMapNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            setObject(name, map.getObject(name));
        }
    }

    @Override
    void clearBodyContent() {
        entries = new LinkedHashMap<>();
    }

    @Override
    boolean hasNoBody() {
        return entries.isEmpty();
    }

    /** @return a copy of the entries, byte arrays copied too */
    @Override
    Object bodyObject() {
        Map<String, Object> copy = new HashMap<>(entries.size() * 2);
        entries.forEach((name, value) -> copy.put(name, ValueConversion.snapshot(value)));
        return copy;
    }

    @Override
    String bodySummary() {
        return "map=" + entries.keySet();
    }
}
