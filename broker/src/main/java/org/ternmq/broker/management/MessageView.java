package org.ternmq.broker.management;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JMS message as plain data for people and scripts (the CLI's browse and receive, the web console): its
 * headers, properties and a preview of its body for each of the five body types. Never changes the message.
 */
public final class MessageView {

    /** Longest body preview, in characters (text) or bytes (shown as hex). */
    public static final int PREVIEW_LIMIT = 4096;

    private MessageView() {
    }

    /** Headers, properties, body type and body preview, in a stable order. */
    public static Map<String, Object> of(Message m) throws JMSException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", m.getJMSMessageID());
        v.put("destination", String.valueOf(m.getJMSDestination()));
        v.put("timestamp", m.getJMSTimestamp() == 0 ? null : java.time.Instant.ofEpochMilli(m.getJMSTimestamp()).toString());
        v.put("correlationId", m.getJMSCorrelationID());
        v.put("replyTo", m.getJMSReplyTo() == null ? null : String.valueOf(m.getJMSReplyTo()));
        v.put("type", m.getJMSType());
        v.put("deliveryMode", m.getJMSDeliveryMode() == jakarta.jms.DeliveryMode.PERSISTENT ? "PERSISTENT" : "NON_PERSISTENT");
        v.put("priority", m.getJMSPriority());
        v.put("expiration", m.getJMSExpiration());
        v.put("redelivered", m.getJMSRedelivered());
        Map<String, Object> props = new TreeMap<>();
        for (Object name : Collections.list(m.getPropertyNames())) {
            props.put((String) name, m.getObjectProperty((String) name));
        }
        v.put("properties", props);
        v.put("bodyType", bodyType(m));
        v.put("body", preview(m));
        return v;
    }

    /** TEXT, BYTES, MAP, STREAM, OBJECT or NONE. */
    public static String bodyType(Message m) {
        if (m instanceof TextMessage) {
            return "TEXT";
        } else if (m instanceof BytesMessage) {
            return "BYTES";
        } else if (m instanceof MapMessage) {
            return "MAP";
        } else if (m instanceof StreamMessage) {
            return "STREAM";
        } else if (m instanceof ObjectMessage) {
            return "OBJECT";
        }
        return "NONE";
    }

    /** A readable preview of the body: text, hex of bytes, map entries, stream items, an object's class. */
    public static String preview(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            String text = t.getText();
            return text == null ? null : text.length() <= PREVIEW_LIMIT ? text : text.substring(0, PREVIEW_LIMIT) + "...";
        }
        if (m instanceof BytesMessage b) {
            b.reset();
            long length = b.getBodyLength();
            byte[] bytes = new byte[(int) Math.min(length, PREVIEW_LIMIT / 2)];
            b.readBytes(bytes);
            b.reset();
            StringBuilder s = new StringBuilder(length + " bytes: ");
            for (byte x : bytes) {
                s.append(String.format("%02x", x));
            }
            return s.append(length > bytes.length ? "..." : "").toString();
        }
        if (m instanceof MapMessage map) {
            Map<String, Object> entries = new TreeMap<>();
            for (Object name : Collections.list(map.getMapNames())) {
                Object value = map.getObject((String) name);
                entries.put((String) name, value instanceof byte[] bytes ? bytes.length + " bytes" : value);
            }
            return cut(entries.toString());
        }
        if (m instanceof StreamMessage stream) {
            stream.reset();
            StringBuilder s = new StringBuilder("[");
            try {
                for (int i = 0; s.length() < PREVIEW_LIMIT; i++) {
                    Object item = stream.readObject();
                    s.append(i == 0 ? "" : ", ").append(item instanceof byte[] bytes ? bytes.length + " bytes" : item);
                }
            } catch (jakarta.jms.MessageEOFException end) {
                // every item read
            } finally {
                stream.reset();
            }
            return cut(s.append(']').toString());
        }
        if (m instanceof ObjectMessage o) {
            try {
                java.io.Serializable value = o.getObject();
                return value == null ? null : value.getClass().getName() + ": " + cut(String.valueOf(value));
            } catch (JMSException e) {
                return "a serialized object this process cannot load (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    private static String cut(String s) {
        return s.length() <= PREVIEW_LIMIT ? s : s.substring(0, PREVIEW_LIMIT) + "...";
    }
}
