package org.ternmq.jms;

import java.util.ArrayList;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ClientSession;
import org.ternmq.jms.destination.TemporaryDestinationOwner;
import org.ternmq.jms.destination.TernDestination;
import org.ternmq.jms.destination.TernTemporaryQueue;
import org.ternmq.jms.destination.TernTemporaryTopic;
import org.ternmq.message.Address;

/**
 * The classic API connection: checks the JMS rules (client id, start/stop, close, callbacks) and delegates
 * to a {@link ClientConnection}.
 *
 * <p>Thread-safety: a JMS connection may be used by any number of threads. Start, stop and close are
 * serialized by one lock; everything else is safe to call concurrently.
 */
public class TernConnection implements Connection, QueueConnection, TopicConnection, TemporaryDestinationOwner,
        HalfMessaging, MessageHistory {

    private static final Logger LOG = LoggerFactory.getLogger(TernConnection.class);

    private final ClientConnection client;
    private volatile org.ternmq.jms.message.TrustedPackages trustedPackages =
            org.ternmq.jms.message.TrustedPackages.fromSystem();
    private final boolean clientIdAdministered;
    private final Set<TernSession> sessions = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final String messageIdPrefix = "ID:" + UUID.randomUUID() + ":";
    private final AtomicLong messageIds = new AtomicLong();
    private volatile String clientId;
    private volatile boolean used;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile ExceptionListener exceptionListener;
    private final java.util.Map<String, TransactionChecker> checkers = new ConcurrentHashMap<>();
    /** Runs the checkers, one check at a time; made when the first checker is registered. */
    private volatile java.util.concurrent.ExecutorService checkerThread;

    /**
     * @param clientId the administratively configured client id, or null
     * @throws JMSException {@code InvalidClientIDException} when the broker refuses the client id; the
     *     client connection is closed then
     */
    void setTrustedPackages(org.ternmq.jms.message.TrustedPackages packages) {
        this.trustedPackages = packages;
    }

    /** Gives a received ObjectMessage the packages it may deserialize; returns {@code message}. */
    <M extends jakarta.jms.Message> M trust(M message) {
        if (message instanceof org.ternmq.jms.message.TernObjectMessage om) {
            om.setTrustedPackages(trustedPackages);
        }
        return message;
    }

    TernConnection(ClientConnection client, String clientId) throws JMSException {
        this.client = client;
        this.clientIdAdministered = clientId != null;
        if (clientId != null) {
            try {
                client.setClientId(clientId);
            } catch (ClientException e) {
                client.close();
                throw JmsExceptions.from(e);
            }
            this.clientId = clientId;
        }
        client.setListener(cause -> onConnectionFailed(cause));
    }

    /** How many times failover ({@code failover=true}) restored this connection on a new channel. */
    public int failoverCount() {
        return client.failoverCount();
    }

    ClientConnection client() {
        return client;
    }

    boolean isStarted() {
        return started;
    }

    /** @return a new unique JMSMessageID */
    String nextMessageId() {
        return messageIdPrefix + messageIds.incrementAndGet();
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("connection is closed");
        }
    }

    /** Any action but setClientID fixes the client id (JMS 6.1.2): setClientID afterwards is illegal. */
    private void use() {
        used = true;
    }

    // ---- sessions -------------------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode, TernSession.Domain.ANY);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return createSession(sessionMode, TernSession.Domain.ANY);
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(Session.AUTO_ACKNOWLEDGE, TernSession.Domain.ANY);
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode, TernSession.Domain.QUEUE);
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode, TernSession.Domain.TOPIC);
    }

    private TernSession createSession(int sessionMode, TernSession.Domain domain) throws JMSException {
        if (sessionMode < Session.SESSION_TRANSACTED || sessionMode > Session.DUPS_OK_ACKNOWLEDGE) {
            checkOpen();
            throw new JMSException("invalid session mode " + sessionMode);
        }
        return createSession(sessionMode, domain, (c, s) -> new TernSession(c, s, domain));
    }

    /** Makes a session of the core client's {@code protocolMode}, wrapped by {@code facade}. */
    TernSession createSession(int protocolMode, TernSession.Domain domain,
            java.util.function.BiFunction<TernConnection, ClientSession, TernSession> facade) throws JMSException {
        checkOpen();
        use();
        TernSession session;
        try {
            session = facade.apply(this, client.createSession(protocolMode));
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
        sessions.add(session);
        if (closed) {
            // lost a race with close(): do not leave an open session behind
            session.close();
            throw new IllegalStateException("connection is closed");
        }
        return session;
    }

    void removed(TernSession session) {
        sessions.remove(session);
    }

    // ---- client id --------------------------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String id) throws JMSException {
        checkOpen();
        lifecycle.lock();
        try {
            if (clientIdAdministered) {
                throw new IllegalStateException("the client id " + clientId + " is configured administratively");
            }
            if (clientId != null) {
                throw new IllegalStateException("the client id is already set to " + clientId);
            }
            if (used) {
                throw new IllegalStateException("the client id must be set before the connection is used");
            }
            if (id == null || id.isEmpty()) {
                throw new InvalidClientIDException("client id must not be null or empty");
            }
            try {
                client.setClientId(id);
            } catch (ClientException e) {
                throw JmsExceptions.from(e);
            }
            clientId = id;
            used = true;
        } finally {
            lifecycle.unlock();
        }
    }

    // ---- start, stop, close ---------------------------------------------------------------------------

    @Override
    public void start() throws JMSException {
        checkOpen();
        use();
        lifecycle.lock();
        try {
            checkOpen();
            started = true;
            try {
                client.setDeliveryStarted(true);
            } catch (ClientException e) {
                throw JmsExceptions.from(e);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Pauses delivery; waits for running message listeners to return (JMS 6.1.5). */
    @Override
    public void stop() throws JMSException {
        checkOpen();
        use();
        // the specification forbids it from a message listener; a completion listener may stop the connection
        if (CallbackThreads.inListenerOf(this)) {
            throw new IllegalStateException("a message listener must not stop its own connection");
        }
        lifecycle.lock();
        try {
            checkOpen();
            started = false;
            try {
                client.setDeliveryStarted(false);
            } catch (ClientException e) {
                throw JmsExceptions.from(e);
            }
        } finally {
            lifecycle.unlock();
        }
        // waited for outside the lock, so a running listener may still use the whole connection
        for (TernSession session : new ArrayList<>(sessions)) {
            session.awaitListenerIdle();
        }
    }

    /**
     * Closes sessions (waiting for their listeners and asynchronous sends, rolling back transactions), then
     * the connection. Idempotent.
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (CallbackThreads.inCallbackOf(this)) {
            throw new IllegalStateException("a listener must not close its own connection");
        }
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            started = false;
            try {
                client.setDeliveryStarted(false);
            } catch (ClientException e) {
                // closing anyway: a failed connection delivers nothing more
            }
            JMSException first = null;
            for (TernSession session : new ArrayList<>(sessions)) {
                try {
                    session.close();
                } catch (JMSException e) {
                    first = first == null ? e : first;
                }
            }
            closed = true;
            client.close();
            java.util.concurrent.ExecutorService checks = checkerThread;
            if (checks != null) {
                checks.shutdownNow();
            }
            if (first != null && client.failure() == null) {
                LOG.debug("session close failed while closing the connection", first);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- replay (MessageHistory) -------------------------------------------------------------------------

    @Override
    public int replaySubscription(Topic topic, String name, java.time.Instant from) throws JMSException {
        return replay(subscriptionName(topic, name), "time=" + requireNonNull(from, "a start time").toEpochMilli());
    }

    @Override
    public int replaySubscription(Topic topic, String name, String fromMessageId) throws JMSException {
        return replay(subscriptionName(topic, name), "id=" + requireNonNull(fromMessageId, "a message id"));
    }

    @Override
    public int replayQueue(Queue queue, java.time.Instant from) throws JMSException {
        return replay(requireNonNull(queue, "a queue").getQueueName(),
                "time=" + requireNonNull(from, "a start time").toEpochMilli());
    }

    @Override
    public int replayQueue(Queue queue, String fromMessageId) throws JMSException {
        return replay(requireNonNull(queue, "a queue").getQueueName(), "id=" + requireNonNull(fromMessageId, "a message id"));
    }

    private String subscriptionName(Topic topic, String name) throws JMSException {
        checkOpen();
        if (clientId == null) {
            throw new IllegalStateException("replaying a durable subscription needs the connection's client id");
        }
        return requireNonNull(topic, "a topic").getTopicName() + "::" + clientId + "." + requireNonNull(name, "a name");
    }

    private static <T> T requireNonNull(T value, String what) throws JMSException {
        if (value == null) {
            throw new jakarta.jms.InvalidDestinationException("replay needs " + what);
        }
        return value;
    }

    private int replay(String destination, String from) throws JMSException {
        checkOpen();
        use();
        try {
            return (int) client.manage("replay", destination, from, null).count();
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    // ---- half-messages (HalfMessaging) -------------------------------------------------------------------

    @Override
    public String sendHalf(MessageProducer producer, Message message, String producerGroup) throws JMSException {
        checkOpen();
        if (!(producer instanceof TernMessageProducer tp) || tp.session().connection() != this) {
            throw new IllegalStateException("sendHalf needs a producer of a session of this connection");
        }
        if (tp.session().getTransacted()) {
            throw new IllegalStateException("a half-message is its own transaction: send it from a session that "
                    + "is not transacted");
        }
        checkGroup(producerGroup);
        if (message == null) {
            throw new jakarta.jms.MessageFormatException("no message");
        }
        message.setStringProperty(GROUP_PROPERTY, producerGroup);
        producer.send(message, jakarta.jms.DeliveryMode.PERSISTENT, producer.getPriority(), producer.getTimeToLive());
        return message.getJMSMessageID();
    }

    @Override
    public void commitHalf(String halfId) throws JMSException {
        completeHalf(org.ternmq.protocol.HalfOperation.COMMIT, halfId);
    }

    @Override
    public void rollbackHalf(String halfId) throws JMSException {
        completeHalf(org.ternmq.protocol.HalfOperation.ROLLBACK, halfId);
    }

    private void completeHalf(org.ternmq.protocol.HalfOperation op, String halfId) throws JMSException {
        checkOpen();
        if (halfId == null || halfId.isEmpty()) {
            throw new jakarta.jms.InvalidDestinationException("no half-message id");
        }
        try {
            client.half(op, halfId, null);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    @Override
    public void setTransactionChecker(String producerGroup, TransactionChecker checker) throws JMSException {
        checkOpen();
        checkGroup(producerGroup);
        try {
            if (checker == null) {
                checkers.remove(producerGroup);
                client.half(org.ternmq.protocol.HalfOperation.UNREGISTER_CHECKER, null, producerGroup);
                return;
            }
            if (checkerThread == null) {
                lifecycle.lock();
                try {
                    if (checkerThread == null) {
                        checkerThread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "tern-half-checker");
                            t.setDaemon(true);
                            return t;
                        });
                        client.setHalfCheckListener(check -> checkerThread.execute(() -> answerCheck(check)));
                    }
                } finally {
                    lifecycle.unlock();
                }
            }
            checkers.put(producerGroup, checker);
            client.half(org.ternmq.protocol.HalfOperation.REGISTER_CHECKER, null, producerGroup);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    private static void checkGroup(String group) throws JMSException {
        if (group == null || group.isEmpty() || group.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64) {
            throw new jakarta.jms.MessageFormatException("a producer group must be 1 to 64 bytes of UTF-8, not "
                    + (group == null ? "null" : "'" + group + "'"));
        }
    }

    /** Runs the group's checker on a check-back and tells the broker its answer. Checker thread. */
    private void answerCheck(org.ternmq.protocol.HalfCheck check) {
        TransactionChecker checker = checkers.get(check.group());
        HalfOutcome outcome = HalfOutcome.UNKNOWN;
        if (checker != null) {
            try {
                Message m = trust(org.ternmq.jms.message.TernMessage.decode(
                        org.ternmq.message.EncodedMessage.wrap(check.message()), 0));
                HalfOutcome answer = checker.check(m);
                outcome = answer == null ? HalfOutcome.UNKNOWN : answer;
            } catch (Exception | LinkageError e) {
                LOG.warn("transaction checker of group {} failed on half-message {} (answered UNKNOWN): {}",
                        check.group(), check.halfId(), e.toString());
            }
        }
        org.ternmq.protocol.HalfOperation op = switch (outcome) {
            case COMMIT -> org.ternmq.protocol.HalfOperation.COMMIT;
            case ROLLBACK -> org.ternmq.protocol.HalfOperation.ROLLBACK;
            case UNKNOWN -> org.ternmq.protocol.HalfOperation.UNKNOWN;
        };
        try {
            client.half(op, check.halfId(), check.group());
        } catch (ClientException e) {
            LOG.info("answer {} to the check of half-message {} not taken: {}", outcome, check.halfId(), e.getMessage());
        }
    }

    // ---- exceptions and metadata --------------------------------------------------------------------

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        use();
        this.exceptionListener = listener;
    }

    private void onConnectionFailed(ClientException cause) {
        ExceptionListener listener = exceptionListener;
        if (listener == null || closed) {
            return;
        }
        // called on the event loop: the listener may block or close the connection, so it gets its own thread
        Thread t = new Thread(() -> {
            try {
                listener.onException(JmsExceptions.from(cause));
            } catch (RuntimeException e) {
                LOG.warn("exception listener failed", e);
            }
        }, "tern-exception-listener");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        return TernConnectionMetaData.INSTANCE;
    }

    // ---- temporary destinations -----------------------------------------------------------------------

    TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        try {
            return new TernTemporaryQueue(client.createTemporary(true).name(), this);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        try {
            return new TernTemporaryTopic(client.createTemporary(false).name(), this);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    @Override
    public void deleteTemporary(TernDestination destination) throws JMSException {
        checkOpen();
        try {
            client.deleteTemporary(destination.address());
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    /** @return whether this connection may consume from the temporary destination (it created it, not deleted) */
    boolean ownsTemporary(Address address) {
        return client.ownsTemporary(address);
    }

    // ---- connection consumers (application-server facility; not provided) -------------------------------

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        return unsupportedConnectionConsumer();
    }

    private ConnectionConsumer unsupportedConnectionConsumer() throws JMSException {
        checkOpen();
        use();
        throw new JMSException("connection consumers (an optional application-server facility) are not supported");
    }

    @Override
    public String toString() {
        return "TernConnection[" + client + ", clientId=" + clientId + "]";
    }
}
