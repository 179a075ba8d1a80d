package org.ternmq.jms.context;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionConsumer;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.ServerSessionPool;
import jakarta.jms.Session;
import jakarta.jms.Topic;

/**
 * An in-memory classic {@link Connection} for unit tests of the context layer, with its own tiny "broker": one
 * FIFO of messages per destination name (topics behave like queues; there is one consumer per test). It
 * follows the classic rules the context relies on: the client id can be set only before the first session,
 * closed objects throw {@link IllegalStateException}. Thread-safe enough for a listener or completion thread
 * next to the test thread.
 */
final class FakeConnection implements Connection {

    /** Client ids "already running elsewhere", to provoke InvalidClientIDException. */
    final Set<String> clientIdsInUse = ConcurrentHashMap.newKeySet();
    final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, ConcurrentLinkedDeque<Message>> destinations = new ConcurrentHashMap<>();
    private volatile String clientId;
    private volatile boolean used;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile int startCalls;
    private volatile ExceptionListener exceptionListener;

    boolean isStarted() {
        return started;
    }

    boolean isClosed() {
        return closed;
    }

    int startCalls() {
        return startCalls;
    }

    /** @return the messages waiting on a destination */
    ConcurrentLinkedDeque<Message> queue(Destination destination) {
        return destinations.computeIfAbsent(nameOf(destination), n -> new ConcurrentLinkedDeque<>());
    }

    static String nameOf(Destination destination) {
        if (destination instanceof FakeQueue q) {
            return "queue:" + q.name();
        }
        if (destination instanceof Topic t) {
            try {
                return "topic:" + t.getTopicName();
            } catch (JMSException e) {
                throw new IllegalArgumentException(e);
            }
        }
        throw new IllegalArgumentException("not a fake destination: " + destination);
    }

    @Override
    public Session createSession(boolean transacted, int acknowledgeMode) throws JMSException {
        return createSession(transacted ? Session.SESSION_TRANSACTED : acknowledgeMode);
    }

    @Override
    public Session createSession(int sessionMode) throws JMSException {
        checkOpen();
        used = true;
        FakeSession session = new FakeSession(this, sessionMode);
        sessions.add(session);
        return session;
    }

    @Override
    public Session createSession() throws JMSException {
        return createSession(Session.AUTO_ACKNOWLEDGE);
    }

    @Override
    public String getClientID() throws JMSException {
        checkOpen();
        return clientId;
    }

    @Override
    public void setClientID(String clientID) throws JMSException {
        checkOpen();
        if (clientId != null || used) {
            throw new IllegalStateException("client id can only be set first", "FAKE-ISE");
        }
        if (clientIdsInUse.contains(clientID)) {
            throw new InvalidClientIDException("client id " + clientID + " in use", "FAKE-DUP");
        }
        clientId = clientID;
    }

    @Override
    public ConnectionMetaData getMetaData() throws JMSException {
        checkOpen();
        throw new UnsupportedOperationException("no metadata in the fake");
    }

    @Override
    public ExceptionListener getExceptionListener() throws JMSException {
        checkOpen();
        return exceptionListener;
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) throws JMSException {
        checkOpen();
        used = true;
        exceptionListener = listener;
    }

    @Override
    public void start() throws JMSException {
        checkOpen();
        used = true;
        started = true;
        startCalls++;
    }

    @Override
    public void stop() throws JMSException {
        checkOpen();
        started = false;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        for (FakeSession session : sessions) {
            session.close();
        }
        closed = true;
    }

    void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("connection closed");
        }
    }

    @Override
    public ConnectionConsumer createConnectionConsumer(Destination destination, String messageSelector,
            ServerSessionPool sessionPool, int maxMessages) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConnectionConsumer createSharedConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConnectionConsumer createDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConnectionConsumer createSharedDurableConnectionConsumer(Topic topic, String subscriptionName,
            String messageSelector, ServerSessionPool sessionPool, int maxMessages) {
        throw new UnsupportedOperationException();
    }
}
