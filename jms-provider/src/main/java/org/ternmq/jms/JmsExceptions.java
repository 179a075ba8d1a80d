package org.ternmq.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;

import org.ternmq.client.ClientException;
import org.ternmq.protocol.ErrorCode;

/**
 * The one place where core client failures become Jakarta Messaging exceptions (protocol.md, "Error
 * codes"). Stateless; any thread may call it.
 */
public final class JmsExceptions {

    private JmsExceptions() {
    }

    /**
     * @return the {@code JMSException} subclass the specification names for the failure, with the broker's
     *     message, the code's name as error code, and {@code e} as cause and linked exception
     */
    public static JMSException from(ClientException e) {
        ErrorCode code = e.code();
        String message = e.getMessage();
        String errorCode = code.name();
        JMSException jms;
        switch (code) {
            case SECURITY: jms = new JMSSecurityException(message, errorCode); break;
            case INVALID_CLIENT_ID: jms = new InvalidClientIDException(message, errorCode); break;
            case INVALID_DESTINATION: jms = new InvalidDestinationException(message, errorCode); break;
            case INVALID_SELECTOR: jms = new InvalidSelectorException(message, errorCode); break;
            case ILLEGAL_STATE: jms = new IllegalStateException(message, errorCode); break;
            case TRANSACTION_ROLLED_BACK: jms = new TransactionRolledBackException(message, errorCode); break;
            case RESOURCE_ALLOCATION: jms = new ResourceAllocationException(message, errorCode); break;
            case MESSAGE_FORMAT: jms = new MessageFormatException(message, errorCode); break;
            default: jms = new JMSException(message, errorCode); break;
        }
        jms.initCause(e);
        jms.setLinkedException(e);
        return jms;
    }

    /** Wraps an unexpected runtime failure (e.g. a message that cannot be encoded) at the API edge. */
    public static JMSException from(String context, RuntimeException e) {
        JMSException jms = new JMSException(context + ": " + e.getMessage());
        jms.initCause(e);
        jms.setLinkedException(e);
        return jms;
    }
}
