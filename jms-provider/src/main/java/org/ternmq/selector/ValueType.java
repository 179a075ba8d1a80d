package org.ternmq.selector;

/**
 * What the parser knows about an expression's type before seeing any message. Used only to reject
 * ill-typed selectors at parse time; evaluation still checks every value it is given.
 */
enum ValueType {
    /** A condition: evaluates to TRUE, FALSE or UNKNOWN. */
    BOOLEAN,
    /** An exact or approximate number. */
    NUMBER,
    /** A string. */
    STRING,
    /** An identifier: its type is that of whatever value a message holds, so anything goes. */
    ANY;

    /** @return whether a value of this type may be used where {@code wanted} is required */
    boolean canBe(ValueType wanted) {
        return this == ANY || this == wanted;
    }

    /** @return whether values of these two types may be compared with {@code =} and {@code <>} */
    boolean comparableWith(ValueType other) {
        return this == ANY || other == ANY || this == other;
    }

    /** The word used in error messages. */
    String describe() {
        switch (this) {
            case BOOLEAN: return "a boolean";
            case NUMBER: return "a number";
            case STRING: return "a string";
            default: return "an identifier";
        }
    }
}
