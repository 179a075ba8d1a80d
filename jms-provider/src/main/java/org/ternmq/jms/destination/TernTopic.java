package org.ternmq.jms.destination;

import jakarta.jms.Topic;

import org.ternmq.message.Address;

/** A topic by name. Immutable and thread-safe. */
public class TernTopic extends TernDestination implements Topic {

    private static final long serialVersionUID = 1L;

    /** @throws IllegalArgumentException for a null or empty name */
    public TernTopic(String name) {
        super(Address.Kind.TOPIC, name);
    }

    TernTopic(Address.Kind kind, String name) {
        super(kind, name);
    }

    @Override
    public String getTopicName() {
        return name();
    }
}
