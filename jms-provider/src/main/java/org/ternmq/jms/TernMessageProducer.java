package org.ternmq.jms;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.Queue;
import jakarta.jms.QueueSender;
import jakarta.jms.Topic;
import jakarta.jms.TopicPublisher;

import org.ternmq.jms.destination.TernDestination;
import org.ternmq.jms.message.TernMessage;
import org.ternmq.message.EncodedMessage;

/**
 * The classic API producer (also a queue sender and topic publisher): keeps the send defaults, validates
 * each send, sets the message headers and hands the encoded message to the session.
 *
 * <p>Thread-safety: for the session's application thread; {@link #close()} from any thread.
 */
public class TernMessageProducer implements QueueSender, TopicPublisher {

    private final TernSession session;
    private final TernDestination destination;
    private volatile boolean closed;
    private int deliveryMode = DeliveryMode.PERSISTENT;
    private int priority = Message.DEFAULT_PRIORITY;
    private long timeToLive = Message.DEFAULT_TIME_TO_LIVE;
    private long deliveryDelay = Message.DEFAULT_DELIVERY_DELAY;
    private boolean disableMessageId;
    private boolean disableTimestamp;

    TernSession session() {
        return session;
    }

    TernMessageProducer(TernSession session, TernDestination destination) {
        this.session = session;
        this.destination = destination;
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw new IllegalStateException("producer is closed");
        }
        session.checkOpen();
    }

    // ---- defaults ------------------------------------------------------------------------------------

    @Override
    public void setDisableMessageID(boolean value) throws JMSException {
        checkOpen();
        disableMessageId = value;
    }

    @Override
    public boolean getDisableMessageID() throws JMSException {
        checkOpen();
        return disableMessageId;
    }

    @Override
    public void setDisableMessageTimestamp(boolean value) throws JMSException {
        checkOpen();
        disableTimestamp = value;
    }

    @Override
    public boolean getDisableMessageTimestamp() throws JMSException {
        checkOpen();
        return disableTimestamp;
    }

    @Override
    public void setDeliveryMode(int deliveryMode) throws JMSException {
        checkOpen();
        this.deliveryMode = validDeliveryMode(deliveryMode);
    }

    @Override
    public int getDeliveryMode() throws JMSException {
        checkOpen();
        return deliveryMode;
    }

    @Override
    public void setPriority(int defaultPriority) throws JMSException {
        checkOpen();
        this.priority = validPriority(defaultPriority);
    }

    @Override
    public int getPriority() throws JMSException {
        checkOpen();
        return priority;
    }

    @Override
    public void setTimeToLive(long timeToLive) throws JMSException {
        checkOpen();
        this.timeToLive = timeToLive;
    }

    @Override
    public long getTimeToLive() throws JMSException {
        checkOpen();
        return timeToLive;
    }

    @Override
    public void setDeliveryDelay(long deliveryDelay) throws JMSException {
        checkOpen();
        this.deliveryDelay = deliveryDelay;
    }

    @Override
    public long getDeliveryDelay() throws JMSException {
        checkOpen();
        return deliveryDelay;
    }

    @Override
    public Destination getDestination() throws JMSException {
        checkOpen();
        return destination;
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

    private static int validDeliveryMode(int mode) throws JMSException {
        if (mode != DeliveryMode.PERSISTENT && mode != DeliveryMode.NON_PERSISTENT) {
            throw new JMSException("invalid delivery mode " + mode);
        }
        return mode;
    }

    private static int validPriority(int priority) throws JMSException {
        if (priority < 0 || priority > 9) {
            throw new JMSException("invalid priority " + priority + " (must be 0..9)");
        }
        return priority;
    }

    // ---- sending to the producer's destination ----------------------------------------------------------

    @Override
    public void send(Message message) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        sendToOwn(message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Message message, CompletionListener completionListener) throws JMSException {
        send(message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        sendToOwn(message, deliveryMode, priority, timeToLive, requireListener(completionListener));
    }

    private void sendToOwn(Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        checkOpen();
        if (destination == null) {
            throw new UnsupportedOperationException("this producer has no destination: use send(Destination, ...)");
        }
        doSend(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    private static CompletionListener requireListener(CompletionListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("CompletionListener must not be null");
        }
        return listener;
    }

    // ---- sending to a given destination (anonymous producer) --------------------------------------------

    @Override
    public void send(Destination destination, Message message) throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        sendToGiven(destination, message, deliveryMode, priority, timeToLive, null);
    }

    @Override
    public void send(Destination destination, Message message, CompletionListener completionListener)
            throws JMSException {
        send(destination, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Destination destination, Message message, int deliveryMode, int priority, long timeToLive,
            CompletionListener completionListener) throws JMSException {
        sendToGiven(destination, message, deliveryMode, priority, timeToLive, requireListener(completionListener));
    }

    private void sendToGiven(Destination destination, Message message, int deliveryMode, int priority,
            long timeToLive, CompletionListener completionListener) throws JMSException {
        checkOpen();
        if (this.destination != null) {
            throw new UnsupportedOperationException("this producer has a destination: use send(Message, ...)");
        }
        TernDestination target = TernDestination.fromForeign(destination);
        if (target == null) {
            throw new InvalidDestinationException("destination must not be null");
        }
        doSend(target, message, deliveryMode, priority, timeToLive, completionListener);
    }

    @Override
    public void send(Queue queue, Message message) throws JMSException {
        send((Destination) queue, message);
    }

    @Override
    public void send(Queue queue, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) queue, message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Message message) throws JMSException {
        send(message);
    }

    @Override
    public void publish(Message message, int deliveryMode, int priority, long timeToLive) throws JMSException {
        send(message, deliveryMode, priority, timeToLive);
    }

    @Override
    public void publish(Topic topic, Message message) throws JMSException {
        send((Destination) topic, message);
    }

    @Override
    public void publish(Topic topic, Message message, int deliveryMode, int priority, long timeToLive)
            throws JMSException {
        send((Destination) topic, message, deliveryMode, priority, timeToLive);
    }

    // ---- the send itself -------------------------------------------------------------------------------------

    private void doSend(TernDestination target, Message message, int mode, int prio, long ttl,
            CompletionListener completionListener) throws JMSException {
        if (message == null) {
            throw new MessageFormatException("message must not be null");
        }
        validDeliveryMode(mode);
        validPriority(prio);
        if (target.isTemporary() && session.connection().isClosed()) {
            throw new InvalidDestinationException("temporary destination of a closed connection");
        }
        TernMessage tern = TernMessage.copyOf(message);
        long now = System.currentTimeMillis();
        String messageId = disableMessageId ? null : session.connection().nextMessageId();
        long timestamp = disableTimestamp ? 0L : now;
        long expiration = ttl > 0 ? now + ttl : 0L;
        long deliveryTime = now + Math.max(0L, deliveryDelay);
        setHeaders(tern, target, mode, prio, messageId, timestamp, expiration, deliveryTime);
        if (tern != message) {
            // a foreign message: the application sees the headers the send assigned (JMS 3.4.11)
            setHeaders(message, target, mode, prio, messageId, timestamp, expiration, deliveryTime);
        }
        EncodedMessage encoded;
        try {
            encoded = tern.encode();
        } catch (RuntimeException e) {
            throw JmsExceptions.from("cannot encode message", e);
        }
        java.io.InputStream body = tern.largeInput();
        if (completionListener == null) {
            session.send(encoded, body);
        } else {
            session.sendAsync(encoded, body, message, completionListener);
        }
    }

    private static void setHeaders(Message m, TernDestination target, int mode, int prio, String messageId,
            long timestamp, long expiration, long deliveryTime) throws JMSException {
        m.setJMSDestination(target);
        m.setJMSDeliveryMode(mode);
        m.setJMSPriority(prio);
        m.setJMSMessageID(messageId);
        m.setJMSTimestamp(timestamp);
        m.setJMSExpiration(expiration);
        try {
            m.setJMSDeliveryTime(deliveryTime);
        } catch (AbstractMethodError | UnsupportedOperationException e) {
            // a foreign message of a JMS 1.1 implementation has no delivery time
        }
    }

    // ---- closing -------------------------------------------------------------------------------------------

    /** Idempotent. Not allowed from a completion listener of this session (it would wait for itself). */
    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        if (CallbackThreads.completionSession() == session) {
            throw new IllegalStateException("a CompletionListener must not close its own producer");
        }
        closed = true;
        session.awaitCompletions();
        session.removed(this);
    }

    void sessionClosed() {
        closed = true;
    }

    @Override
    public String toString() {
        return "TernMessageProducer[" + destination + "]";
    }
}
