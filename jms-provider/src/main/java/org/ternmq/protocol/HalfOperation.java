package org.ternmq.protocol;

/**
 * What a {@link HalfRequest} asks of the broker. The codes are part of the protocol: never renumber one.
 */
public enum HalfOperation {
    /** The producer's local transaction committed: the half-message becomes visible. */
    COMMIT(1),
    /** It rolled back: the half-message is dropped. */
    ROLLBACK(2),
    /** The answer to a {@link HalfCheck} when the application cannot tell yet: ask again later. */
    UNKNOWN(3),
    /** This connection answers check-backs for the producer group. */
    REGISTER_CHECKER(4),
    /** It no longer does. */
    UNREGISTER_CHECKER(5);

    private final int code;

    HalfOperation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws MalformedFrameException for an unknown code */
    public static HalfOperation fromCode(int code) {
        for (HalfOperation op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new MalformedFrameException("unknown half-message operation " + code);
    }
}
