package org.ternmq.selector;

/**
 * SQL three-valued logic over the {@code Boolean}-or-{@code null} values expressions return. Any value
 * that is not a {@code Boolean} (a number, a string, NULL) counts as UNKNOWN, which is how a property of
 * the wrong type used as a condition makes a selector not match.
 */
final class TruthValues {

    private TruthValues() {
    }

    /** @return {@code TRUE}/{@code FALSE} for a {@code Boolean}, otherwise {@code null} (UNKNOWN) */
    static Boolean of(Object value) {
        if (value instanceof Boolean) {
            // Normalize so callers may compare with == (a context may hand us a non-canonical Boolean).
            return ((Boolean) value) ? Boolean.TRUE : Boolean.FALSE;
        }
        return null;
    }

    /** NOT: TRUE and FALSE swap, UNKNOWN stays UNKNOWN. */
    static Boolean not(Boolean value) {
        if (value == null) {
            return null;
        }
        return value ? Boolean.FALSE : Boolean.TRUE;
    }

    /** AND: FALSE if either is FALSE, TRUE if both are TRUE, otherwise UNKNOWN. */
    static Boolean and(Boolean left, Boolean right) {
        if (left == Boolean.FALSE || right == Boolean.FALSE) {
            return Boolean.FALSE;
        }
        if (left == Boolean.TRUE && right == Boolean.TRUE) {
            return Boolean.TRUE;
        }
        return null;
    }

    /** OR: TRUE if either is TRUE, FALSE if both are FALSE, otherwise UNKNOWN. */
    static Boolean or(Boolean left, Boolean right) {
        if (left == Boolean.TRUE || right == Boolean.TRUE) {
            return Boolean.TRUE;
        }
        if (left == Boolean.FALSE && right == Boolean.FALSE) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** @return {@code value} as a canonical {@code Boolean}, flipped when {@code negate} */
    static Boolean of(boolean value, boolean negate) {
        return (value != negate) ? Boolean.TRUE : Boolean.FALSE;
    }
}
