package org.ternmq.broker.core;

import org.ternmq.protocol.ErrorCode;

/**
 * A request the broker refuses, with the code the client maps to the right JMS exception. Thrown only on
 * the agent thread and turned into an {@code ErrorResponse} by {@link BrokerConnection}.
 */
public final class BrokerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public BrokerException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
