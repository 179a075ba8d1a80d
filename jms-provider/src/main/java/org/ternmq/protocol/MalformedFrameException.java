package org.ternmq.protocol;

/** A frame that cannot be decoded: unknown type, truncated body, bad length, or a field out of range. */
public final class MalformedFrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }

    public MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
