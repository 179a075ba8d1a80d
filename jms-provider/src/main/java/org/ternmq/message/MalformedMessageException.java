package org.ternmq.message;

/**
 * The bytes given as an encoded message do not follow {@link MessageDescriptor}: truncated, garbage,
 * an unknown version, type or tag. A checked exception because whoever reads bytes from the wire or from
 * disk must decide what a bad message means there (close the connection, skip the record).
 */
public class MalformedMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
