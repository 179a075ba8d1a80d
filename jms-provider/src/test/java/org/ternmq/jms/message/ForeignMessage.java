package org.ternmq.jms.message;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

/**
 * A message of "another provider": a plain implementation of a jakarta.jms message interface, backed by
 * maps, as the TCK's foreign-message tests use. Only the read side that {@code copyOf} needs is implemented;
 * {@code setJMS...} setters record the header so a test can see what a provider would write back.
 */
final class ForeignMessage implements InvocationHandler {

    final Map<String, Object> headers = new HashMap<>();
    final Map<String, Object> properties = new LinkedHashMap<>();
    /** Text, serializable object, map entries or stream values, by interface; bytes for a BytesMessage. */
    Object body;
    private int position;
    int resets;

    static <T extends Message> T create(Class<T> type, ForeignMessage state) {
        return type.cast(Proxy.newProxyInstance(ForeignMessage.class.getClassLoader(), new Class<?>[] {type}, state));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        int arity = args == null ? 0 : args.length;
        switch (name) {
            case "toString": return "ForeignMessage" + headers;
            case "hashCode": return System.identityHashCode(proxy);
            case "equals": return proxy == args[0];
            case "getPropertyNames": return Collections.enumeration(new ArrayList<>(properties.keySet()));
            case "getObjectProperty": return properties.get((String) args[0]);
            case "getText": return body;
            case "getMapNames": return Collections.enumeration(new ArrayList<>(map().keySet()));
            case "getObject": return arity == 0 ? body : map().get((String) args[0]);
            case "reset":
                position = 0;
                resets++;
                return null;
            case "getBodyLength": return (long) ((byte[]) body).length;
            case "readBytes": return readBytes((byte[]) args[0], arity == 2 ? (Integer) args[1] : ((byte[]) args[0]).length);
            case "readObject": return readObject();
            default:
                break;
        }
        if (name.startsWith("getJMS")) {
            String header = name.substring(3);
            Object value = headers.get(header);
            if (value == null && method.getReturnType().isPrimitive()) {
                return method.getReturnType() == boolean.class ? Boolean.FALSE
                        : method.getReturnType() == int.class ? (Object) 0 : (Object) 0L;
            }
            return value;
        }
        if (name.startsWith("setJMS")) {
            headers.put(name.substring(3), args[0]);
            return null;
        }
        throw new UnsupportedOperationException(name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map() {
        return (Map<String, Object>) body;
    }

    private int readBytes(byte[] buffer, int length) {
        byte[] bytes = (byte[]) body;
        if (position >= bytes.length) {
            return -1;
        }
        int count = Math.min(length, bytes.length - position);
        System.arraycopy(bytes, position, buffer, 0, count);
        position += count;
        return count;
    }

    private Object readObject() throws MessageEOFException {
        @SuppressWarnings("unchecked")
        List<Object> values = (List<Object>) body;
        if (position >= values.size()) {
            throw new MessageEOFException("end");
        }
        return values.get(position++);
    }

    static Class<? extends Message> typeOf(Object body) {
        if (body instanceof String) {
            return TextMessage.class;
        } else if (body instanceof byte[]) {
            return BytesMessage.class;
        } else if (body instanceof Map) {
            return MapMessage.class;
        } else if (body instanceof List) {
            return StreamMessage.class;
        }
        return body == null ? Message.class : ObjectMessage.class;
    }
}
