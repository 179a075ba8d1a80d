package org.ternmq.jms;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

import org.ternmq.client.ClientConsumer;
import org.ternmq.client.ClientException;
import org.ternmq.jms.destination.TernDestination;

/**
 * The classic API consumer (also a queue receiver and topic subscriber) over a {@link ClientConsumer}.
 *
 * <p>Thread-safety: used by the session's application thread; {@link #close()} may come from any thread,
 * including this consumer's own listener (JMS 2.0: it then returns without waiting for that listener).
 */
public class TernMessageConsumer implements QueueReceiver, TopicSubscriber {

    private final TernSession session;
    private final ClientConsumer client;
    private final TernDestination destination;
    private final String selector;
    private final boolean noLocal;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile MessageListener listener;
    private volatile boolean closed;

    TernMessageConsumer(TernSession session, ClientConsumer client, TernDestination destination, String selector,
            boolean noLocal) {
        this.session = session;
        this.client = client;
        this.destination = destination;
        this.selector = selector;
        this.noLocal = noLocal;
    }

    ClientConsumer client() {
        return client;
    }

    MessageListener listener() {
        return listener;
    }

    boolean isClosed() {
        return closed;
    }

    boolean markScheduled() {
        return scheduled.compareAndSet(false, true);
    }

    void clearScheduled() {
        scheduled.set(false);
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("consumer is closed");
        }
        session.checkOpen();
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selector;
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        checkOpen();
        if (listener != null) {
            session.prepareListenerThread();
        }
        this.listener = listener;
        client.setAvailabilityListener(listener == null ? null : () -> session.scheduleDispatch(this));
    }

    @Override
    public Message receive() throws JMSException {
        return receive(0);
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        checkReceive();
        try {
            return session.received(client.receive(Math.max(0, timeout)));
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkReceive();
        try {
            return session.received(client.receiveNoWait());
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        }
    }

    private void checkReceive() throws JMSException {
        checkOpen();
        if (listener != null) {
            throw new IllegalStateException("receive on a consumer that has a message listener");
        }
    }

    /**
     * Closes the consumer: a receive in progress returns null; a running listener of this consumer finishes
     * first, unless this is that listener. Idempotent.
     */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        client.setAvailabilityListener(null);
        if (CallbackThreads.listenerSession() != session) {
            session.awaitListenerIdle();
        }
        try {
            client.close();
        } catch (ClientException e) {
            if (!e.isConnectionFailure() && !session.isClosed()) {
                throw JmsExceptions.from(e);
            }
        } finally {
            session.removed(this);
        }
    }

    /** The session closed (and returns this consumer's deliveries itself). */
    void sessionClosed() {
        closed = true;
        client.setAvailabilityListener(null);
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return destination instanceof Queue q ? q : null;
    }

    @Override
    public Topic getTopic() throws JMSException {
        checkOpen();
        return destination instanceof Topic t ? t : null;
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        checkOpen();
        return noLocal;
    }

    @Override
    public String toString() {
        return "TernMessageConsumer[" + destination + ", " + client + "]";
    }
}
