package org.ternmq.jms.destination;

import jakarta.jms.Queue;

import org.ternmq.message.Address;

/** A queue by name. Immutable and thread-safe. */
public class TernQueue extends TernDestination implements Queue {

    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException for a null or empty name */
    public TernQueue(String name) {
        super(Address.Kind.QUEUE, name);
    }

    TernQueue(Address.Kind kind, String name) {
        super(kind, name);
    }

    @Override
    public String getQueueName() {
        return name();
    }
}
