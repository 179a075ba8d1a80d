package org.ternmq.message;

/**
 * The kind of body a message carries, one per JMS message interface. The code is what goes on the wire
 * and to disk, so codes must never be renumbered.
 */
public enum BodyType {
    /** A plain {@code Message}: no body. */
    MESSAGE(0),
    /** A {@code TextMessage}: a null flag, then UTF-8 text. */
    TEXT(1),
    /** A {@code BytesMessage}: raw bytes. */
    BYTES(2),
    /** A {@code MapMessage}: a count, then named typed entries. */
    MAP(3),
    /** A {@code StreamMessage}: a sequence of typed values. */
    STREAM(4),
    /** An {@code ObjectMessage}: a null flag, then Java-serialized bytes. */
    OBJECT(5);

    private static final BodyType[] BY_CODE = values();

    private final int code;

    BodyType(int code) {
        this.code = code;
    }

    /** @return the code written to the encoded message */
    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for an unknown code (a malformed message) */
    public static BodyType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown body type " + code);
        }
        return BY_CODE[code];
    }
}
