package org.ternmq.client;

import java.util.Objects;

import org.ternmq.protocol.ErrorCode;

/**
 * A request that failed: the broker's typed {@link ErrorCode}, or a client-side failure (connection lost,
 * timeout, closed object). The JMS layer maps the code to the matching {@code JMSException}.
 */
public class ClientException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean connectionFailure;
    private final boolean refusedByBroker;

    public ClientException(ErrorCode code, String message) {
        this(code, message, null, false, false);
    }

    public ClientException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, false, false);
    }

    private ClientException(ErrorCode code, String message, Throwable cause, boolean connectionFailure,
            boolean refusedByBroker) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.connectionFailure = connectionFailure;
        this.refusedByBroker = refusedByBroker;
    }

    /** The broker answered the request with an error. */
    public static ClientException refused(ErrorCode code, String message) {
        return new ClientException(code, message, null, false, true);
    }

    /** The connection to the broker is gone (lost, refused or closed) while or before a request ran. */
    public static ClientException connectionFailure(String message, Throwable cause) {
        return new ClientException(ErrorCode.INTERNAL, message, cause, true, false);
    }

    /** An object of the client was used after it was closed. */
    public static ClientException closed(String what) {
        return new ClientException(ErrorCode.ILLEGAL_STATE, what + " is closed");
    }

    public ErrorCode code() {
        return code;
    }

    /**
     * @return whether the broker answered the request with this error (as opposed to no answer: a lost
     *     connection, a timeout, a closed object)
     */
    public boolean isRefusedByBroker() {
        return refusedByBroker;
    }

    /** @return whether the connection to the broker failed (as opposed to the broker refusing a request) */
    public boolean isConnectionFailure() {
        return connectionFailure;
    }
}
