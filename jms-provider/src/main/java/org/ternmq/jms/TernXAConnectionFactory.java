package org.ternmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueConnectionFactory;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicConnectionFactory;

import org.ternmq.client.ClientConnection;
import org.ternmq.jms.context.RuntimeExceptions;
import org.ternmq.jms.context.TernXAJMSContext;

/**
 * A connection factory for XA: it makes {@link TernXAConnection}s and {@link TernXAJMSContext}s, whose sessions
 * give an {@code XAResource} for a transaction manager to enlist; it is also a plain (queue, topic) connection
 * factory, whose connections can make ordinary sessions too. Bound in JNDI by
 * {@code xaConnectionFactory.NAME=url}.
 *
 * <p>Thread-safety: as {@link TernConnectionFactory}.
 */
public class TernXAConnectionFactory extends TernConnectionFactory
        implements XAConnectionFactory, XAQueueConnectionFactory, XATopicConnectionFactory {

    /** @throws IllegalArgumentException for a malformed URL, naming what is wrong */
    public TernXAConnectionFactory(String url) {
        super(url);
    }

    /** A factory for a broker on this host's default port. */
    public TernXAConnectionFactory() {
        super();
    }

    @Override
    TernConnection newConnection(ClientConnection client, String clientId) throws JMSException {
        return new TernXAConnection(client, clientId);
    }

    @Override
    public XAConnection createXAConnection() throws JMSException {
        return (XAConnection) connect(getUser(), getPassword());
    }

    @Override
    public XAConnection createXAConnection(String userName, String password) throws JMSException {
        return (XAConnection) connect(userName, password);
    }

    @Override
    public XAQueueConnection createXAQueueConnection() throws JMSException {
        return (XAQueueConnection) connect(getUser(), getPassword());
    }

    @Override
    public XAQueueConnection createXAQueueConnection(String userName, String password) throws JMSException {
        return (XAQueueConnection) connect(userName, password);
    }

    @Override
    public XATopicConnection createXATopicConnection() throws JMSException {
        return (XATopicConnection) connect(getUser(), getPassword());
    }

    @Override
    public XATopicConnection createXATopicConnection(String userName, String password) throws JMSException {
        return (XATopicConnection) connect(userName, password);
    }

    @Override
    public XAJMSContext createXAContext() {
        return createXAContext(getUser(), getPassword());
    }

    @Override
    public XAJMSContext createXAContext(String userName, String password) {
        XAConnection connection;
        try {
            connection = createXAConnection(userName, password);
        } catch (JMSException e) {
            throw RuntimeExceptions.toRuntime(e);
        }
        return TernXAJMSContext.create(connection);
    }

    @Override
    public String toString() {
        return "TernXAConnectionFactory[" + getUrl() + "]";
    }
}
