package org.ternmq.jms.context;

import jakarta.jms.MessageFormatRuntimeException;

/**
 * The property conversion table of Jakarta Messaging 3.1 (section 3.5.4), for values held by a
 * {@link TernJMSProducer}: a value set as one type may be read as another when the row allows it,
 * else {@link MessageFormatRuntimeException}.
 *
 * <pre>
 *            boolean byte short int long float double String
 *   boolean     X                                        X
 *   byte             X    X    X    X                    X
 *   short                 X    X    X                    X
 *   int                        X    X                    X
 *   long                            X                    X
 *   float                                  X     X       X
 *   double                                       X       X
 *   String      X    X    X    X    X      X     X       X
 * </pre>
 *
 * A missing property reads as a null String would, which is what {@code valueOf(null)} gives: {@code false}
 * for boolean, {@link NumberFormatException} for the integral types and {@link NullPointerException} for float
 * and double, as the spec and the TCK expect. Stateless; any thread may call it.
 */
final class PropertyConversions {

    private PropertyConversions() {
    }

    static boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Boolean.valueOf((String) value);
        }
        throw invalid(value, "boolean");
    }

    static byte toByte(Object value) {
        if (value instanceof Byte b) {
            return b;
        }
        if (value == null || value instanceof String) {
            return Byte.valueOf((String) value);
        }
        throw invalid(value, "byte");
    }

    static short toShort(Object value) {
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).shortValue();
        }
        if (value == null || value instanceof String) {
            return Short.valueOf((String) value);
        }
        throw invalid(value, "short");
    }

    static int toInt(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value == null || value instanceof String) {
            return Integer.valueOf((String) value);
        }
        throw invalid(value, "int");
    }

    static long toLong(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value == null || value instanceof String) {
            return Long.valueOf((String) value);
        }
        throw invalid(value, "long");
    }

    static float toFloat(Object value) {
        if (value instanceof Float f) {
            return f;
        }
        if (value == null || value instanceof String) {
            return Float.valueOf((String) value);
        }
        throw invalid(value, "float");
    }

    static double toDouble(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value == null || value instanceof String) {
            return Double.valueOf((String) value);
        }
        throw invalid(value, "double");
    }

    static String toStringValue(Object value) {
        return value == null ? null : value.toString();
    }

    /** @return whether {@code value} may be a property value: a boxed primitive other than Character, or a String */
    static boolean isPropertyValue(Object value) {
        return value instanceof Boolean || value instanceof Byte || value instanceof Short
                || value instanceof Integer || value instanceof Long || value instanceof Float
                || value instanceof Double || value instanceof String;
    }

    private static MessageFormatRuntimeException invalid(Object value, String type) {
        return new MessageFormatRuntimeException(
                "a " + value.getClass().getSimpleName() + " property cannot be read as " + type);
    }
}
