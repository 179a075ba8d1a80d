package org.ternmq.jms.message;

import jakarta.jms.JMSException;

/**
 * What {@code Message.acknowledge()} does for a received message: set by the session that delivered it.
 * Called on the application thread that calls {@code acknowledge()}.
 */
@FunctionalInterface
public interface MessageAcknowledger {

    /** Acknowledges the message(s) this acknowledger stands for, as the session's mode says. */
    void acknowledge() throws JMSException;
}
