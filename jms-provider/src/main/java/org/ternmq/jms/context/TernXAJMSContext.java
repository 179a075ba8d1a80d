package org.ternmq.jms.context;

import java.util.Objects;

import javax.transaction.xa.XAResource;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XASession;

/**
 * A {@link JMSContext} over an XA session: its work belongs to the XA branch its {@link #getXAResource()}
 * associates it with; {@code commit} and {@code rollback} throw {@code TransactionInProgressRuntimeException}
 * (the transaction manager ends the branch), and {@link #getTransacted()} is true. Contexts made from it with
 * {@link #createContext(int)} are ordinary ones sharing its connection.
 *
 * <p>Threads: as {@link TernJMSContext}.
 */
public final class TernXAJMSContext extends TernJMSContext implements XAJMSContext {

    private TernXAJMSContext(ConnectionShare share) {
        super(share, JMSContext.SESSION_TRANSACTED);
    }

    /** Makes the context, which owns {@code connection} from now on. */
    public static XAJMSContext create(XAConnection connection) {
        return new TernXAJMSContext(new ConnectionShare(Objects.requireNonNull(connection, "connection")));
    }

    @Override
    Session newSession(Connection connection) throws JMSException {
        return ((XAConnection) connection).createXASession();
    }

    @Override
    public JMSContext getContext() {
        checkOpen();
        return this;
    }

    @Override
    public XAResource getXAResource() {
        return ((XASession) session()).getXAResource();
    }

    @Override
    public String toString() {
        return "TernXAJMSContext[" + super.toString() + "]";
    }
}
