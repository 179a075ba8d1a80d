package org.ternmq.ra;

import java.io.Serializable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
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
import jakarta.jms.TransactionInProgressException;

/**
 * A session of a connection handle, with the rules of Jakarta Messaging for the EE web and EJB containers:
 * inside a transaction (the container's XA transaction, or a local one it runs) its work belongs to the
 * transaction whatever arguments created it, and {@code commit}, {@code rollback} and {@code recover} throw;
 * outside one it is a non-transacted, auto-acknowledge session. No message listeners or asynchronous sends,
 * which the container's threads do not allow. Its producers, consumers and browsers are closed with it (and
 * when the container takes the connection back).
 *
 * <p>Thread-safety: one application thread at a time, like a JMS session.
 */
final class TernSessionHandle implements Session, QueueSession, TopicSession {

    private final TernConnectionHandle connection;
    private final Set<AutoCloseable> children = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    TernSessionHandle(TernConnectionHandle connection) {
        this.connection = connection;
    }

    boolean isClosed() {
        return closed;
    }

    /** The physical session the current transaction calls for. */
    private Session physical() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        return connection.managed().currentSession();
    }

    private boolean inTransaction() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        return connection.managed().inTransaction();
    }

    private static IllegalStateException notInContainer(String what) {
        return new IllegalStateException(what + " may not be called by an application in a Jakarta EE web or EJB "
                + "container (Jakarta Messaging 3.1, chapter 12)");
    }

    <T extends AutoCloseable> T track(T child) {
        children.add(child);
        return child;
    }

    void forget(AutoCloseable child) {
        children.remove(child);
    }

    // ---- transactions -------------------------------------------------------------------------------

    @Override
    public boolean getTransacted() throws JMSException {
        return inTransaction();
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        return inTransaction() ? SESSION_TRANSACTED : AUTO_ACKNOWLEDGE;
    }

    @Override
    public void commit() throws JMSException {
        if (inTransaction()) {
            throw new TransactionInProgressException("the container commits the transaction this session works in");
        }
        throw new IllegalStateException("commit on a session that is not in a transaction");
    }

    @Override
    public void rollback() throws JMSException {
        if (inTransaction()) {
            throw new TransactionInProgressException("the container rolls back the transaction this session works "
                    + "in (setRollbackOnly)");
        }
        throw new IllegalStateException("rollback on a session that is not in a transaction");
    }

    @Override
    public void recover() throws JMSException {
        if (inTransaction()) {
            throw new IllegalStateException("recover on a session that works in a transaction");
        }
        physical().recover();
    }

    // ---- messages ---------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() throws JMSException {
        return physical().createBytesMessage();
    }

    @Override
    public MapMessage createMapMessage() throws JMSException {
        return physical().createMapMessage();
    }

    @Override
    public Message createMessage() throws JMSException {
        return physical().createMessage();
    }

    @Override
    public ObjectMessage createObjectMessage() throws JMSException {
        return physical().createObjectMessage();
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) throws JMSException {
        return physical().createObjectMessage(object);
    }

    @Override
    public StreamMessage createStreamMessage() throws JMSException {
        return physical().createStreamMessage();
    }

    @Override
    public TextMessage createTextMessage() throws JMSException {
        return physical().createTextMessage();
    }

    @Override
    public TextMessage createTextMessage(String text) throws JMSException {
        return physical().createTextMessage(text);
    }

    // ---- producers, consumers, browsers -------------------------------------------------------------

    @Override
    public MessageProducer createProducer(Destination destination) throws JMSException {
        return track(new ProducerHandle(this, physical().createProducer(destination)));
    }

    @Override
    public QueueSender createSender(Queue queue) throws JMSException {
        return track(new ProducerHandle(this, physical().createProducer(queue)));
    }

    @Override
    public TopicPublisher createPublisher(Topic topic) throws JMSException {
        return track(new ProducerHandle(this, physical().createProducer(topic)));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(destination)));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(destination, messageSelector)));
    }

    @Override
    public MessageConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(destination, messageSelector, noLocal)));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name) throws JMSException {
        return track(new ConsumerHandle(this, physical().createSharedConsumer(topic, name)));
    }

    @Override
    public MessageConsumer createSharedConsumer(Topic topic, String name, String messageSelector) throws JMSException {
        return track(new ConsumerHandle(this, physical().createSharedConsumer(topic, name, messageSelector)));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name) throws JMSException {
        return track(new ConsumerHandle(this, physical().createDurableSubscriber(topic, name)));
    }

    @Override
    public TopicSubscriber createDurableSubscriber(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(new ConsumerHandle(this, physical().createDurableSubscriber(topic, name, messageSelector, noLocal)));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name) throws JMSException {
        return track(new ConsumerHandle(this, physical().createDurableConsumer(topic, name)));
    }

    @Override
    public MessageConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal)
            throws JMSException {
        return track(new ConsumerHandle(this, physical().createDurableConsumer(topic, name, messageSelector, noLocal)));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name) throws JMSException {
        return track(new ConsumerHandle(this, physical().createSharedDurableConsumer(topic, name)));
    }

    @Override
    public MessageConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector)
            throws JMSException {
        return track(new ConsumerHandle(this, physical().createSharedDurableConsumer(topic, name, messageSelector)));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(queue)));
    }

    @Override
    public QueueReceiver createReceiver(Queue queue, String messageSelector) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(queue, messageSelector)));
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(topic)));
    }

    @Override
    public TopicSubscriber createSubscriber(Topic topic, String messageSelector, boolean noLocal) throws JMSException {
        return track(new ConsumerHandle(this, physical().createConsumer(topic, messageSelector, noLocal)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) throws JMSException {
        return track(physical().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) throws JMSException {
        return track(physical().createBrowser(queue, messageSelector));
    }

    // ---- destinations -------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) throws JMSException {
        return physical().createQueue(queueName);
    }

    @Override
    public Topic createTopic(String topicName) throws JMSException {
        return physical().createTopic(topicName);
    }

    @Override
    public TemporaryQueue createTemporaryQueue() throws JMSException {
        return physical().createTemporaryQueue();
    }

    @Override
    public TemporaryTopic createTemporaryTopic() throws JMSException {
        return physical().createTemporaryTopic();
    }

    @Override
    public void unsubscribe(String name) throws JMSException {
        physical().unsubscribe(name);
    }

    // ---- what the container owns ------------------------------------------------------------------

    @Override
    public MessageListener getMessageListener() throws JMSException {
        throw notInContainer("Session.getMessageListener");
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        throw notInContainer("Session.setMessageListener");
    }

    @Override
    public void run() {
        throw new java.lang.IllegalStateException("Session.run may not be called by an application in a Jakarta EE "
                + "container");
    }

    /** Closes its producers, consumers and browsers; the physical session stays with the pooled connection. */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        JMSException first = null;
        for (AutoCloseable c : children) {
            try {
                c.close();
            } catch (JMSException e) {
                first = first == null ? e : first;
            } catch (Exception e) {
                if (first == null) {
                    first = new JMSException("closing " + c + " failed: " + e);
                }
            }
        }
        children.clear();
        if (first != null) {
            throw first;
        }
    }

    void closeQuietly() {
        try {
            close();
        } catch (JMSException e) {
            // the container is cleaning up: nothing to report to
        }
    }

    static IllegalStateException asyncSendRefused() {
        return notInContainer("sending with a CompletionListener");
    }

    static IllegalStateException listenerRefused() {
        return notInContainer("MessageConsumer.setMessageListener");
    }
}
