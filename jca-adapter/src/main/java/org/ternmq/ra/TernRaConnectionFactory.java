package org.ternmq.ra;

import java.io.Serializable;

import javax.naming.Reference;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import org.ternmq.jms.context.TernJMSContext;

/**
 * The connection factory applications look up (or have injected) in a container: each connection is a handle on
 * a managed connection of the container's pool, taken with {@link ConnectionManager#allocateConnection}, whose
 * work enlists in the container's transactions. Contexts ({@code createContext}, and {@code @Inject JMSContext}
 * made from this factory) use such a connection too.
 *
 * <p>Thread-safety: any number of threads.
 */
public class TernRaConnectionFactory implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory,
        Serializable, Referenceable {

    private static final long serialVersionUID = 1L;

    private final TernManagedConnectionFactory factory;
    private final ConnectionManager manager;
    private Reference reference;

    TernRaConnectionFactory(TernManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    /** The settings this factory's connections start from (its pool's properties over the adapter's). */
    ConnectionSettings settings() {
        return factory.base();
    }

    private TernConnectionHandle allocate(String user, String password) throws JMSException {
        try {
            return (TernConnectionHandle) manager.allocateConnection(factory, user == null
                    ? TernConnectionRequestInfo.DEFAULT : new TernConnectionRequestInfo(user, password));
        } catch (ResourceException e) {
            JMSException jms = new JMSException("cannot get a Tern connection: " + e.getMessage());
            jms.initCause(e);
            jms.setLinkedException(e);
            throw jms;
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return allocate(null, null);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return allocate(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(null, null, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        return createContext(null, null, sessionMode);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    /**
     * The transaction in progress decides, as for a session's arguments; but a context asked for
     * {@code DUPS_OK_ACKNOWLEDGE}, which Jakarta Messaging allows in a container, says so ({@code getSessionMode},
     * as the platform TCK's injected {@code @JMSSessionMode(DUPS_OK_ACKNOWLEDGE)} contexts check) and acknowledges
     * like auto-acknowledge, which dups-ok permits. Every other mode is {@code AUTO_ACKNOWLEDGE}.
     */
    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        int mode = sessionMode == JMSContext.DUPS_OK_ACKNOWLEDGE ? JMSContext.DUPS_OK_ACKNOWLEDGE
                : JMSContext.AUTO_ACKNOWLEDGE;
        try {
            return TernJMSContext.create(allocate(userName, password), mode);
        } catch (JMSException e) {
            JMSRuntimeException r = new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
            throw r;
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }

    @Override
    public String toString() {
        return "TernRaConnectionFactory[" + factory.base() + "]";
    }
}
