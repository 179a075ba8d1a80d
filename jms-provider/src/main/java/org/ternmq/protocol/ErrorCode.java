package org.ternmq.protocol;

/**
 * Why a request failed. Sent in an {@link ErrorResponse}; the client maps each code to the
 * Jakarta Messaging exception the specification names for that failure.
 */
public enum ErrorCode {
    /** Something unexpected went wrong on the broker; its log has the details. */
    INTERNAL(1),
    /** Bad credentials or a permission that is missing. */
    SECURITY(2),
    /** The client id is already in use or is not valid. */
    INVALID_CLIENT_ID(3),
    /** The destination or subscription does not exist or may not be used this way. */
    INVALID_DESTINATION(4),
    /** The message selector does not parse. */
    INVALID_SELECTOR(5),
    /** The request is not valid in the current state (e.g. deleting a temporary queue in use). */
    ILLEGAL_STATE(6),
    /** A commit failed and the transaction was rolled back. */
    TRANSACTION_ROLLED_BACK(7),
    /** The broker is out of a resource (memory, disk, a limit), or its store is fenced. */
    RESOURCE_ALLOCATION(8),
    /** The request was malformed. */
    MALFORMED(9),
    /** The request is not supported by this broker. */
    UNSUPPORTED(10),
    /** The message itself was not acceptable (e.g. bad encoding). */
    MESSAGE_FORMAT(11),
    /** An XA operation failed; the message carries the XA error code. */
    XA(12);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Unknown codes (from a newer broker) read as {@link #INTERNAL} rather than failing the frame. */
    public static ErrorCode fromCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
