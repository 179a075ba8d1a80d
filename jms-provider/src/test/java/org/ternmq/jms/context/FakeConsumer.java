package org.ternmq.jms.context;

import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;

/**
 * An in-memory classic {@link MessageConsumer} for unit tests. Receives never block: they take the head of the
 * destination's FIFO if the connection is started, else return null. A listener is not driven by a thread of
 * the fake: the test calls {@link #deliverNext()} from whichever thread should play the delivery thread.
 */
final class FakeConsumer implements MessageConsumer {

    private final FakeSession session;
    private final Destination destination;
    private final String selector;
    private volatile MessageListener listener;
    private volatile boolean closed;

    FakeConsumer(FakeSession session, Destination destination, String selector) {
        this.session = session;
        this.destination = destination;
        this.selector = selector;
    }

    boolean isClosed() {
        return closed;
    }

    /** Plays the session's delivery thread: hands the next message, if any, to the listener. */
    boolean deliverNext() {
        Message message = take();
        if (message == null) {
            return false;
        }
        listener.onMessage(message);
        return true;
    }

    private Message take() {
        if (!session.connection.isStarted()) {
            return null;
        }
        Message message = session.connection.queue(destination).pollFirst();
        if (message != null) {
            session.received(message);
        }
        return message;
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
        this.listener = listener;
    }

    @Override
    public Message receive() throws JMSException {
        return receiveNoWait();
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return receiveNoWait();
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        checkOpen();
        return take();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() throws IllegalStateException {
        if (closed) {
            throw new IllegalStateException("consumer closed");
        }
    }
}
