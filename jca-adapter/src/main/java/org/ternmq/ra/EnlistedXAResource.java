package org.ternmq.ra;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The {@link XAResource} the adapter gives the container for a session (an MDB delivery's, a pooled
 * connection's): the session's own, except that a branch can still be finished after the session's connection
 * is lost. The broker keeps a prepared branch whatever happens to the connection that prepared it, so a
 * two-phase {@code commit} (or a {@code rollback}) that fails for want of a connection is sent again over a new
 * one; if the broker cannot be reached at all, the commit answers {@code XA_RETRY}: the branch stays prepared
 * and the transaction manager should try again later.
 *
 * <p>Why not {@code XAER_RMFAIL}: GlassFish's transaction manager retries a commit only on {@code XA_RETRY}
 * (and {@code XA_RBTRANSIENT}, {@code XA_RBCOMMFAIL}); {@code XAER_RMFAIL} makes it give the branch up until the
 * server restarts, leaving it in doubt on the broker. {@code XA_RETRY} is XA's own answer for a commit that cannot
 * be done now while the branch stays prepared.
 *
 * <p>Thread-safety: as the session's resource (XA calls for one branch come from one thread at a time).
 */
final class EnlistedXAResource implements XAResource {

    private final XAResource session;
    private final ConnectionSettings settings;

    /**
     * @param session  the session's own resource
     * @param settings how the session connected: a new connection finishes what the session's cannot
     */
    EnlistedXAResource(XAResource session, ConnectionSettings settings) {
        this.session = session;
        this.settings = settings;
    }

    XAResource session() {
        return session;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        session.start(xid, flags);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        session.end(xid, flags);
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return session.prepare(xid);
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            session.commit(xid, onePhase);
        } catch (XAException e) {
            // a one-phase commit's branch was not prepared: the broker rolled it back with the connection, or
            // committed it just before, and only the session could have known which
            if (e.errorCode != XAException.XAER_RMFAIL || onePhase) {
                throw e;
            }
            finishElsewhere(xid, true, e);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        try {
            session.rollback(xid);
        } catch (XAException e) {
            if (e.errorCode != XAException.XAER_RMFAIL) {
                throw e;
            }
            finishElsewhere(xid, false, e);
        }
    }

    /**
     * Commits or rolls back {@code xid} over a new connection, the session's having failed with {@code cause}.
     * A branch the broker does not know is taken as finished: the first attempt got through before the
     * connection failed (a prepared branch leaves the broker only by its commit or rollback), or the branch was
     * never prepared and the broker rolled it back when the session's connection closed.
     */
    private void finishElsewhere(Xid xid, boolean commit, XAException cause) throws XAException {
        TernRecoveryResource fresh = new TernRecoveryResource(settings);
        try {
            if (commit) {
                fresh.commit(xid, false);
            } else {
                fresh.rollback(xid);
            }
        } catch (XAException e) {
            if (e.errorCode == XAException.XAER_NOTA) {
                return;
            }
            if (e.errorCode != XAException.XAER_RMFAIL) {
                throw e;
            }
            if (!commit) {
                throw cause;
            }
            XAException retry = new XAException("Tern at " + settings.url() + " cannot be reached to commit " + xid
                    + " (" + cause.getMessage() + "); the branch stays prepared: commit again later");
            retry.errorCode = XAException.XA_RETRY;
            retry.initCause(cause);
            throw retry;
        } finally {
            fresh.close();
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return session.recover(flag);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        session.forget(xid);
    }

    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        return session.isSameRM(other instanceof EnlistedXAResource e ? e.session : other);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return session.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return session.setTransactionTimeout(seconds);
    }

    @Override
    public String toString() {
        return "EnlistedXAResource[" + session + "]";
    }
}
