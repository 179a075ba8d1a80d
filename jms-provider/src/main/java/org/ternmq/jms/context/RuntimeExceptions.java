package org.ternmq.jms.context;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

/**
 * The one place where the checked {@link JMSException} family of the classic API and the unchecked
 * {@link JMSRuntimeException} family of the simplified API are mapped onto each other.
 *
 * <p>Each checked type maps to the runtime type of the same name (the spec pairs them one to one); a checked
 * type without a runtime twin ({@code MessageEOFException}, {@code MessageNotReadableException}, a plain
 * {@code JMSException}) becomes a plain {@link JMSRuntimeException}. The message and error code are kept and
 * the original exception becomes the cause, so its own cause and linked exception stay reachable.
 *
 * <p>Stateless; any thread may call it.
 */
public final class RuntimeExceptions {

    /** A call into the classic API that returns a value. */
    @FunctionalInterface
    public interface JmsCall<T> {
        T call() throws JMSException;
    }

    /** A call into the classic API that returns nothing. */
    @FunctionalInterface
    public interface JmsAction {
        void run() throws JMSException;
    }

    private RuntimeExceptions() {
    }

    /**
     * @param e a checked exception from the classic API
     * @return the matching runtime exception, with {@code e}'s message and error code and {@code e} as cause
     */
    public static JMSRuntimeException toRuntime(JMSException e) {
        String message = e.getMessage();
        String code = e.getErrorCode();
        JMSRuntimeException mapped;
        // subclasses are tested before the types they extend (none of the listed ones extend each other today,
        // but a provider subclass of, say, IllegalStateException must still land on the right twin)
        if (e instanceof IllegalStateException) {
            mapped = new IllegalStateRuntimeException(message, code, e);
        } else if (e instanceof InvalidDestinationException) {
            mapped = new InvalidDestinationRuntimeException(message, code, e);
        } else if (e instanceof InvalidSelectorException) {
            mapped = new InvalidSelectorRuntimeException(message, code, e);
        } else if (e instanceof InvalidClientIDException) {
            mapped = new InvalidClientIDRuntimeException(message, code, e);
        } else if (e instanceof JMSSecurityException) {
            mapped = new JMSSecurityRuntimeException(message, code, e);
        } else if (e instanceof MessageFormatException) {
            mapped = new MessageFormatRuntimeException(message, code, e);
        } else if (e instanceof MessageNotWriteableException) {
            mapped = new MessageNotWriteableRuntimeException(message, code, e);
        } else if (e instanceof ResourceAllocationException) {
            mapped = new ResourceAllocationRuntimeException(message, code, e);
        } else if (e instanceof TransactionInProgressException) {
            mapped = new TransactionInProgressRuntimeException(message, code, e);
        } else if (e instanceof TransactionRolledBackException) {
            mapped = new TransactionRolledBackRuntimeException(message, code, e);
        } else {
            mapped = new JMSRuntimeException(message, code, e);
        }
        return mapped;
    }

    /**
     * The reverse mapping, for code that implements the classic API on top of something throwing runtime
     * exceptions.
     *
     * @param e an unchecked exception of the simplified API
     * @return the matching checked exception, with {@code e}'s message and error code, {@code e} as linked
     *     exception and cause
     */
    public static JMSException toChecked(JMSRuntimeException e) {
        String message = e.getMessage();
        String code = e.getErrorCode();
        JMSException mapped;
        if (e instanceof IllegalStateRuntimeException) {
            mapped = new IllegalStateException(message, code);
        } else if (e instanceof InvalidDestinationRuntimeException) {
            mapped = new InvalidDestinationException(message, code);
        } else if (e instanceof InvalidSelectorRuntimeException) {
            mapped = new InvalidSelectorException(message, code);
        } else if (e instanceof InvalidClientIDRuntimeException) {
            mapped = new InvalidClientIDException(message, code);
        } else if (e instanceof JMSSecurityRuntimeException) {
            mapped = new JMSSecurityException(message, code);
        } else if (e instanceof MessageFormatRuntimeException) {
            mapped = new MessageFormatException(message, code);
        } else if (e instanceof MessageNotWriteableRuntimeException) {
            mapped = new MessageNotWriteableException(message, code);
        } else if (e instanceof ResourceAllocationRuntimeException) {
            mapped = new ResourceAllocationException(message, code);
        } else if (e instanceof TransactionInProgressRuntimeException) {
            mapped = new TransactionInProgressException(message, code);
        } else if (e instanceof TransactionRolledBackRuntimeException) {
            mapped = new TransactionRolledBackException(message, code);
        } else {
            mapped = new JMSException(message, code);
        }
        mapped.setLinkedException(e);
        mapped.initCause(e);
        return mapped;
    }

    /**
     * Runs a classic call, turning its checked exception into the matching runtime one.
     *
     * @return what {@code call} returned
     */
    public static <T> T unchecked(JmsCall<T> call) {
        try {
            return call.call();
        } catch (JMSException e) {
            throw toRuntime(e);
        }
    }

    /** Runs a classic action, turning its checked exception into the matching runtime one. */
    public static void uncheckedRun(JmsAction action) {
        try {
            action.run();
        } catch (JMSException e) {
            throw toRuntime(e);
        }
    }
}
