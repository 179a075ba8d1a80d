package org.ternmq.ra;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.QueueReceiver;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

/**
 * A consumer of a {@link TernSessionHandle}: synchronous receives only (message listeners belong to MDBs in a
 * container), closed with its session.
 */
final class ConsumerHandle implements MessageConsumer, QueueReceiver, TopicSubscriber {

    private final TernSessionHandle session;
    private final MessageConsumer delegate;

    ConsumerHandle(TernSessionHandle session, MessageConsumer delegate) {
        this.session = session;
        this.delegate = delegate;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        return delegate.getMessageSelector();
    }

    @Override
    public MessageListener getMessageListener() throws JMSException {
        throw TernSessionHandle.listenerRefused();
    }

    @Override
    public void setMessageListener(MessageListener listener) throws JMSException {
        throw TernSessionHandle.listenerRefused();
    }

    @Override
    public Message receive() throws JMSException {
        return delegate.receive();
    }

    @Override
    public Message receive(long timeout) throws JMSException {
        return delegate.receive(timeout);
    }

    @Override
    public Message receiveNoWait() throws JMSException {
        return delegate.receiveNoWait();
    }

    @Override
    public void close() throws JMSException {
        session.forget(this);
        delegate.close();
    }

    @Override
    public Queue getQueue() throws JMSException {
        return ((QueueReceiver) delegate).getQueue();
    }

    @Override
    public Topic getTopic() throws JMSException {
        return ((TopicSubscriber) delegate).getTopic();
    }

    @Override
    public boolean getNoLocal() throws JMSException {
        return ((TopicSubscriber) delegate).getNoLocal();
    }
}
