package org.ternmq.broker.core;

import java.util.HashMap;
import java.util.Map;
import org.ternmq.broker.persistence.QueueRecord;
import org.ternmq.message.Address;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.selector.Selector;

/**
 * The named topic subscriptions (durable, shared, shared durable) by client id and name, and the JMS rules
 * for creating, joining, replacing and deleting them. Private non-durable subscriptions have no name and
 * live with their consumer.
 *
 * <p>Owned by the agent thread.
 */
final class Subscriptions {

    private final BrokerAgent agent;
    private final Map<Subscription.Key, Subscription> byKey = new HashMap<>();

    Subscriptions(BrokerAgent agent) {
        this.agent = agent;
    }

    /** The subscription a new consumer on {@code topic} joins, created or replaced as the rules say. */
    Subscription subscribe(BrokerConnection connection, BrokerTopic topic, Address address, String selectorText,
                           Selector selector, boolean noLocal, String name, boolean durable, boolean shared)
            throws BrokerException {
        if (name == null) {
            Subscription s = new Subscription(null, address, selector, noLocal, false, false,
                    agent.newQueue("subscription of " + connection.id() + " on " + topic.name, address, 0), connection.id());
            topic.subscriptions.add(s);
            return s;
        }
        String clientId = connection.clientId();
        if (!shared && clientId == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "an unshared durable subscription needs a client id");
        }
        Subscription.Key key = new Subscription.Key(clientId, name);
        Subscription existing = byKey.get(key);
        if (existing != null) {
            if (existing.shared != shared || existing.durable != durable) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "subscription '" + name + "' exists as a "
                        + (existing.shared ? "shared" : "unshared") + (existing.durable ? " durable" : " non-durable")
                        + " subscription");
            }
            boolean active = !existing.queue.consumers().isEmpty();
            if (!shared && active) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "durable subscription '" + name + "' already has a consumer");
            }
            if (existing.sameDefinition(address, selectorText, noLocal)) {
                return existing;
            }
            if (active) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "shared subscription '" + name
                        + "' is in use with another topic or selector");
            }
            delete(existing);
        }
        StoreWriter store = agent.storeWriter();
        long storeId = durable && store.persistent() && !address.kind().isTemporary() ? store.nextId() : 0;
        MessageQueue q = agent.newQueue("subscription " + key, address, storeId);
        Subscription s = new Subscription(key, address, selector, noLocal, durable, shared, q, null);
        if (storeId != 0) {
            store.queueCreated(q, new QueueRecord(storeId, true, address.name(), key.clientId(), key.name(),
                    selectorText == null || selectorText.isBlank() ? null : selectorText, noLocal, shared));
        }
        byKey.put(key, s);
        topic.subscriptions.add(s);
        return s;
    }

    /** The named subscription {@code name} of {@code connection}'s client id, or null. */
    Subscription named(BrokerConnection connection, String name) {
        return byKey.get(new Subscription.Key(connection.clientId(), name));
    }

    /** A durable subscription rebuilt from the store at start-up. */
    void restore(Subscription s, BrokerTopic topic) {
        byKey.put(s.key, s);
        topic.subscriptions.add(s);
    }

    void unsubscribe(BrokerConnection connection, String name) throws BrokerException {
        Subscription s = byKey.get(new Subscription.Key(connection.clientId(), name));
        if (s == null || !s.durable) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no durable subscription '" + name + "'"
                    + (connection.clientId() == null ? "" : " for client id '" + connection.clientId() + "'"));
        }
        if (!s.queue.consumers().isEmpty()) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "durable subscription '" + name + "' has an active consumer");
        }
        if (agent.anyConnectionHoldsDeliveryFrom(s.queue)) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                    "durable subscription '" + name + "' has messages not yet acknowledged");
        }
        delete(s);
    }

    /** Called when a consumer of {@code s} closed: non-durable subscriptions end with their last consumer. */
    void consumerClosed(Subscription s) {
        if (!s.durable && s.queue.consumers().isEmpty()) {
            delete(s);
        }
    }

    /** Durable subscriptions by a readable name, {@code topic::clientId.name}, for management. */
    void addDurableQueues(Map<String, MessageQueue> into) {
        for (Subscription s : byKey.values()) {
            if (s.durable) {
                into.put(displayName(s), s.queue);
            }
        }
    }

    private static String displayName(Subscription s) {
        return s.topic.name() + "::" + (s.key.clientId() == null ? "" : s.key.clientId() + ".") + s.key.name();
    }

    /** Whether {@code name} is the readable name of a durable subscription of {@code clientId}. */
    boolean isDurableOf(String name, String clientId) {
        for (Subscription s : byKey.values()) {
            if (s.durable && clientId.equals(s.key.clientId()) && displayName(s).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the durable subscription whose queue is {@code queue}, if there is one. */
    void deleteByQueue(MessageQueue queue) {
        for (Subscription s : new java.util.ArrayList<>(byKey.values())) {
            if (s.queue == queue) {
                delete(s);
                return;
            }
        }
    }

    private void delete(Subscription s) {
        if (s.key != null) {
            byKey.remove(s.key, s);
        }
        BrokerTopic t = agent.existingTopic(s.topic);
        if (t != null) {
            t.subscriptions.remove(s);
        }
        s.queue.delete();
        if (s.queue.isDurable()) {
            agent.storeWriter().queueDeleted(s.queue);
        }
    }
}
