package org.ternmq.jms.context;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;

/**
 * An in-memory classic {@link MessageProducer} for unit tests. It stamps the headers a provider sets on send
 * (destination, delivery mode, priority, expiration, delivery time, id and timestamp unless disabled) and
 * hands the message to its {@link FakeSession}. An asynchronous send completes on the session's completion
 * thread; {@link #failNextAsyncSend} makes the next one complete with that exception instead.
 */
final class FakeProducer implements MessageProducer {

    private static final AtomicLong IDS = new AtomicLong();

    private final FakeSession session;
    private final Destination destination;
    private boolean disableMessageID;
    private boolean disableMessageTimestamp;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = 4;
    private long timeToLive;
    private long deliveryDelay;
    private volatile boolean closed;
    volatile JMSException failNextAsyncSend;

    FakeProducer(FakeSession session, Destination destination) {
        this.session = session;
        this.destination = destination;
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        if (closed) {
            throw new IllegalStateException("producer closed");
        }
        session.checkOpen();
        if (destination == null) {
            throw new InvalidDestinationException("no destination");
        }
        long now = System.currentTimeMillis();
        message.setJMSDestination(destination);
        message.setJMSDeliveryMode(deliveryMode);
        message.setJMSPriority(priority);
        message.setJMSExpiration(timeToLive == 0 ? 0 : now + timeToLive);
        message.setJMSDeliveryTime(now + deliveryDelay);
        message.setJMSMessageID(disableMessageID ? null : "ID:fake-" + IDS.incrementAndGet());
        message.setJMSTimestamp(disableMessageTimestamp ? 0 : now);
        session.send(destination, message);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        JMSException failure = failNextAsyncSend;
        failNextAsyncSend = null;
        if (failure == null) {
            send(destination, message, deliveryMode, priority, timeToLive);
            session.complete(() -> completionListener.onCompletion(message));
        } else {
            session.complete(() -> completionListener.onException(message, failure));
        }
    }

    @Override
    public void send(Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener completionListener)
            throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void setDisableMessageID(boolean value) {
        disableMessageID = value;
    }

    @Override
    public boolean getDisableMessageID() {
        return disableMessageID;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) {
        disableMessageTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() {
        return disableMessageTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) {
        this.deliveryMode = deliveryMode;
    }

    @Override
    public int getDeliveryMode() {
        return deliveryMode;
    }

    @Override
    public void setPriority(int defaultPriority) {
        this.priority = defaultPriority;
    }

    @Override
    public int getPriority() {
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) {
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() {
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) {
        this.deliveryDelay = deliveryDelay;
    }

    @Override
    public long getDeliveryDelay() {
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() {
        return destination;
    }

    @Override
    public void close() {
        closed = true;
    }
}
