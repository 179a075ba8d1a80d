package org.ternmq.jms;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ClientSession;
import org.ternmq.protocol.XaOperation;
import org.ternmq.protocol.XaResponse;
import org.ternmq.protocol.XidValue;

/**
 * The {@link XAResource} of a Tern XA session: a thin mapper of XA calls to protocol requests
 * ({@code XaRequest}) and of the broker's answers to XA return values and error codes. The broker is the
 * resource manager; this class keeps only which branch its session is associated with, so that what the
 * session consumed is acknowledged into the branch before it ends.
 *
 * <p>Errors: no answer from the broker (a lost or closed connection, a timeout) is {@code XAER_RMFAIL},
 * never {@code XAER_RMERR}, so a transaction manager retries instead of recording a heuristic outcome; an
 * invalid Xid is {@code XAER_INVAL} before anything is sent. {@code prepare}, {@code commit},
 * {@code rollback}, {@code recover} and {@code forget} work after the session closed, as long as the
 * connection is open (a transaction manager may complete a branch after the application closed its session).
 *
 * <p>Thread-safety: XA calls for one branch come from one thread at a time (JTA); any thread may call.
 */
public final class TernXAResource implements XAResource {

    private final ClientConnection connection;
    private final ClientSession session;
    private volatile int timeoutSeconds;
    /** The branch the session is associated with (between start and end), or null. */
    private volatile XidValue associated;
    /** The branch the session worked in last: rolling it back also returns what its consumers buffered. */
    private volatile XidValue lastStarted;

    /**
     * @param session the XA session whose work {@code start}/{@code end} associate, or null for a resource that
     *     only completes and recovers branches
     */
    TernXAResource(ClientConnection connection, ClientSession session) {
        this.connection = connection;
        this.session = session;
    }

    /** A resource that only recovers and completes branches (no session): for a transaction manager's recovery. */
    public static TernXAResource forRecovery(ClientConnection connection) {
        return new TernXAResource(connection, null);
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        XidValue x = valid(xid);
        ClientSession s = openSession("start");
        call(XaOperation.START, s.id(), x, flags, timeoutSeconds);
        associated = x;
        lastStarted = x;
        s.setXaAssociated(true);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        XidValue x = valid(xid);
        ClientSession s = openSession("end");
        boolean mine = x.equals(associated);
        try {
            if (mine) {
                acknowledgeConsumed(s);
            }
            call(XaOperation.END, s.id(), x, flags, 0);
        } finally {
            if (mine) {
                dissociate(s);
            }
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        return call(XaOperation.PREPARE, 0, valid(xid), TMNOFLAGS, 0).code();
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        call(XaOperation.COMMIT, 0, valid(xid), onePhase ? TMONEPHASE : TMNOFLAGS, 0);
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        XidValue x = valid(xid);
        ClientSession s = session;
        if (s != null && x.equals(associated)) {
            // rolled back while still associated: what the session consumed goes back with the branch
            try {
                if (!s.isClosed()) {
                    acknowledgeConsumed(s);
                }
            } finally {
                dissociate(s);
            }
        }
        call(XaOperation.ROLLBACK, 0, x, TMNOFLAGS, 0);
        if (s != null && x.equals(lastStarted) && !s.isClosed() && !s.isXaAssociated()) {
            // as a local rollback does: messages the consumers buffered meanwhile go back too, so the ones the
            // branch gives back come first again
            try {
                s.recover();
            } catch (ClientException e) {
                throw mapped(e);
            }
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        return call(XaOperation.RECOVER, 0, null, flag, 0).xids().toArray(new Xid[0]);
    }

    @Override
    public void forget(Xid xid) throws XAException {
        call(XaOperation.FORGET, 0, valid(xid), TMNOFLAGS, 0);
    }

    /** Same broker (data directory), whichever connection: compared by the broker's lasting node id. */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        if (!(other instanceof TernXAResource t)) {
            return false;
        }
        if (t == this) {
            return true;
        }
        String mine = connection.nodeId();
        return mine != null && mine.equals(t.connection.nodeId());
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** Applies to branches started afterwards; 0 means the broker's default ({@code xa-timeout}). */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw error(XAException.XAER_INVAL, "a transaction timeout cannot be negative: " + seconds, null);
        }
        timeoutSeconds = seconds;
        return true;
    }

    /**
     * Whether the session is associated with a branch now (between {@code start} and {@code end}): its work is
     * the branch's. For containers (a resource adapter) that apply the JMS rules of a session in a transaction.
     */
    public boolean isAssociated() {
        return associated != null;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static XidValue valid(Xid xid) throws XAException {
        if (xid == null) {
            throw error(XAException.XAER_INVAL, "the Xid is null", null);
        }
        XidValue x = XidValue.of(xid);
        String problem = x.problem();
        if (problem != null) {
            throw error(XAException.XAER_INVAL, "malformed Xid: " + problem, null);
        }
        return x;
    }

    private ClientSession openSession(String call) throws XAException {
        if (session == null) {
            throw error(XAException.XAER_PROTO, call + ": this XAResource has no session (it only recovers)", null);
        }
        if (session.isClosed()) {
            throw error(XAException.XAER_RMFAIL, call + ": the XA session is closed", null);
        }
        return session;
    }

    private void acknowledgeConsumed(ClientSession s) throws XAException {
        try {
            s.acknowledgeAll();
        } catch (ClientException e) {
            throw mapped(e);
        }
    }

    private void dissociate(ClientSession s) {
        associated = null;
        s.setXaAssociated(false);
    }

    private XaResponse call(XaOperation op, int sessionId, XidValue xid, int flags, int timeout) throws XAException {
        XaResponse r;
        try {
            r = connection.xa(op, sessionId, xid, flags, timeout);
        } catch (ClientException e) {
            throw mapped(e);
        }
        if (!r.returns()) {
            throw error(r.code(), r.message(), null);
        }
        return r;
    }

    /** The broker refused (malformed request, internal error): RMERR; no answer at all: RMFAIL (retry later). */
    private static XAException mapped(ClientException e) {
        return error(e.isRefusedByBroker() ? XAException.XAER_RMERR : XAException.XAER_RMFAIL, e.getMessage(), e);
    }

    private static XAException error(int code, String message, Throwable cause) {
        XAException x = new XAException(message == null ? "XA error " + code : message);
        x.errorCode = code;
        if (cause != null) {
            x.initCause(cause);
        }
        return x;
    }

    @Override
    public String toString() {
        return "TernXAResource[" + connection + (session == null ? "" : "/" + session.id()) + "]";
    }
}
