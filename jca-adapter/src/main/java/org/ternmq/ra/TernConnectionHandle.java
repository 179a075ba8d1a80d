package org.ternmq.ra;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueSession;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicSession;

/**
 * What an application in the container holds as a JMS connection: a cheap handle on a pooled
 * {@link TernManagedConnection}, with the rules of Jakarta Messaging for the EE web and EJB containers (chapter
 * "Use of JMS API in Jakarta EE applications"): one session per connection; no client id, exception listener,
 * stop or connection consumers, which belong to the container; closing it gives the connection back to the
 * pool.
 *
 * <p>Thread-safety: used by one application thread at a time, like the connection it stands for.
 */
final class TernConnectionHandle implements Connection, QueueConnection, TopicConnection {

    private volatile TernManagedConnection managed;
    private volatile TernSessionHandle session;
    private volatile boolean closed;

    TernConnectionHandle(TernManagedConnection managed) {
        this.managed = managed;
    }

    /** The container moved this handle to another managed connection; returns the previous one. */
    TernManagedConnection reassign(TernManagedConnection to) {
        TernManagedConnection previous = managed;
        managed = to;
        return previous;
    }

    TernManagedConnection managed() throws JMSException {
        checkOpen();
        return managed;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("the connection is closed");
        }
    }

    private static IllegalStateException notInContainer(String what) {
        return new IllegalStateException(what + " may not be called by an application in a Jakarta EE web or EJB "
                + "container (Jakarta Messaging 3.1, chapter 12)");
    }

    // ---- sessions ---------------------------------------------------------------------------------

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return session();
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        return session();
    }

    @Override
    public Session createSession() throws JMSException {
        return session();
    }

    @Override
    public QueueSession createQueueSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return session();
    }

    @Override
    public TopicSession createTopicSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return session();
    }

    /** The session arguments do not matter in a container: the transaction in progress decides (see the class doc). */
    private TernSessionHandle session() throws JMSException {
        checkOpen();
        TernSessionHandle s = session;
        if (s != null && !s.isClosed()) {
            throw new IllegalStateException("a connection in a Jakarta EE container has one session at a time; close "
                    + "the first before creating another");
        }
        s = new TernSessionHandle(this);
        session = s;
        return s;
    }

    // ---- what the container owns ------------------------------------------------------------------

    @Override
    public String getClientID() throws JMSException {
        return managed().physical().getClientID();
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        throw notInContainer("Connection.setClientID");
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        return managed().physical().getMetaData();
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        throw notInContainer("Connection.getExceptionListener");
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        throw notInContainer("Connection.setExceptionListener");
    }

    @Override
    public void start() throws JMSException {
        managed().physical().start();
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        throw notInContainer("Connection.stop");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("Connection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("Connection.createSharedConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("Connection.createDurableConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("Connection.createSharedDurableConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Queue queue, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("QueueConnection.createConnectionConsumer");
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Topic topic, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) throws JMSException {
        throw notInContainer("TopicConnection.createConnectionConsumer");
    }

    /** Closes its session and gives the managed connection back to the container's pool. Idempotent. */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        TernSessionHandle s = session;
        if (s != null) {
            s.close();
        }
        closed = true;
        managed.closed(this);
    }

    /** The container cleaned the managed connection up: this handle is dead, and so is what it made. */
    void invalidate() {
        TernSessionHandle s = session;
        if (s != null) {
            s.closeQuietly();
        }
        closed = true;
    }

    @Override
    public String toString() {
        return "TernConnectionHandle[" + managed + (closed ? ", closed" : "") + "]";
    }
}
