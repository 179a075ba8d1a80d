package org.ternmq.broker.core;

import java.util.Objects;
import org.ternmq.message.Address;
import org.ternmq.selector.Selector;

/**
 * A topic subscription: the queue of references a topic fills for its consumers. Non-durable private
 * subscriptions (no name) live as long as their one consumer; shared non-durable ones as long as they have
 * consumers; durable ones until unsubscribed.
 *
 * <p>Owned by the agent thread.
 */
final class Subscription {

    /** Identifies a named subscription: its name within a client id (null client id for shared ones without one). */
    record Key(String clientId, String name) {
    }

    final Key key;
    final Address topic;
    final Selector selector;
    final boolean noLocal;
    final boolean durable;
    final boolean shared;
    final MessageQueue queue;
    /** For a private non-durable subscription: the connection of its consumer (noLocal compares it). */
    final String ownerConnectionId;

    Subscription(Key key, Address topic, Selector selector, boolean noLocal, boolean durable, boolean shared,
                 MessageQueue queue, String ownerConnectionId) {
        this.key = key;
        this.topic = topic;
        this.selector = selector;
        this.noLocal = noLocal;
        this.durable = durable;
        this.shared = shared;
        this.queue = queue;
        this.ownerConnectionId = ownerConnectionId;
    }

    /** Whether a message published by that connection / client id belongs in this subscription. */
    boolean accepts(MessageRefSource source) {
        if (noLocal && isLocal(source)) {
            return false;
        }
        if (selector == null || selector.matchesAll()) {
            return true;
        }
        try {
            return selector.matches(source.message());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean isLocal(MessageRefSource source) {
        if (ownerConnectionId != null && ownerConnectionId.equals(source.connectionId())) {
            return true;
        }
        if (key != null && key.clientId() != null && key.clientId().equals(source.clientId())) {
            return true;
        }
        for (BrokerConsumer c : queue.consumers()) {
            if (c.session.connection.id().equals(source.connectionId())) {
                return true;
            }
        }
        return false;
    }

    /** Same topic, selector and noLocal: a consumer asking for these may join this subscription. */
    boolean sameDefinition(Address topic, String selectorText, boolean noLocal) {
        String mine = selector == null ? "" : selector.text();
        String theirs = selectorText == null ? "" : selectorText.trim();
        return this.topic.equals(topic) && mine.trim().equals(theirs) && this.noLocal == noLocal;
    }

    /** Where a published message comes from, for noLocal and selectors. */
    record MessageRefSource(org.ternmq.message.EncodedMessage message, String connectionId, String clientId) {
        MessageRefSource {
            Objects.requireNonNull(message);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + key + " on " + topic + (durable ? ", durable" : "") + (shared ? ", shared" : "") + "]";
    }
}
