package org.ternmq.jms.destination;

import java.io.Serializable;
import java.util.Objects;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

import org.ternmq.message.Address;

/**
 * A Tern destination: a JMS face on an {@link Address}. Two destinations are equal when their addresses are,
 * whatever object created them. Immutable and thread-safe; serializable (for JNDI and ObjectMessages) by
 * kind and name, since {@link Address} itself is not.
 */
public abstract class TernDestination implements Destination, Serializable {

    private static final long serialVersionUID = 1L;

    private final Address.Kind kind;
    private final String name;

    TernDestination(Address.Kind kind, String name) {
        // validates the name the same way the wire does
        Address address = new Address(kind, name);
        this.kind = address.kind();
        this.name = address.name();
    }

    /** @return a Tern destination for the address; temporary ones have no owner and cannot be deleted */
    public static TernDestination of(Address address) {
        switch (address.kind()) {
            case QUEUE: return new TernQueue(address.name());
            case TOPIC: return new TernTopic(address.name());
            case TEMPORARY_QUEUE: return new TernTemporaryQueue(address.name(), null);
            case TEMPORARY_TOPIC: return new TernTemporaryTopic(address.name(), null);
            default: throw new IllegalArgumentException("unknown kind " + address.kind());
        }
    }

    /**
     * @return {@code destination} itself if it is a Tern one, else a Tern queue or topic of the same name;
     *     null for null
     * @throws InvalidDestinationException for a destination that is neither a queue nor a topic
     */
    public static TernDestination fromForeign(Destination destination) throws JMSException {
        if (destination == null || destination instanceof TernDestination) {
            return (TernDestination) destination;
        }
        if (destination instanceof Queue queue) {
            return new TernQueue(requireName(queue.getQueueName(), destination));
        }
        if (destination instanceof Topic topic) {
            return new TernTopic(requireName(topic.getTopicName(), destination));
        }
        throw new InvalidDestinationException("not a queue or a topic: " + destination);
    }

    private static String requireName(String name, Destination destination) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("destination without a name: " + destination);
        }
        return name;
    }

    public Address address() {
        return new Address(kind, name);
    }

    /** @return the destination's name */
    public String name() {
        return name;
    }

    public boolean isQueue() {
        return kind.isQueue();
    }

    public boolean isTemporary() {
        return kind.isTemporary();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TernDestination that && kind == that.kind && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }

    @Override
    public String toString() {
        return name;
    }
}
