package org.ternmq.jms;

import javax.transaction.xa.XAResource;

import jakarta.jms.JMSException;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TopicSession;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicSession;

import org.ternmq.client.ClientException;
import org.ternmq.client.ClientSession;

/**
 * An XA session: its sends and acknowledgements belong to the XA branch its {@link #getXAResource() XAResource}
 * associates it with (between {@code start} and {@code end}), which a transaction manager prepares and
 * commits; outside a branch it works as an {@code AUTO_ACKNOWLEDGE} session. {@code commit} and
 * {@code rollback} belong to the transaction manager: here they throw {@link TransactionInProgressException}.
 *
 * <p>Thread-safety: as {@link TernSession}.
 */
public final class TernXASession extends TernSession implements XASession, XAQueueSession, XATopicSession {

    private final TernXAResource resource;

    TernXASession(TernConnection connection, ClientSession client, Domain domain) {
        super(connection, client, domain);
        this.resource = new TernXAResource(connection.client(), client);
    }

    @Override
    public Session getSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public QueueSession getQueueSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public TopicSession getTopicSession() throws JMSException {
        checkOpen();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return resource;
    }

    /** Always true: an XA session's work is transacted, by its transaction manager (XASession javadoc). */
    @Override
    public boolean getTransacted() throws JMSException {
        checkOpen();
        return true;
    }

    @Override
    public int getAcknowledgeMode() throws JMSException {
        checkOpen();
        return SESSION_TRANSACTED;
    }

    @Override
    public void commit() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("an XA session is committed by its transaction manager, not commit()");
    }

    @Override
    public void rollback() throws JMSException {
        checkOpen();
        throw new TransactionInProgressException("an XA session is rolled back by its transaction manager, not rollback()");
    }

    /** What the session consumed in its branch is acknowledged into the branch: the branch outlives the session. */
    @Override
    void beforeClose() throws JMSException {
        if (resource.isAssociated()) {
            try {
                client().acknowledgeAll();
            } catch (ClientException e) {
                if (!e.isConnectionFailure()) {
                    throw JmsExceptions.from(e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TernXASession[" + client() + "]";
    }
}
