package org.ternmq.jms.context;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
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
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * An in-memory classic {@link Session} for unit tests: acknowledgement modes (AUTO and DUPS_OK forget a message
 * once received, CLIENT keeps it until {@link Message#acknowledge()}, transacted keeps sends and receipts until
 * commit), recover and rollback put messages back in front marked redelivered, and asynchronous sends complete
 * on one session thread, in order. A selector starting with {@code "invalid"} is refused.
 */
final class FakeSession implements Session {

    final FakeConnection connection;
    final int mode;
    final List<FakeConsumer> consumers = new CopyOnWriteArrayList<>();
    final List<FakeProducer> producers = new CopyOnWriteArrayList<>();
    final Set<String> durableSubscriptions = ConcurrentHashMap.newKeySet();
    private final List<Message> unacknowledged = new CopyOnWriteArrayList<>();
    private final List<Message> receivedInTransaction = new CopyOnWriteArrayList<>();
    private final List<Object[]> sentInTransaction = new CopyOnWriteArrayList<>();
    private ExecutorService completions;
    private volatile boolean closed;
    private volatile int acknowledgeCalls;
    private volatile int commits;
    private volatile int rollbacks;

    FakeSession(FakeConnection connection, int mode) {
        this.connection = connection;
        this.mode = mode;
    }

    boolean isClosed() {
        return closed;
    }

    int acknowledgeCalls() {
        return acknowledgeCalls;
    }

    int commits() {
        return commits;
    }

    int rollbacks() {
        return rollbacks;
    }

    List<Message> unacknowledged() {
        return unacknowledged;
    }

    // ---- what producers and consumers call ------------------------------------------------------------------

    void send(Destination destination, Message message) {
        if (mode == SESSION_TRANSACTED) {
            sentInTransaction.add(new Object[] {destination, message});
        } else {
            enqueue(destination, message);
        }
    }

    private void enqueue(Destination destination, Message message) {
        connection.queue(destination).addLast(FakeMessage.state(message).receivedCopy(this));
    }

    void received(Message message) {
        if (mode == CLIENT_ACKNOWLEDGE) {
            unacknowledged.add(message);
        } else if (mode == SESSION_TRANSACTED) {
            receivedInTransaction.add(message);
        }
    }

    synchronized void complete(Runnable callback) {
        if (completions == null) {
            completions = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fake-completion");
                t.setDaemon(true);
                return t;
            });
        }
        completions.execute(callback);
    }

    void acknowledgeAll() throws JMSException {
        checkOpen();
        acknowledgeCalls++;
        unacknowledged.clear();
    }

    private void putBack(List<Message> messages) throws JMSException {
        List<Message> reversed = new ArrayList<>(messages);
        Collections.reverse(reversed);
        for (Message m : reversed) {
            m.setJMSRedelivered(true);
            connection.queue(m.getJMSDestination()).addFirst(m);
        }
        messages.clear();
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("session closed");
        }
    }

    // ---- Session --------------------------------------------------------------------------------------------

    @Override
    public boolean getTransacted() {
        return mode == SESSION_TRANSACTED;
    }

    @Override
    public int getAcknowledgeMode() {
        return mode;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("not transacted");
        }
        for (Object[] send : sentInTransaction) {
            enqueue((Destination) send[0], (Message) send[1]);
        }
        sentInTransaction.clear();
        receivedInTransaction.clear();
        commits++;
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        if (mode != SESSION_TRANSACTED) {
            throw new IllegalStateException("not transacted");
        }
        sentInTransaction.clear();
        putBack(receivedInTransaction);
        rollbacks++;
    }

    @Override
    public void recover() throws JMSException {
        checkOpen();
        if (mode == SESSION_TRANSACTED) {
            throw new IllegalStateException("transacted");
        }
        putBack(unacknowledged);
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        ExecutorService pending;
        synchronized (this) {
            pending = completions;
        }
        if (pending != null) {
            // like a real session: close waits for outstanding completion callbacks
            pending.shutdown();
            try {
                pending.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (FakeConsumer consumer : consumers) {
            consumer.close();
        }
        closed = true;
    }

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(BytesMessage.class, this);
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(MapMessage.class, this);
    }

    @Override
    public Message createMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(Message.class, this);
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(ObjectMessage.class, this);
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        ObjectMessage message = createObjectMessage();
        message.setObject(object);
        return message;
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(StreamMessage.class, this);
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        checkOpen();
        return FakeMessage.create(TextMessage.class, this);
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        TextMessage message = createTextMessage();
        message.setText(text);
        return message;
    }

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        checkOpen();
        FakeProducer producer = new FakeProducer(this, destination);
        producers.add(producer);
        return producer;
    }

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
        checkOpen();
        if (destination == null) {
            throw new InvalidDestinationException("null destination", "FAKE-DEST");
        }
        if (messageSelector != null && messageSelector.startsWith("invalid")) {
            throw new InvalidSelectorException("bad selector " + messageSelector, "FAKE-SEL");
        }
        FakeConsumer consumer = new FakeConsumer(this, destination, messageSelector);
        consumers.add(consumer);
        return consumer;
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) throws JMSException {
        return createConsumer(topic, null, false);
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector)
            throws JMSException {
        return createConsumer(topic, messageSelector, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return createDurableConsumer(topic, name, null, false);
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        checkOpen();
        if (connection.getClientID() == null) {
            throw new IllegalStateException("a durable subscription needs a client id", "FAKE-NOCID");
        }
        MessageConsumer consumer = createConsumer(topic, messageSelector, noLocal);
        durableSubscriptions.add(name);
        return consumer;
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return createSharedDurableConsumer(topic, name, null);
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        MessageConsumer consumer = createConsumer(topic, messageSelector, false);
        durableSubscriptions.add(name);
        return consumer;
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        checkOpen();
        if (!durableSubscriptions.remove(name)) {
            throw new InvalidDestinationException("no subscription " + name, "FAKE-NOSUB");
        }
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        checkOpen();
        if (messageSelector != null && messageSelector.startsWith("invalid")) {
            throw new InvalidSelectorException("bad selector " + messageSelector, "FAKE-SEL");
        }
        return new QueueBrowser() {
            @Override
            public Queue getQueue() {
                return queue;
            }

            @Override
            public String getMessageSelector() {
                return messageSelector;
            }

            @Override
            public Enumeration<Message> getEnumeration() {
                return Collections.enumeration(new ArrayList<>(connection.queue(queue)));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        checkOpen();
        return new FakeQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        checkOpen();
        return new FakeTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        checkOpen();
        return new FakeQueue("temp-" + System.nanoTime());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        checkOpen();
        return new FakeTopic("temp-" + System.nanoTime());
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector,
            boolean noLocal) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MessageListener getMessageListener() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException();
    }
}
