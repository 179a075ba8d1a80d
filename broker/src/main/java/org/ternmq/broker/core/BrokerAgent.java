package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ternmq.broker.security.Authenticator;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.selector.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns all of the broker's destination state on one thread: queues, topics, subscriptions, temporary
 * destinations, client ids and connections. Netty threads and timers hand it work through
 * {@link #execute}; nothing else touches the state, so destination code needs no locks. One thread keeps
 * cross-destination work (a transaction's sends and acknowledgements over several queues, a topic's
 * fan-out) atomic without coordination; the journal's appender thread does the slow part of a persistent
 * send, so the agent only routes and dispatches.
 *
 * <p>{@link #execute}, {@link #schedule} and {@link #shutdown} may be called from any thread; every other
 * method only on the agent thread.
 */
public final class BrokerAgent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAgent.class);

    private final ScheduledThreadPoolExecutor executor;
    private final Authenticator authenticator;
    private final String brokerName;
    private final int producerWindow;
    private final AtomicLong connectionIds = new AtomicLong();

    private final Map<String, MessageQueue> queues = new HashMap<>();
    private final Map<String, BrokerTopic> topics = new HashMap<>();
    private final Map<String, MessageQueue> temporaryQueues = new HashMap<>();
    private final Map<String, BrokerTopic> temporaryTopics = new HashMap<>();
    /** Temporary destination name to the id of the connection that owns it. */
    private final Map<Address, String> temporaryOwners = new HashMap<>();
    private final Map<Subscription.Key, Subscription> subscriptions = new HashMap<>();
    private final Map<String, BrokerConnection> clientIds = new HashMap<>();
    private final Set<BrokerConnection> connections = new LinkedHashSet<>();
    private final List<BrokerConnection> unflushed = new ArrayList<>();
    private long sequence;

    public BrokerAgent(String brokerName, Authenticator authenticator, int producerWindow) {
        this.brokerName = brokerName;
        this.authenticator = authenticator;
        this.producerWindow = producerWindow;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tern-broker-agent");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} on the agent thread, then flushes what it wrote. Any thread. */
    public void execute(Runnable task) {
        executor.execute(() -> runAndFlush(task));
    }

    void schedule(long delayMillis, Runnable task) {
        executor.schedule(() -> runAndFlush(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    private void runAndFlush(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure on the broker agent thread", e);
        } finally {
            for (BrokerConnection c : unflushed) {
                c.flush();
            }
            unflushed.clear();
        }
    }

    void markUnflushed(BrokerConnection connection) {
        unflushed.add(connection);
    }

    /** Stops the agent thread; waits briefly for queued work. Any thread. */
    public void shutdown() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    long now() {
        return System.currentTimeMillis();
    }

    String brokerName() {
        return brokerName;
    }

    int producerWindow() {
        return producerWindow;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    String newConnectionId() {
        return brokerName + "-" + connectionIds.incrementAndGet();
    }

    // ---- connections and client ids

    void connected(BrokerConnection connection) {
        connections.add(connection);
    }

    void disconnected(BrokerConnection connection) {
        connections.remove(connection);
        if (connection.clientId() != null) {
            clientIds.remove(connection.clientId(), connection);
        }
        temporaryOwners.entrySet().removeIf(e -> {
            if (e.getValue().equals(connection.id())) {
                deleteTemporary(e.getKey());
                return true;
            }
            return false;
        });
    }

    /** Closes every connection (broker shutdown). */
    public void disconnectAll(String reason) {
        for (BrokerConnection c : new ArrayList<>(connections)) {
            c.disconnect(ErrorCode.INTERNAL, reason);
        }
    }

    void claimClientId(BrokerConnection connection, String clientId) throws BrokerException {
        BrokerConnection holder = clientIds.get(clientId);
        if (holder != null && holder != connection) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId + "' is in use");
        }
        clientIds.put(clientId, connection);
    }

    // ---- destinations

    MessageQueue queue(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (address.kind() == Address.Kind.TEMPORARY_QUEUE) {
            MessageQueue q = temporaryQueues.get(address.name());
            if (q == null) {
                throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary queue " + address.name() + " does not exist");
            }
            checkOwner(address, user, forConsuming);
            return q;
        }
        return queues.computeIfAbsent(address.name(), n -> new MessageQueue(n, this));
    }

    BrokerTopic topic(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (address.kind() == Address.Kind.TEMPORARY_TOPIC) {
            BrokerTopic t = temporaryTopics.get(address.name());
            if (t == null) {
                throw new BrokerException(ErrorCode.INVALID_DESTINATION, "temporary topic " + address.name() + " does not exist");
            }
            checkOwner(address, user, forConsuming);
            return t;
        }
        return topics.computeIfAbsent(address.name(), BrokerTopic::new);
    }

    private void checkOwner(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (forConsuming && !user.id().equals(temporaryOwners.get(address))) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION,
                    address.name() + " is a temporary destination of another connection");
        }
    }

    void createTemporary(Address address, BrokerConnection owner) throws BrokerException {
        if (!address.kind().isTemporary()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " is not temporary");
        }
        if (temporaryOwners.containsKey(address)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, address + " already exists");
        }
        temporaryOwners.put(address, owner.id());
        if (address.isQueue()) {
            temporaryQueues.put(address.name(), new MessageQueue(address.name(), this));
        } else {
            temporaryTopics.put(address.name(), new BrokerTopic(address.name()));
        }
    }

    void deleteTemporary(Address address, BrokerConnection requester) throws BrokerException {
        String owner = temporaryOwners.get(address);
        if (owner == null) {
            return;
        }
        if (!owner.equals(requester.id())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, address.name() + " belongs to another connection");
        }
        if (address.isQueue()) {
            if (!temporaryQueues.get(address.name()).consumers().isEmpty()) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE, "temporary queue " + address.name() + " has consumers");
            }
        } else {
            for (Subscription s : temporaryTopics.get(address.name()).subscriptions) {
                if (!s.queue.consumers().isEmpty()) {
                    throw new BrokerException(ErrorCode.ILLEGAL_STATE, "temporary topic " + address.name() + " has consumers");
                }
            }
        }
        temporaryOwners.remove(address);
        deleteTemporary(address);
    }

    private void deleteTemporary(Address address) {
        if (address.isQueue()) {
            MessageQueue q = temporaryQueues.remove(address.name());
            if (q != null) {
                q.delete();
            }
        } else {
            BrokerTopic t = temporaryTopics.remove(address.name());
            if (t != null) {
                for (Subscription s : t.subscriptions) {
                    s.queue.delete();
                }
                t.subscriptions.clear();
            }
        }
    }

    // ---- routing

    /** Puts a sent (or committed) message into its queue, or into every subscription of its topic that wants it. */
    void route(EncodedMessage message, BrokerConnection origin) throws BrokerException {
        Address address = message.destination();
        if (address == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "message has no destination");
        }
        long now = now();
        if (message.expiration() != 0 && message.expiration() <= now) {
            return;
        }
        long seq = ++sequence;
        if (address.isQueue()) {
            MessageQueue q = queue(address, origin, false);
            q.add(new MessageRef(message, seq, origin.id(), origin.clientId()));
            q.dispatch();
        } else {
            BrokerTopic topic = topic(address, origin, false);
            Subscription.MessageRefSource source =
                    new Subscription.MessageRefSource(message, origin.id(), origin.clientId());
            for (Subscription s : topic.subscriptions) {
                if (s.accepts(source)) {
                    s.queue.add(new MessageRef(message, seq, origin.id(), origin.clientId()));
                    s.queue.dispatch();
                }
            }
        }
    }

    /** An acknowledged (or committed) delivery: the message is gone from its queue for good. */
    void consumed(Delivery delivery) {
        // In memory there is nothing more to do; a persistent store removes the reference here.
    }

    /** A message found expired in {@code queue}: it is never delivered. */
    void expired(MessageRef ref, MessageQueue queue) {
        LOG.debug("message {} expired in {}", ref.message.messageId(), queue.name());
    }

    // ---- subscriptions

    Subscription subscribe(BrokerConnection connection, BrokerTopic topic, Address address, String selectorText,
                           Selector selector, boolean noLocal, String name, boolean durable, boolean shared)
            throws BrokerException {
        if (name == null) {
            Subscription s = new Subscription(null, address, selector, noLocal, false, false,
                    new MessageQueue("subscription of " + connection.id() + " on " + topic.name, this), connection.id());
            topic.subscriptions.add(s);
            return s;
        }
        String clientId = connection.clientId();
        if (!shared && clientId == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "an unshared durable subscription needs a client id");
        }
        Subscription.Key key = new Subscription.Key(clientId, name);
        Subscription existing = subscriptions.get(key);
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
            deleteSubscription(existing);
        }
        Subscription s = new Subscription(key, address, selector, noLocal, durable, shared,
                new MessageQueue("subscription " + key, this), null);
        subscriptions.put(key, s);
        topic.subscriptions.add(s);
        return s;
    }

    void unsubscribe(BrokerConnection connection, String name) throws BrokerException {
        Subscription s = subscriptions.get(new Subscription.Key(connection.clientId(), name));
        if (s == null || !s.durable) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no durable subscription '" + name + "'"
                    + (connection.clientId() == null ? "" : " for client id '" + connection.clientId() + "'"));
        }
        if (!s.queue.consumers().isEmpty()) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "durable subscription '" + name + "' has an active consumer");
        }
        for (BrokerConnection c : connections) {
            if (c.holdsDeliveryFrom(s.queue)) {
                throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                        "durable subscription '" + name + "' has messages not yet acknowledged");
            }
        }
        deleteSubscription(s);
    }

    /** Called when a consumer of {@code s} closed: non-durable subscriptions end with their last consumer. */
    void consumerClosed(Subscription s) {
        if (!s.durable && s.queue.consumers().isEmpty()) {
            deleteSubscription(s);
        }
    }

    private void deleteSubscription(Subscription s) {
        if (s.key != null) {
            subscriptions.remove(s.key, s);
        }
        BrokerTopic t = s.topic.kind() == Address.Kind.TEMPORARY_TOPIC
                ? temporaryTopics.get(s.topic.name()) : topics.get(s.topic.name());
        if (t != null) {
            t.subscriptions.remove(s);
        }
        s.queue.delete();
    }
}
