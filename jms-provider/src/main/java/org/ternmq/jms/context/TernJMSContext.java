package org.ternmq.jms.context;

import static org.ternmq.jms.context.RuntimeExceptions.unchecked;
import static org.ternmq.jms.context.RuntimeExceptions.uncheckedRun;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
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

/**
 * {@link JMSContext} built only on the classic {@code jakarta.jms} interfaces: one {@link Connection}, shared
 * with the contexts made by {@link #createContext(int)} and closed by the last of them, and one {@link Session},
 * created on first need so that {@link #setClientID(String)} still works right after creation. Every checked
 * exception of the classic layer surfaces as its runtime twin (see {@link RuntimeExceptions}).
 *
 * <p>Threads: like the session it stands for, a context is used by one thread at a time (the application's,
 * or one of its listeners'); {@link #close()} may come from any thread. Contexts sharing a connection may be
 * used by different threads.
 */
public class TernJMSContext implements JMSContext {

    private final ConnectionShare share;
    private final int sessionMode;
    /** Guards the lazy creation of {@link #session} and {@link #producer}. */
    private final ReentrantLock creation = new ReentrantLock();
    /** Serialises {@link #close()} calls; separate from {@link #creation} so listeners stay served meanwhile. */
    private final ReentrantLock closing = new ReentrantLock();
    private volatile Session session;
    /** One anonymous producer serves every {@link JMSProducer} of the context: they are light by contract. */
    private volatile MessageProducer producer;
    private volatile boolean closed;
    private volatile boolean autoStart = true;
    /** CLIENT_ACKNOWLEDGE only: the latest message consumed, whose acknowledge covers the whole session. */
    private final AtomicReference<Message> lastConsumed = new AtomicReference<>();

    TernJMSContext(ConnectionShare share, int sessionMode) {
        this.share = share;
        this.sessionMode = sessionMode;
    }

    /**
     * Makes the first context on a connection.
     *
     * <p>The context owns {@code connection}: closing the last context sharing it closes it. If the session mode
     * is invalid the connection is closed before the exception is thrown, since nobody else holds it.
     *
     * @param connection a classic connection, not used by anyone else
     * @param sessionMode one of {@link JMSContext#SESSION_TRANSACTED}, {@link JMSContext#AUTO_ACKNOWLEDGE},
     *     {@link JMSContext#CLIENT_ACKNOWLEDGE}, {@link JMSContext#DUPS_OK_ACKNOWLEDGE}
     * @return the context
     * @throws JMSRuntimeException for an invalid session mode
     */
    public static JMSContext create(Connection connection, int sessionMode) {
        Objects.requireNonNull(connection, "connection");
        try {
            checkSessionMode(sessionMode);
        } catch (JMSRuntimeException e) {
            try {
                connection.close();
            } catch (JMSException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return new TernJMSContext(new ConnectionShare(connection), sessionMode);
    }

    private static void checkSessionMode(int sessionMode) {
        if (sessionMode != SESSION_TRANSACTED && sessionMode != AUTO_ACKNOWLEDGE
                && sessionMode != CLIENT_ACKNOWLEDGE && sessionMode != DUPS_OK_ACKNOWLEDGE) {
            throw new JMSRuntimeException("invalid session mode " + sessionMode);
        }
    }

    // ---- connection-level operations ------------------------------------------------------------------------

    @Override
    public JMSContext createContext(int sessionMode) {
        checkOpen();
        checkSessionMode(sessionMode);
        share.retain();
        return new TernJMSContext(share, sessionMode);
    }

    @Override
    public String getClientID() {
        checkOpen();
        return unchecked(connection()::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        checkOpen();
        uncheckedRun(() -> connection().setClientID(clientID));
    }

    @Override
    public ConnectionMetaData getMetaData() {
        checkOpen();
        return unchecked(connection()::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        checkOpen();
        return unchecked(connection()::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        checkOpen();
        uncheckedRun(() -> connection().setExceptionListener(listener));
    }

    @Override
    public void start() {
        checkOpen();
        uncheckedRun(connection()::start);
        share.stopped(false);
    }

    @Override
    public void stop() {
        checkOpen();
        if (CallbackScope.inMessageListenerOn(share)) {
            throw new IllegalStateRuntimeException("stop() may not be called from a MessageListener");
        }
        uncheckedRun(connection()::stop);
        share.stopped(true);
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        checkOpen();
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        checkOpen();
        return autoStart;
    }

    @Override
    public void close() {
        if (CallbackScope.inCompletionListenerOf(this)) {
            throw new IllegalStateRuntimeException("close() may not be called from a CompletionListener");
        }
        if (CallbackScope.inMessageListenerOf(this)) {
            throw new IllegalStateRuntimeException("close() may not be called from this context's MessageListener");
        }
        closing.lock();
        try {
            if (closed) {
                return;
            }
            JMSRuntimeException failure = null;
            Session s = session;
            try {
                // the session waits for running listeners and pending async sends; they keep full service
                if (s != null) {
                    s.close();
                }
            } catch (JMSException e) {
                failure = RuntimeExceptions.toRuntime(e);
            }
            closed = true;
            lastConsumed.set(null);
            try {
                share.release();
            } catch (JMSRuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            closing.unlock();
        }
    }

    // ---- session-level operations ---------------------------------------------------------------------------

    @Override
    public JMSProducer createProducer() {
        // the session is made now, not at the first send: creating a producer is an action after which the
        // connection must refuse a client id, and only the classic connection can tell
        session();
        return new TernJMSProducer(this);
    }

    @Override
    public boolean getTransacted() {
        checkOpen();
        return sessionMode == SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        checkOpen();
        return sessionMode;
    }

    @Override
    public void commit() {
        checkTransactionControl("commit");
        uncheckedRun(session()::commit);
    }

    @Override
    public void rollback() {
        checkTransactionControl("rollback");
        uncheckedRun(session()::rollback);
    }

    private void checkTransactionControl(String operation) {
        checkOpen();
        if (CallbackScope.inCompletionListenerOf(this)) {
            throw new IllegalStateRuntimeException(operation + "() may not be called from a CompletionListener");
        }
        if (sessionMode != SESSION_TRANSACTED) {
            throw new IllegalStateRuntimeException(operation + "() needs a transacted JMSContext");
        }
    }

    @Override
    public void recover() {
        checkOpen();
        if (sessionMode == SESSION_TRANSACTED) {
            throw new IllegalStateRuntimeException("recover() is not allowed on a transacted JMSContext");
        }
        lastConsumed.set(null);
        uncheckedRun(session()::recover);
    }

    @Override
    public void acknowledge() {
        checkOpen();
        if (sessionMode != CLIENT_ACKNOWLEDGE) {
            return;
        }
        Message last = lastConsumed.get();
        if (last != null) {
            uncheckedRun(last::acknowledge);
            // a message consumed meanwhile by a listener stays recorded
            lastConsumed.compareAndSet(last, null);
        }
    }

    @Override
    public void unsubscribe(String name) {
        uncheckedRun(() -> session().unsubscribe(name));
    }

    // ---- consumers and browsers -----------------------------------------------------------------------------

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return createConsumer(destination, null, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector) {
        return createConsumer(destination, messageSelector, false);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String messageSelector, boolean noLocal) {
        checkDestination(destination);
        return started(unchecked(() -> session().createConsumer(destination, messageSelector, noLocal)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        checkDestination(topic);
        return started(unchecked(() -> session().createDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String messageSelector, boolean noLocal) {
        checkDestination(topic);
        return started(unchecked(() -> session().createDurableConsumer(topic, name, messageSelector, noLocal)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        checkDestination(topic);
        return started(unchecked(() -> session().createSharedDurableConsumer(topic, name)));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String messageSelector) {
        checkDestination(topic);
        return started(unchecked(() -> session().createSharedDurableConsumer(topic, name, messageSelector)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName) {
        checkDestination(topic);
        return started(unchecked(() -> session().createSharedConsumer(topic, sharedSubscriptionName)));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String sharedSubscriptionName, String messageSelector) {
        checkDestination(topic);
        return started(unchecked(
                () -> session().createSharedConsumer(topic, sharedSubscriptionName, messageSelector)));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return createBrowser(queue, null);
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String messageSelector) {
        checkDestination(queue);
        return unchecked(() -> session().createBrowser(queue, messageSelector));
    }

    /** Wraps a new classic consumer and, with autoStart, starts the connection as the Javadoc promises. */
    private JMSConsumer started(MessageConsumer consumer) {
        TernJMSConsumer wrapped = new TernJMSConsumer(this, consumer);
        if (autoStart) {
            try {
                connection().start();
                share.stopped(false);
            } catch (JMSException e) {
                wrapped.close();
                throw RuntimeExceptions.toRuntime(e);
            }
        }
        return wrapped;
    }

    // ---- destinations ---------------------------------------------------------------------------------------

    @Override
    public Queue createQueue(String queueName) {
        return unchecked(() -> session().createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        return unchecked(() -> session().createTopic(topicName));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return unchecked(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return unchecked(() -> session().createTemporaryTopic());
    }

    // ---- messages -------------------------------------------------------------------------------------------

    @Override
    public BytesMessage createBytesMessage() {
        return unchecked(() -> session().createBytesMessage());
    }

    @Override
    public MapMessage createMapMessage() {
        return unchecked(() -> session().createMapMessage());
    }

    @Override
    public Message createMessage() {
        return unchecked(() -> session().createMessage());
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return unchecked(() -> session().createObjectMessage());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return unchecked(() -> session().createObjectMessage(object));
    }

    @Override
    public StreamMessage createStreamMessage() {
        return unchecked(() -> session().createStreamMessage());
    }

    @Override
    public TextMessage createTextMessage() {
        return unchecked(() -> session().createTextMessage());
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return unchecked(() -> session().createTextMessage(text));
    }

    // ---- for the producer and consumers of this package -----------------------------------------------------

    ConnectionShare share() {
        return share;
    }

    /** @return whether a message is acknowledged as soon as receive returns it (AUTO or DUPS_OK) */
    boolean acknowledgesOnReceive() {
        return sessionMode == AUTO_ACKNOWLEDGE || sessionMode == DUPS_OK_ACKNOWLEDGE;
    }

    /** Records a message handed to the application, so that {@link #acknowledge()} can cover it. */
    void delivered(Message message) {
        if (message != null && sessionMode == CLIENT_ACKNOWLEDGE) {
            lastConsumed.set(message);
        }
    }

    /** @throws IllegalStateRuntimeException if this context is closed */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateRuntimeException("this JMSContext is closed");
        }
    }

    /** @return the session, created on first call */
    Session session() {
        Session s = session;
        if (s == null) {
            creation.lock();
            try {
                checkOpen();
                s = session;
                if (s == null) {
                    s = unchecked(() -> newSession(connection()));
                    session = s;
                }
            } finally {
                creation.unlock();
            }
        }
        checkOpen();
        return s;
    }

    /** Makes the context's session (an XA context makes an XA session). */
    Session newSession(Connection connection) throws JMSException {
        return connection.createSession(sessionMode);
    }

    /** @return the anonymous producer every {@link TernJMSProducer} of this context sends with */
    MessageProducer producer() {
        MessageProducer p = producer;
        if (p == null) {
            creation.lock();
            try {
                p = producer;
                if (p == null) {
                    Session s = session();
                    p = unchecked(() -> s.createProducer(null));
                    producer = p;
                }
            } finally {
                creation.unlock();
            }
        }
        checkOpen();
        return p;
    }

    private Connection connection() {
        return share.connection();
    }

    private static void checkDestination(Destination destination) {
        if (destination == null) {
            throw new InvalidDestinationRuntimeException("the destination must not be null");
        }
    }

    @Override
    public String toString() {
        return "TernJMSContext[mode=" + sessionMode + (closed ? ", closed" : "") + "]";
    }
}
