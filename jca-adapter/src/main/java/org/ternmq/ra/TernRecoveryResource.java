package org.ternmq.ra;

import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.jms.JMSException;
import jakarta.jms.XAConnection;

/**
 * What the server's transaction manager recovers with ({@code getXAResources}): an {@link XAResource} that lists
 * and finishes prepared branches of one broker, connecting when first used and again after its connection is
 * lost, so it works whenever recovery runs, also while the broker was down when the adapter started.
 *
 * <p>Thread-safety: calls are serialised.
 */
final class TernRecoveryResource implements XAResource {

    private static final Logger LOG = Logger.getLogger(TernRecoveryResource.class.getName());

    private final ConnectionSettings settings;
    private XAConnection connection;
    private XAResource delegate;

    TernRecoveryResource(ConnectionSettings settings) {
        this.settings = settings;
    }

    private synchronized XAResource delegate() throws XAException {
        if (delegate == null) {
            try {
                connection = settings.factory().createXAConnection();
                delegate = connection.createXASession().getXAResource();
            } catch (JMSException e) {
                close();
                XAException x = new XAException("cannot reach Tern at " + settings.url() + ": " + e.getMessage());
                x.errorCode = XAException.XAER_RMFAIL;
                x.initCause(e);
                throw x;
            }
        }
        return delegate;
    }

    /** Runs {@code call}; a lost connection is dropped so the next call connects again. */
    private <T> T call(XaCall<T> call) throws XAException {
        try {
            return call.run(delegate());
        } catch (XAException e) {
            if (e.errorCode == XAException.XAER_RMFAIL) {
                close();
            }
            throw e;
        }
    }

    private interface XaCall<T> {
        T run(XAResource r) throws XAException;
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return call(r -> r.recover(flag));
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        call(r -> {
            r.commit(xid, onePhase);
            return null;
        });
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        call(r -> {
            r.rollback(xid);
            return null;
        });
    }

    @Override
    public void forget(Xid xid) throws XAException {
        call(r -> {
            r.forget(xid);
            return null;
        });
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return call(r -> r.prepare(xid));
    }

    /**
     * Only another recovery resource of the same broker. A transaction manager compares the resources it recovers
     * with each other, both ways round, to keep track of the branches each has listed: a connection's
     * {@code XAResource} does not know this class and says no, so this one must say no to it too. (Saying yes one
     * way made Narayana, in WildFly, take the two for one resource on one scan and not on the next, so it forgot
     * when it had first seen a branch and never rolled back one its transaction had abandoned.) It starts no
     * branches, so no transaction manager joins work to it.
     */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (other == this) {
            return true;
        }
        return other instanceof TernRecoveryResource t && delegate().isSameRM(t.delegate());
    }

    /** Recovery only lists and finishes branches: it starts none. */
    @Override
    public void start(Xid xid, int flags) throws XAException {
        XAException x = new XAException("the recovery resource starts no branches");
        x.errorCode = XAException.XAER_PROTO;
        throw x;
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        XAException x = new XAException("the recovery resource starts no branches");
        x.errorCode = XAException.XAER_PROTO;
        throw x;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }

    synchronized void close() {
        XAConnection c = connection;
        connection = null;
        delegate = null;
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a recovery connection failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "TernRecoveryResource[" + settings + "]";
    }
}
