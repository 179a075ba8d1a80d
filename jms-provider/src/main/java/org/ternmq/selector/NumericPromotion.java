package org.ternmq.selector;

/**
 * Arithmetic and comparison of message values following Java's binary numeric promotion, as the
 * specification asks: two integral values ({@code Byte}, {@code Short}, {@code Integer}, {@code Long})
 * combine as {@code long}; with a {@code Float} and no {@code Double} they combine as {@code float};
 * with a {@code Double} as {@code double}.
 *
 * <p>Two deliberate departures from Java, because a selector must never give a silly answer:
 * integral results never wrap around (an overflowing {@code long} result is computed as a
 * {@code double} instead), and division by zero is UNKNOWN ({@code null}) rather than an exception or
 * an infinity. Every method returns {@code null} (UNKNOWN) when an operand is not a number.
 */
final class NumericPromotion {

    /** Not a number (including NULL). */
    static final int NONE = 0;
    /** Byte, Short, Integer or Long: computed as long. */
    static final int INTEGRAL = 1;
    /** Float (with no Double involved): computed as float. */
    static final int FLOAT = 2;
    /** Double: computed as double. */
    static final int DOUBLE = 3;

    private NumericPromotion() {
    }

    /** @return the numeric kind of a value: {@link #NONE}, {@link #INTEGRAL}, {@link #FLOAT} or {@link #DOUBLE} */
    static int kind(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return INTEGRAL;
        }
        if (value instanceof Double) {
            return DOUBLE;
        }
        if (value instanceof Float) {
            return FLOAT;
        }
        return NONE;
    }

    /** @return the kind two operands are promoted to, or {@link #NONE} if either is not a number */
    static int promote(Object left, Object right) {
        int l = kind(left);
        int r = kind(right);
        if (l == NONE || r == NONE) {
            return NONE;
        }
        return Math.max(l, r);
    }

    static Object add(Object left, Object right) {
        switch (promote(left, right)) {
            case INTEGRAL: {
                long x = asLong(left);
                long y = asLong(right);
                long sum = x + y;
                // Overflow iff both operands have the sign opposite to the result's.
                if (((x ^ sum) & (y ^ sum)) < 0) {
                    return (double) x + (double) y;
                }
                return sum;
            }
            case FLOAT: return asFloat(left) + asFloat(right);
            case DOUBLE: return asDouble(left) + asDouble(right);
            default: return null;
        }
    }

    static Object subtract(Object left, Object right) {
        switch (promote(left, right)) {
            case INTEGRAL: {
                long x = asLong(left);
                long y = asLong(right);
                long difference = x - y;
                if (((x ^ y) & (x ^ difference)) < 0) {
                    return (double) x - (double) y;
                }
                return difference;
            }
            case FLOAT: return asFloat(left) - asFloat(right);
            case DOUBLE: return asDouble(left) - asDouble(right);
            default: return null;
        }
    }

    static Object multiply(Object left, Object right) {
        switch (promote(left, right)) {
            case INTEGRAL: {
                long x = asLong(left);
                long y = asLong(right);
                long high = Math.multiplyHigh(x, y);
                long low = x * y;
                // The 128-bit product fits in a long iff the high half is the sign extension of the low.
                if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
                    return low;
                }
                return (double) x * (double) y;
            }
            case FLOAT: return asFloat(left) * asFloat(right);
            case DOUBLE: return asDouble(left) * asDouble(right);
            default: return null;
        }
    }

    static Object divide(Object left, Object right) {
        switch (promote(left, right)) {
            case INTEGRAL: {
                long x = asLong(left);
                long y = asLong(right);
                if (y == 0) {
                    return null;
                }
                if (x == Long.MIN_VALUE && y == -1) {
                    return -(double) Long.MIN_VALUE;
                }
                return x / y;
            }
            case FLOAT: {
                float y = asFloat(right);
                return y == 0f ? null : (Object) (asFloat(left) / y);
            }
            case DOUBLE: {
                double y = asDouble(right);
                return y == 0d ? null : (Object) (asDouble(left) / y);
            }
            default: return null;
        }
    }

    static Object negate(Object value) {
        switch (kind(value)) {
            case INTEGRAL: {
                long x = asLong(value);
                return x == Long.MIN_VALUE ? (Object) (-(double) x) : (Object) (-x);
            }
            case FLOAT: return -asFloat(value);
            case DOUBLE: return -asDouble(value);
            default: return null;
        }
    }

    private static long asLong(Object value) {
        return ((Number) value).longValue();
    }

    private static float asFloat(Object value) {
        return ((Number) value).floatValue();
    }

    static double asDouble(Object value) {
        return ((Number) value).doubleValue();
    }

    /** @return the long value of an integral operand (callers check {@link #kind} first) */
    static long integral(Object value) {
        return asLong(value);
    }
}
