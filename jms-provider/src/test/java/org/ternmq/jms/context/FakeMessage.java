package org.ternmq.jms.context;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/**
 * An in-memory stand-in for the six message types, built as a dynamic proxy so one small class covers the
 * ~200 methods of those interfaces. It keeps headers, properties and a body, knows read-only state after
 * receipt, and implements {@code getBody}/{@code isBodyAssignableTo} per the Javadoc; anything else throws
 * {@link UnsupportedOperationException}. Test code only; one thread at a time.
 */
final class FakeMessage implements InvocationHandler {

    private final Class<? extends Message> kind;
    private final FakeSession session;
    private final Map<String, Object> headers = new HashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private Object body;
    private boolean readOnly;

    private FakeMessage(Class<? extends Message> kind, FakeSession session) {
        this.kind = kind;
        this.session = session;
        if (kind == MapMessage.class) {
            body = new LinkedHashMap<String, Object>();
        } else if (kind == BytesMessage.class) {
            body = new ByteArrayOutputStream();
        } else if (kind == StreamMessage.class) {
            body = new ArrayList<Object>();
        }
    }

    static <T extends Message> T create(Class<T> kind, FakeSession session) {
        return kind.cast(Proxy.newProxyInstance(FakeMessage.class.getClassLoader(), new Class<?>[] {kind},
                new FakeMessage(kind, session)));
    }

    static FakeMessage state(Message message) {
        return (FakeMessage) Proxy.getInvocationHandler(message);
    }

    /** @return a copy as the receiving side would see it: same content, read-only, bound to {@code receiver} */
    @SuppressWarnings("unchecked")
    Message receivedCopy(FakeSession receiver) {
        Message copy = create(kind, receiver);
        FakeMessage state = state(copy);
        state.headers.putAll(headers);
        state.properties.putAll(properties);
        if (body instanceof ByteArrayOutputStream bytes) {
            ((ByteArrayOutputStream) state.body).writeBytes(bytes.toByteArray());
        } else if (body instanceof Map<?, ?> map) {
            ((Map<String, Object>) state.body).putAll((Map<String, Object>) map);
        } else if (body instanceof List<?> list) {
            ((List<Object>) state.body).addAll(list);
        } else {
            state.body = body;
        }
        state.readOnly = true;
        return copy;
    }

    void setHeader(String name, Object value) {
        headers.put(name, value);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            return dispatch(proxy, method, args == null ? new Object[0] : args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object dispatch(Object proxy, Method method, Object[] args) throws Exception {
        String name = method.getName();
        switch (name) {
            case "equals": return proxy == args[0];
            case "hashCode": return System.identityHashCode(proxy);
            case "toString": return "Fake" + kind.getSimpleName() + headers + properties;
            case "acknowledge": session.acknowledgeAll(); return null;
            case "clearProperties": properties.clear(); readOnly = false; return null;
            case "propertyExists": return properties.containsKey((String) args[0]);
            case "getPropertyNames": return Collections.enumeration(new ArrayList<>(properties.keySet()));
            case "getBody": return getBody((Class<?>) args[0]);
            case "isBodyAssignableTo": return isBodyAssignableTo((Class<?>) args[0]);
            default: break;
        }
        if (name.startsWith("set") && name.endsWith("Property")) {
            setProperty((String) args[0], args[1]);
            return null;
        }
        if (name.startsWith("get") && name.endsWith("Property")) {
            Object value = properties.get((String) args[0]);
            return name.equals("getStringProperty") && value != null ? value.toString() : value;
        }
        if (name.startsWith("setJMS")) {
            headers.put(name.substring(3), args[0]);
            return null;
        }
        if (name.startsWith("getJMS")) {
            return headers.getOrDefault(name.substring(3), defaultOf(method.getReturnType()));
        }
        return bodyMethod(name, args);
    }

    private Object bodyMethod(String name, Object[] args) throws JMSException {
        if (kind == TextMessage.class && name.equals("setText")
                || kind == ObjectMessage.class && name.equals("setObject")) {
            checkWritable();
            body = args[0];
            return null;
        }
        if (kind == TextMessage.class && name.equals("getText")
                || kind == ObjectMessage.class && name.equals("getObject")) {
            return body;
        }
        if (kind == MapMessage.class && name.startsWith("set")) {
            checkWritable();
            if (!(args[1] == null || args[1] instanceof byte[] || org.ternmq.jms.message.ValueConversion.isPropertyValue(args[1]))) {
                throw new MessageFormatException("invalid map value " + args[1].getClass().getName());
            }
            mapBody().put((String) args[0], args[1]);
            return null;
        }
        if (kind == MapMessage.class && name.startsWith("get") && !name.equals("getMapNames")) {
            return mapBody().get((String) args[0]);
        }
        if (kind == BytesMessage.class && name.startsWith("write")) {
            checkWritable();
            writeBytesBody(name, args[0]);
            return null;
        }
        if (kind == BytesMessage.class && name.equals("getBodyLength")) {
            return (long) ((ByteArrayOutputStream) body).size();
        }
        if (kind == StreamMessage.class && name.startsWith("write")) {
            checkWritable();
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) body;
            list.add(args[0]);
            return null;
        }
        throw new UnsupportedOperationException("FakeMessage does not support " + name);
    }

    private void writeBytesBody(String name, Object value) {
        ByteArrayOutputStream out = (ByteArrayOutputStream) body;
        DataOutputStream data = new DataOutputStream(out);
        try {
            switch (name) {
                case "writeBytes": data.write((byte[]) value); break;
                case "writeByte": data.writeByte((Byte) value); break;
                case "writeInt": data.writeInt((Integer) value); break;
                default: throw new UnsupportedOperationException("FakeMessage does not support " + name);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setProperty(String name, Object value) throws JMSException {
        if (readOnly) {
            throw new MessageNotWriteableException("properties are read-only");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty property name");
        }
        if (value == null || !org.ternmq.jms.message.ValueConversion.isPropertyValue(value)) {
            throw new MessageFormatException("invalid property value " + value);
        }
        properties.put(name, value);
    }

    private void checkWritable() throws MessageNotWriteableException {
        if (readOnly) {
            throw new MessageNotWriteableException("body is read-only");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mapBody() {
        return (Map<String, Object>) body;
    }

    /** @return the body as getBody sees it: null when there is none */
    private Object bodyValue() {
        if (body instanceof ByteArrayOutputStream bytes) {
            return bytes.size() == 0 ? null : bytes.toByteArray();
        }
        if (body instanceof Map<?, ?> map) {
            return map.isEmpty() ? null : new HashMap<>(map);
        }
        return body;
    }

    private boolean isBodyAssignableTo(Class<?> type) {
        if (kind == StreamMessage.class) {
            return false;
        }
        Object value = bodyValue();
        return value == null || type.isInstance(value);
    }

    private Object getBody(Class<?> type) throws JMSException {
        if (!isBodyAssignableTo(type)) {
            throw new MessageFormatException("body of " + kind.getSimpleName() + " not assignable to " + type);
        }
        return bodyValue();
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
