package org.ternmq.jms.destination;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

import org.ternmq.message.Address;

/**
 * A temporary queue created by a connection (its owner), living as long as that connection. A copy made from
 * an address alone (a received JMSReplyTo, a deserialized one) has no owner and cannot be deleted. Immutable
 * and thread-safe; the owner decides what {@link #delete()} may do concurrently.
 */
public final class TernTemporaryQueue extends TernQueue implements TemporaryQueue {

    private static final long serialVersionUID = 1L;

    private final transient TemporaryDestinationOwner owner;

    /** @param owner the connection that created it, or null for a copy made from an address */
    public TernTemporaryQueue(String name, TemporaryDestinationOwner owner) {
        super(Address.Kind.TEMPORARY_QUEUE, name);
        this.owner = owner;
    }

    /** @return the creating connection, or null when this object was not made by it */
    public TemporaryDestinationOwner owner() {
        return owner;
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new IllegalStateException("temporary queue " + name()
                    + " can only be deleted through the connection that created it");
        }
        owner.deleteTemporary(this);
    }
}
