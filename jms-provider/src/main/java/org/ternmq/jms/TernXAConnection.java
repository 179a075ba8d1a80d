package org.ternmq.jms;

import jakarta.jms.JMSException;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;

import org.ternmq.client.ClientConnection;

/**
 * A connection that also makes XA sessions ({@link TernXASession}); its plain sessions work as on any
 * connection.
 *
 * <p>Thread-safety: as {@link TernConnection}.
 */
public final class TernXAConnection extends TernConnection implements XAQueueConnection, XATopicConnection {

    TernXAConnection(ClientConnection client, String clientId) throws JMSException {
        super(client, clientId);
    }

    @Override
    public XASession createXASession() throws JMSException {
        return createXA(TernSession.Domain.ANY);
    }

    @Override
    public XAQueueSession createXAQueueSession() throws JMSException {
        return createXA(TernSession.Domain.QUEUE);
    }

    @Override
    public XATopicSession createXATopicSession() throws JMSException {
        return createXA(TernSession.Domain.TOPIC);
    }

    private TernXASession createXA(TernSession.Domain domain) throws JMSException {
        return (TernXASession) createSession(org.ternmq.client.ClientSession.XA, domain,
                (client, session) -> new TernXASession(this, session, domain));
    }

    @Override
    public String toString() {
        return "TernXAConnection[" + client() + "]";
    }
}
