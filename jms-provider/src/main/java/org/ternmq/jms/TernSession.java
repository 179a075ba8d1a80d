package org.ternmq.jms;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueReceiver;
import jakarta.jms.QueueSender;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;
import jakarta.jms.TopicSession;
import jakarta.jms.TopicSubscriber;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.client.ClientConsumer;
import org.ternmq.client.ClientException;
import org.ternmq.client.ClientSession;
import org.ternmq.client.Delivery;
import org.ternmq.jms.destination.TernDestination;
import org.ternmq.jms.message.MessageAcknowledger;
import org.ternmq.jms.message.TernBytesMessage;
import org.ternmq.jms.message.TernMapMessage;
import org.ternmq.jms.message.TernMessage;
import org.ternmq.jms.message.TernObjectMessage;
import org.ternmq.jms.message.TernStreamMessage;
import org.ternmq.jms.message.TernTextMessage;
import org.ternmq.message.EncodedMessage;
import org.ternmq.selector.Selector;
import org.ternmq.selector.SelectorSyntaxException;

/**
 * The classic API session: JMS rules (closed state, ack modes, transactions, domains, callbacks) over a
 * {@link ClientSession}. It owns two lazily started daemon threads: the listener thread that runs its
 * consumers' {@code MessageListener}s one at a time, and the completion thread that runs
 * {@code CompletionListener}s in send order.
 *
 * <p>Thread-safety: a JMS session is for one application thread at a time (plus its listener thread);
 * {@link #close()} may be called from any thread. Longer than most classes because the Session interface
 * is wide: the factory methods are one-liners, the rules live in the few methods that check them.
 */
public class TernSession implements Session, QueueSession, TopicSession {

    private static final Logger LOG = LoggerFactory.getLogger(TernSession.class);

    /** Which domain-specific interface the session was created through (JMS 2.0 table 11-1). */
    enum Domain { ANY, QUEUE, TOPIC }

    private final TernConnection connection;
    private final ClientSession client;
    private final int mode;
    private final Domain domain;
    private final Set<TernMessageConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Set<TernMessageProducer> producers = ConcurrentHashMap.newKeySet();
    private final Set<TernQueueBrowser> browsers = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<Void>> pendingCompletions = ConcurrentHashMap.newKeySet();
    private final ReentrantLock closeLock = new ReentrantLock();
    private final ReentrantLock threadsLock = new ReentrantLock();
    private final MessageAcknowledger acknowledger = this::acknowledgeFromMessage;
    private ExecutorService listenerThread;
    private ExecutorService completionThread;
    private volatile boolean closing;
    private volatile boolean closed;
    /** The delivery the listener thread is handing to a listener now, or -1. */
    private volatile long listenerDelivery = -1;
    private volatile MessageListener sessionListener;

    /** Runs before the session closes on the broker (an XA session acknowledges into its branch). */
    void beforeClose() throws JMSException {
    }

    TernSession(TernConnection connection, ClientSession client, Domain domain) {
        this.connection = connection;
        this.client = client;
        this.mode = client.ackMode();
        this.domain = domain;
    }

    TernConnection connection() {
        return connection;
    }

    ClientSession client() {
        return client;
    }

    void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
        connection.checkOpen();
    }

    private void checkDomain(Domain forbidden, String method) throws JMSException {
        if (domain == forbidden) {
            throw new IllegalStateException(method + " may not be called on a " + domain.name().toLowerCase()
                    + " session");
        }
    }

    /** AUTO and DUPS_OK, and an XA session outside a transaction, which works as AUTO (the XASession javadoc). */
    private boolean acknowledgesEach() {
        return mode == AUTO_ACKNOWLEDGE || mode == DUPS_OK_ACKNOWLEDGE || (client.isXa() && !client.isXaAssociated());
    }

    // ---- messages -------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return new TernBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return new TernMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return new TernMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return new TernObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        checkOpen();
        TernObjectMessage message = new TernObjectMessage();
        message.setObject(object);
        return message;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return new TernStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return new TernTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        checkOpen();
        return new TernTextMessage(text);
    }

    // ---- mode and transactions ------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return mode;
    }

    @Override
    public void commit() throws JMSException {
        checkTransactionControl("commit");
        try {
            client.commit();
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    @Override
    public void rollback() throws JMSException {
        checkTransactionControl("rollback");
        try {
            client.rollback();
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    private void checkTransactionControl(String what) throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException(what + " on a session that is not transacted");
        }
        if (CallbackThreads.completionSession() == this) {
            throw new IllegalStateException(what + " from a CompletionListener of the same session");
        }
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (mode == SESSION_TRANSACTED || client.isXaAssociated()) {
            throw new IllegalStateException("recover on a transacted session");
        }
        try {
            client.recover();
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    // ---- closing -------------------------------------------------------------------------------------------

    /**
     * Waits for a running listener and pending asynchronous sends, then closes consumers, producers and
     * browsers and the session on the broker (which rolls back a transaction in progress). Idempotent.
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (CallbackThreads.inCallbackOf(this)) {
            throw new IllegalStateException("a listener must not close its own session");
        }
        closeLock.lock();
        try {
            if (closed) {
                return;
            }
            closing = true;
            awaitListenerIdle();
            awaitCompletions();
            closed = true;
            for (TernQueueBrowser browser : new ArrayList<>(browsers)) {
                browser.close();
            }
            for (TernMessageConsumer consumer : consumers) {
                consumer.sessionClosed();
            }
            for (TernMessageProducer producer : producers) {
                producer.sessionClosed();
            }
            consumers.clear();
            producers.clear();
            try {
                beforeClose();
                client.close();
            } catch (ClientException e) {
                if (!e.isConnectionFailure()) {
                    throw JmsExceptions.from(e);
                }
            } finally {
                shutdownThreads();
                connection.removed(this);
            }
        } finally {
            closeLock.unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }

    void removed(TernMessageConsumer consumer) {
        consumers.remove(consumer);
    }

    void removed(TernMessageProducer producer) {
        producers.remove(producer);
    }

    void removed(TernQueueBrowser browser) {
        browsers.remove(browser);
    }

    // ---- consumers ------------------------------------------------------------------------------------

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return createConsumer(destination, null, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return consumer(destination, messageSelector, noLocal, null, false, false);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createSharedConsumer(topic, sharedSubscriptionName, null);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createSharedConsumer");
        return consumer(topic, messageSelector, false, requireName(sharedSubscriptionName), false, true);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return createDurableSubscriber(topic, name, null, false);
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createDurableSubscriber");
        return durable(topic, name, messageSelector, noLocal);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createDurableConsumer");
        return durable(topic, name, messageSelector, noLocal);
    }

    private TernMessageConsumer durable(Topic topic, String name, String selector, boolean noLocal)
            throws JMSException {
        String subscription = requireName(name);
        if (connection.getClientID() == null) {
            throw new IllegalStateException("an unshared durable subscription needs the connection's client id");
        }
        return consumer(topic, selector, noLocal, subscription, true, false);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createSharedDurableConsumer");
        return consumer(topic, messageSelector, false, requireName(name), true, true);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return createReceiver(queue, null);
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return consumer(queue, messageSelector, false, null, false, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return createSubscriber(topic, null, false);
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        return consumer(topic, messageSelector, noLocal, null, false, false);
    }

    private static String requireName(String name) throws JMSException {
        if (name == null || name.isEmpty()) {
            throw new InvalidDestinationException("subscription name must not be null or empty");
        }
        return name;
    }

    private TernMessageConsumer consumer(Destination destination, String selector, boolean noLocal,
            String subscription, boolean durable, boolean shared) throws JMSException {
        checkOpen();
        TernDestination target = consumable(destination);
        String normalized = validSelector(selector);
        ClientConsumer core;
        try {
            core = client.createConsumer(target.address(), normalized, noLocal, subscription, durable, shared);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
        TernMessageConsumer consumer = new TernMessageConsumer(this, core, target, normalized, noLocal);
        consumers.add(consumer);
        return consumer;
    }

    private TernDestination consumable(Destination destination) throws JMSException {
        TernDestination target = TernDestination.fromForeign(destination);
        if (target == null) {
            throw new InvalidDestinationException("destination must not be null");
        }
        if (target.isTemporary() && !connection.ownsTemporary(target.address())) {
            throw new InvalidDestinationException("temporary destination " + target
                    + " was deleted or belongs to another connection");
        }
        return target;
    }

    /** @return the selector, null when blank; @throws InvalidSelectorException when it does not parse */
    static String validSelector(String selector) throws JMSException {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        try {
            Selector.parse(selector);
        } catch (SelectorSyntaxException e) {
            InvalidSelectorException ise = new InvalidSelectorException(e.getMessage());
            ise.initCause(e);
            throw ise;
        }
        return selector;
    }

    // ---- producers, browsers, destinations -----------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        return producer(destination);
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return producer(queue);
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return producer(topic);
    }

    private TernMessageProducer producer(Destination destination) throws JMSException {
        checkOpen();
        TernMessageProducer producer = new TernMessageProducer(this, TernDestination.fromForeign(destination));
        producers.add(producer);
        return producer;
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createBrowser");
        TernDestination target = consumable(queue);
        TernQueueBrowser browser = new TernQueueBrowser(this, (Queue) target, validSelector(messageSelector));
        browsers.add(browser);
        return browser;
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createQueue");
        if (queueName == null || queueName.isEmpty()) {
            throw new InvalidDestinationException("queue name must not be null or empty");
        }
        return new org.ternmq.jms.destination.TernQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createTopic");
        if (topicName == null || topicName.isEmpty()) {
            throw new InvalidDestinationException("topic name must not be null or empty");
        }
        return new org.ternmq.jms.destination.TernTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        checkDomain(Domain.TOPIC, "createTemporaryQueue");
        return connection.createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "createTemporaryTopic");
        return connection.createTemporaryTopic();
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        checkDomain(Domain.QUEUE, "unsubscribe");
        requireName(name);
        try {
            connection.client().unsubscribe(name);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    // ---- session-level listener (application-server facility) --------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return sessionListener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        sessionListener = listener;
    }

    /** Part of the optional application-server facility; Tern has no server session pool, so nothing to run. */
    @Override
    public void run() {
        // nothing: messages reach consumers' own listeners
    }

    // ---- receiving ------------------------------------------------------------------------------------

    /**
     * Turns a delivery the application receives synchronously into a message, acknowledging it at once in the
     * auto and dups-ok modes (JMS 6.2.10: acknowledged when receive returns).
     */
    Message received(Delivery delivery) throws JMSException {
        if (delivery == null) {
            return null;
        }
        TernMessage message = toMessage(delivery);
        if (acknowledgesEach()) {
            try {
                acknowledgeEach(delivery);
            } catch (ClientException e) {
                throw JmsExceptions.from(e);
            }
        }
        return message;
    }

    /**
     * Auto-acknowledge and dups-ok: batched by the client session, never a round trip per message (JMS 6.2.10
     * lets a failure redeliver what was consumed but not yet acknowledged, marked redelivered).
     */
    private void acknowledgeEach(Delivery delivery) throws ClientException {
        client.acknowledge(delivery);
    }

    private TernMessage toMessage(Delivery delivery) throws JMSException {
        TernMessage message;
        try {
            org.ternmq.client.LargeBodyReceiver body = delivery.message().isLarge()
                    ? client.connection().largeBody(delivery.deliveryId(), delivery.message().largeBodySize()) : null;
            message = connection.trust(TernMessage.decode(delivery.message(), delivery.deliveryCount(), body));
        } catch (RuntimeException e) {
            throw JmsExceptions.from("cannot decode message " + delivery.message().messageId(), e);
        }
        message.setAcknowledger(acknowledger);
        return message;
    }

    /** Message.acknowledge(): in client-acknowledge mode, everything the session has consumed so far. */
    private void acknowledgeFromMessage() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session of this message is closed");
        }
        if (mode == CLIENT_ACKNOWLEDGE) {
            try {
                client.acknowledgeAll();
            } catch (ClientException e) {
                throw JmsExceptions.from(e);
            }
        }
    }

    // ---- listener thread ---------------------------------------------------------------------------------

    /** Starts the listener thread if needed; called on the application thread that sets a listener. */
    void prepareListenerThread() {
        threadsLock.lock();
        try {
            if (listenerThread == null && !closed) {
                listenerThread = Executors.newSingleThreadExecutor(daemon("tern-listener-" + connection.client()
                        .connectionId() + "-" + client.id()));
            }
        } finally {
            threadsLock.unlock();
        }
    }

    /**
     * Schedules the consumer's buffered messages for its listener. Called on the event loop when a delivery
     * arrives (and on start): must not block, so it only queues a task.
     */
    void scheduleDispatch(TernMessageConsumer consumer) {
        ExecutorService executor = listenerThread;
        if (executor == null || closing || !consumer.markScheduled()) {
            return;
        }
        try {
            executor.execute(() -> dispatch(consumer));
        } catch (RejectedExecutionException e) {
            consumer.clearScheduled();
        }
    }

    private void dispatch(TernMessageConsumer consumer) {
        consumer.clearScheduled();
        CallbackThreads.enterListener(this);
        try {
            while (!closing && !consumer.isClosed()) {
                MessageListener listener = consumer.listener();
                if (listener == null) {
                    return;
                }
                Delivery delivery = consumer.client().poll();
                if (delivery == null) {
                    return;
                }
                deliver(listener, delivery);
            }
        } finally {
            CallbackThreads.exitListener();
        }
    }

    private void deliver(MessageListener listener, Delivery delivery) {
        boolean failed = false;
        listenerDelivery = delivery.deliveryId();
        try {
            listener.onMessage(toMessage(delivery));
        } catch (JMSException | RuntimeException e) {
            LOG.warn("message listener failed on delivery {}", delivery.deliveryId(), e);
            failed = true;
            // so that a message that ends in the dead-letter queue says why
            client.reportFailure(delivery.deliveryId(), e.getClass().getName() + ": " + e.getMessage());
        } finally {
            listenerDelivery = -1;
        }
        if (!acknowledgesEach() || closed) {
            return;
        }
        try {
            if (failed) {
                // JMS 8.7: a listener that throws in an auto-acknowledge session gets the message again
                client.recover();
            } else {
                acknowledgeEach(delivery);
            }
        } catch (ClientException e) {
            LOG.warn("cannot acknowledge delivery {} after its listener: {}", delivery.deliveryId(), e.getMessage());
        }
    }

    /**
     * Called from inside a {@code MessageListener} of this session: records why the application failed on the
     * message being delivered, so that if the message ends in the dead-letter queue it says why
     * ({@code JMS_TERN_DeadLetterException}). For containers that handle a listener's failure themselves (a
     * resource adapter rolling back an MDB's transaction) instead of letting the exception out of
     * {@code onMessage}; a listener that throws has its failure recorded anyway. Ignored outside a listener.
     */
    public void reportDeliveryFailure(Throwable cause) {
        long delivery = listenerDelivery;
        if (delivery >= 0 && cause != null && CallbackThreads.listenerSession() == this) {
            client.reportFailure(delivery, cause.getClass().getName() + ": " + cause.getMessage());
        }
    }

    /** Waits until no listener of this session runs (the caller must not be that listener). */
    void awaitListenerIdle() throws JMSException {
        ExecutorService executor;
        threadsLock.lock();
        try {
            executor = listenerThread;
        } finally {
            threadsLock.unlock();
        }
        if (executor == null || CallbackThreads.listenerSession() == this) {
            return;
        }
        try {
            executor.submit(() -> { }).get();
        } catch (RejectedExecutionException e) {
            // already shut down: nothing runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for a message listener to return");
        } catch (ExecutionException e) {
            throw new JMSException("waiting for the listener thread failed: " + e.getCause());
        }
    }

    // ---- sending -------------------------------------------------------------------------------------------

    /** Sends synchronously: returns when the broker has the message. */
    void send(EncodedMessage message) throws JMSException {
        send(message, null);
    }

    /** Sends; a non-null {@code body} is the body of a large message, read and sent in chunks. */
    void send(EncodedMessage message, java.io.InputStream body) throws JMSException {
        checkOpen();
        try {
            client.send(message, body);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    /**
     * Sends asynchronously; {@code listener} is called on the completion thread, in send order, with
     * {@code message} (whose headers the caller has already set).
     */
    void sendAsync(EncodedMessage encoded, Message message, CompletionListener listener) throws JMSException {
        sendAsync(encoded, null, message, listener);
    }

    /** As above; a non-null {@code body} is the body of a large message (read and sent before this returns). */
    void sendAsync(EncodedMessage encoded, java.io.InputStream body, Message message, CompletionListener listener)
            throws JMSException {
        checkOpen();
        ExecutorService executor = completionThread();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pendingCompletions.add(done);
        CompletableFuture<Void> sent;
        try {
            sent = body != null ? client.sendLarge(encoded, body) : client.sendAsync(encoded);
        } catch (ClientException e) {
            pendingCompletions.remove(done);
            throw JmsExceptions.from(e);
        }
        sent.whenComplete((ok, error) -> {
            Runnable callback = () -> {
                CallbackThreads.enterCompletion(this);
                try {
                    if (error == null) {
                        listener.onCompletion(message);
                    } else {
                        listener.onException(message, JmsExceptions.from(
                                error instanceof ClientException c ? c
                                        : new ClientException(org.ternmq.protocol.ErrorCode.INTERNAL, String.valueOf(error), error)));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("completion listener failed", e);
                } finally {
                    CallbackThreads.exitCompletion();
                    pendingCompletions.remove(done);
                    done.complete(null);
                }
            };
            try {
                executor.execute(callback);
            } catch (RejectedExecutionException e) {
                pendingCompletions.remove(done);
                done.complete(null);
            }
        });
    }

    private ExecutorService completionThread() {
        threadsLock.lock();
        try {
            if (completionThread == null) {
                completionThread = Executors.newSingleThreadExecutor(daemon("tern-completion-"
                        + connection.client().connectionId() + "-" + client.id()));
            }
            return completionThread;
        } finally {
            threadsLock.unlock();
        }
    }

    /** Waits until every asynchronous send of this session has had its callback (JMS 7.3.8). */
    void awaitCompletions() throws JMSException {
        CompletableFuture<?>[] pending = pendingCompletions.toArray(new CompletableFuture<?>[0]);
        if (pending.length == 0) {
            return;
        }
        try {
            CompletableFuture.allOf(pending).get(connection.client().url().requestTimeoutMillis() * 2L,
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for asynchronous sends");
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("asynchronous sends still pending at session close: {}", e.toString());
        }
    }

    private void shutdownThreads() {
        threadsLock.lock();
        try {
            if (listenerThread != null) {
                listenerThread.shutdown();
            }
            if (completionThread != null) {
                completionThread.shutdown();
            }
        } finally {
            threadsLock.unlock();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "TernSession[" + client + ", mode=" + mode + "]";
    }
}
