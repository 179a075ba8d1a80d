package org.ternmq.jms.destination;

import jakarta.jms.JMSException;

/**
 * The connection that created a temporary destination, so that {@code delete()} on the destination reaches
 * it. Implementations must be callable from any application thread.
 */
public interface TemporaryDestinationOwner {

    /**
     * Deletes the temporary destination on the broker.
     *
     * @throws JMSException e.g. {@code IllegalStateException} while consumers still use it or the owner is closed
     */
    void deleteTemporary(TernDestination destination) throws JMSException;

    /** @return whether the owning connection is closed (its temporary destinations are gone) */
    boolean isClosed();
}
