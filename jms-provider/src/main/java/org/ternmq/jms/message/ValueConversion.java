package org.ternmq.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The conversions of Jakarta Messaging 3.1 sections 3.5.4 (properties) and 3.11.3 (map and stream bodies):
 * a value written as one type may be read as another only along these rules; a String is parsed with the
 * wrapper's {@code valueOf}, so bad text and a null value fail exactly as {@code valueOf} does
 * ({@code NumberFormatException}, or {@code false} for boolean, {@code NullPointerException} for float and
 * double). A null read as char throws {@code NullPointerException}. The one implementation of these rules:
 * messages use it for properties and bodies, and the simplified API's producer for its properties.
 * Stateless; any thread may call it.
 */
public final class ValueConversion {

    private ValueConversion() {
    }

    public static boolean toBoolean(Object value) throws MessageFormatException {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Boolean.valueOf((String) value);
        }
        throw invalid(value, "boolean");
    }

    public static byte toByte(Object value) throws MessageFormatException {
        if (value instanceof Byte b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Byte.valueOf((String) value);
        }
        throw invalid(value, "byte");
    }

    public static short toShort(Object value) throws MessageFormatException {
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).shortValue();
        }
        if (value == null || value instanceof String) {
            return Short.valueOf((String) value);
        }
        throw invalid(value, "short");
    }

    public static char toChar(Object value) throws MessageFormatException {
        if (value instanceof Character c) {
            return c;
        }
        if (value == null) {
            throw new NullPointerException("a null value cannot be read as a char");
        }
        throw invalid(value, "char");
    }

    public static int toInt(Object value) throws MessageFormatException {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value == null || value instanceof String) {
            return Integer.valueOf((String) value);
        }
        throw invalid(value, "int");
    }

    public static long toLong(Object value) throws MessageFormatException {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value == null || value instanceof String) {
            return Long.valueOf((String) value);
        }
        throw invalid(value, "long");
    }

    public static float toFloat(Object value) throws MessageFormatException {
        if (value instanceof Float f) {
            return f;
        }
        if (value == null || value instanceof String) {
            return Float.valueOf((String) value);
        }
        throw invalid(value, "float");
    }

    public static double toDouble(Object value) throws MessageFormatException {
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value == null || value instanceof String) {
            return Double.valueOf((String) value);
        }
        throw invalid(value, "double");
    }

    public static String toText(Object value) throws MessageFormatException {
        if (value instanceof byte[]) {
            throw invalid(value, "String");
        }
        return value == null ? null : value.toString();
    }

    /** @return a copy of the bytes, or null for null */
    static byte[] toBytes(Object value) throws MessageFormatException {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        throw invalid(value, "byte[]");
    }

    /** @return whether the value may be a map or stream entry: null, boxed primitive, String or byte[] */
    static boolean isBodyValue(Object value) {
        return value == null || value instanceof byte[] || value instanceof Character || isPropertyValue(value);
    }

    /** @return whether the value may be a property: null, boxed primitive but char, or String */
    public static boolean isPropertyValue(Object value) {
        return value == null || value instanceof String || value instanceof Integer || value instanceof Long
                || value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Float || value instanceof Double;
    }

    /** @return the value to store: byte arrays are copied so later changes by the caller do not show */
    static Object snapshot(Object value) {
        return value instanceof byte[] bytes ? bytes.clone() : value;
    }

    private static MessageFormatException invalid(Object value, String target) {
        return new MessageFormatException("a " + value.getClass().getSimpleName() + " value cannot be read as "
                + target);
    }
}
