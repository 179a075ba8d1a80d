package org.ternmq.ra;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import jakarta.resource.spi.ResourceAdapterInternalException;

import org.ternmq.jms.TernXAResource;

/**
 * One pooled physical connection: a Tern XA connection and its XA session, whose {@link XAResource} (always
 * the same instance) the container enlists in its transactions; a second, locally transacted session for
 * servers that use local transactions. Applications use it through {@link TernConnectionHandle}s, cheap
 * objects the container hands out and takes back; their sessions use whichever physical session the current
 * transaction calls for ({@link #currentSession()}).
 *
 * <p>A broken connection (the broker went away) is reported to the container with
 * {@code CONNECTION_ERROR_OCCURRED}, so the pool drops it.
 *
 * <p>A connection whose factory sets a client id holds that id on the broker only while it is in use: it
 * connects when the container first hands it out, and disconnects when it goes back to the pool
 * ({@link #cleanup()}) or, if a transaction branch was still open then, once that branch is committed or rolled
 * back. A client id is unique on the broker, so an idle pooled connection that kept it would refuse every other
 * connection with that id: another pool's (the application client container's), another connection of the same
 * pool (for other credentials) or the application's own. The container enlists {@link #getXAResource()}, which
 * stays the same object across these reconnections.
 *
 * <p>Thread-safety: the container gives it to one thread at a time; the connection's failure callback may come
 * from a client thread.
 */
final class TernManagedConnection implements ManagedConnection {

    private static final Logger LOG = Logger.getLogger(TernManagedConnection.class.getName());

    private final TernManagedConnectionFactory factory;
    private final TernConnectionRequestInfo requestInfo;
    private final ConnectionSettings settings;
    /** Null while a connection with a client id is idle in the pool (the fields below too). */
    private volatile XAConnection physical;
    private XASession xaSession;
    private TernXAResource xaResource;
    /** {@link #xaResource}, able to finish a branch after the connection is lost. */
    private EnlistedXAResource sessionResource;
    /** What the container enlists: {@link #sessionResource} of whichever physical connection is current. */
    private final XAResource enlisted = new CurrentXAResource();
    /** Between a branch's start and its commit or rollback: the physical connection must stay. */
    private volatile boolean branchOpen;
    /** Back in the pool (cleanup ran, no handle since). */
    private volatile boolean pooled;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<TernConnectionHandle> handles = ConcurrentHashMap.newKeySet();
    private final TernLocalTransaction localTransaction = new TernLocalTransaction(this);
    private Session localSession;
    private volatile boolean inLocalTransaction;
    private volatile boolean broken;
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    TernManagedConnection(TernManagedConnectionFactory factory, ConnectionSettings settings,
            TernConnectionRequestInfo requestInfo) throws ResourceException {
        this.factory = factory;
        this.settings = settings;
        this.requestInfo = requestInfo;
        if (settings.clientId() == null) {
            connect();
        }
    }

    /** Opens the physical connection, its XA session and resource, unless they are open. */
    private synchronized void connect() throws ResourceException {
        if (physical != null) {
            return;
        }
        XAConnection c = null;
        try {
            c = settings.factory().createXAConnection();
            if (settings.clientId() != null) {
                c.setClientID(settings.clientId());
            }
            c.setExceptionListener(this::failed);
            XASession session = c.createXASession();
            this.xaSession = session;
            this.xaResource = (TernXAResource) session.getXAResource();
            this.sessionResource = new EnlistedXAResource(xaResource, settings);
            this.physical = c;
        } catch (JMSException e) {
            closeQuietly(c);
            throw new ResourceAdapterInternalException("cannot connect to Tern at " + settings.url() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A connection with a client id, idle in the pool and out of every transaction, lets go of its client id. */
    private synchronized void releaseClientIdIfIdle() {
        if (settings.clientId() == null || physical == null || !pooled || branchOpen || destroyed) {
            return;
        }
        XAConnection c = physical;
        physical = null;
        xaSession = null;
        xaResource = null;
        sessionResource = null;
        localSession = null;
        try {
            c.setExceptionListener(null);
        } catch (JMSException e) {
            LOG.log(Level.FINE, "clearing the exception listener failed", e);
        }
        closeQuietly(c);
    }

    TernManagedConnectionFactory factory() {
        return factory;
    }

    TernConnectionRequestInfo requestInfo() {
        return requestInfo;
    }

    /** Whether it can be handed out again: connected, not destroyed. */
    boolean isUsable() {
        return !broken && !destroyed;
    }

    XAConnection physical() {
        return physical;
    }

    // ---- handles ----------------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        checkUsable();
        pooled = false;
        connect();
        TernConnectionHandle handle = new TernConnectionHandle(this);
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        checkUsable();
        if (!(connection instanceof TernConnectionHandle handle)) {
            throw new ResourceException("not a Tern connection handle: " + connection);
        }
        pooled = false;
        connect();
        TernManagedConnection previous = handle.reassign(this);
        if (previous != null) {
            previous.handles.remove(handle);
        }
        handles.add(handle);
    }

    /** The application closed a handle: the container may return this connection to its pool. */
    void closed(TernConnectionHandle handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener l : listeners) {
            l.connectionClosed(event);
        }
    }

    private void checkUsable() throws ResourceException {
        if (destroyed) {
            throw new jakarta.resource.spi.IllegalStateException("the managed connection is destroyed");
        }
        if (broken) {
            throw new ResourceAdapterInternalException("the connection to Tern at " + settings.url() + " is broken");
        }
    }

    // ---- what sessions work on ---------------------------------------------------------------------

    /**
     * The physical session the work of a handle goes to now: the locally transacted one during a local
     * transaction, else the XA session, which works in the container's XA branch between start and end and
     * as an auto-acknowledge session outside any transaction.
     */
    Session currentSession() throws JMSException {
        if (inLocalTransaction) {
            return localSession();
        }
        return xaSession;
    }

    /** Whether the work goes into a transaction now (XA branch or local transaction). */
    boolean inTransaction() {
        TernXAResource r = xaResource;
        return inLocalTransaction || r != null && r.isAssociated();
    }

    private synchronized Session localSession() throws JMSException {
        if (localSession == null) {
            localSession = physical.createSession(Session.SESSION_TRANSACTED);
        }
        return localSession;
    }

    void beginLocal() throws ResourceException {
        TernXAResource r = xaResource;
        if (r != null && r.isAssociated()) {
            throw new jakarta.resource.spi.IllegalStateException("an XA transaction is in progress");
        }
        if (inLocalTransaction) {
            throw new jakarta.resource.spi.IllegalStateException("a local transaction is in progress");
        }
        inLocalTransaction = true;
    }

    void endLocal(boolean commit) throws ResourceException {
        if (!inLocalTransaction) {
            throw new jakarta.resource.spi.IllegalStateException("no local transaction is in progress");
        }
        inLocalTransaction = false;
        try {
            if (commit) {
                localSession().commit();
            } else {
                localSession().rollback();
            }
        } catch (JMSException e) {
            ResourceException re = new ResourceException((commit ? "commit" : "rollback") + " failed: " + e.getMessage(), e);
            throw re;
        }
    }

    // ---- the container's view ----------------------------------------------------------------------

    @Override
    public XAResource getXAResource() {
        return enlisted;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return localTransaction;
    }

    /**
     * Back to the state of a new connection, for the pool: handles are closed (their producers, consumers and
     * browsers too), a local transaction left open rolls back, delivery stops.
     */
    @Override
    public void cleanup() throws ResourceException {
        for (TernConnectionHandle h : handles) {
            h.invalidate();
        }
        handles.clear();
        if (inLocalTransaction) {
            try {
                endLocal(false);
            } catch (ResourceException e) {
                LOG.log(Level.FINE, "rollback of a local transaction left open failed", e);
            }
        }
        XAConnection c = physical;
        if (!broken && c != null) {
            try {
                c.stop();
            } catch (JMSException e) {
                LOG.log(Level.FINE, "stopping delivery failed", e);
            }
        }
        pooled = true;
        releaseClientIdIfIdle();
    }

    @Override
    public void destroy() {
        destroyed = true;
        closeQuietly(physical);
        physical = null;
    }

    /** The physical connection failed: the pool must drop this connection. */
    private void failed(JMSException cause) {
        if (broken || destroyed) {
            return;
        }
        broken = true;
        LOG.warning("Tern connection to " + settings.url() + " failed: " + cause.getMessage());
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause);
        for (ConnectionEventListener l : listeners) {
            l.connectionErrorOccurred(event);
        }
    }

    private static void closeQuietly(XAConnection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a connection failed", e);
            }
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    /** Local-transaction events for the container, when the application demarcates them itself. */
    void fire(int type) {
        ConnectionEvent event = new ConnectionEvent(this, type);
        for (ConnectionEventListener l : listeners) {
            switch (type) {
                case ConnectionEvent.LOCAL_TRANSACTION_STARTED -> l.localTransactionStarted(event);
                case ConnectionEvent.LOCAL_TRANSACTION_COMMITTED -> l.localTransactionCommitted(event);
                default -> l.localTransactionRolledback(event);
            }
        }
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "Tern";
            }

            @Override
            public String getEISProductVersion() {
                try {
                    XAConnection c = physical;
                    return c == null ? "unknown" : c.getMetaData().getProviderVersion();
                } catch (JMSException e) {
                    return "unknown";
                }
            }

            @Override
            public int getMaxConnections() {
                return 0;
            }

            @Override
            public String getUserName() {
                return settings.user();
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public String toString() {
        return "TernManagedConnection[" + settings + (broken ? ", broken" : "") + "]";
    }

    /**
     * The resource the container enlists: the current physical connection's (connecting one, for a connection
     * with a client id that is idle), and it knows when a branch is open, so that the client id is let go of only
     * after the branch is finished.
     */
    private final class CurrentXAResource implements XAResource {

        private EnlistedXAResource current() throws XAException {
            EnlistedXAResource r = sessionResource;
            if (r != null) {
                return r;
            }
            try {
                connect();
            } catch (ResourceException e) {
                XAException x = new XAException("cannot connect to Tern at " + settings.url() + ": " + e.getMessage());
                x.errorCode = XAException.XAER_RMFAIL;
                x.initCause(e);
                throw x;
            }
            return sessionResource;
        }

        private void finished() {
            branchOpen = false;
            releaseClientIdIfIdle();
        }

        @Override
        public void start(Xid xid, int flags) throws XAException {
            EnlistedXAResource r = current();
            branchOpen = true;
            r.start(xid, flags);
        }

        @Override
        public void end(Xid xid, int flags) throws XAException {
            current().end(xid, flags);
        }

        @Override
        public int prepare(Xid xid) throws XAException {
            int vote = current().prepare(xid);
            if (vote == XA_RDONLY) {
                finished();
            }
            return vote;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) throws XAException {
            try {
                current().commit(xid, onePhase);
            } finally {
                finished();
            }
        }

        @Override
        public void rollback(Xid xid) throws XAException {
            try {
                current().rollback(xid);
            } finally {
                finished();
            }
        }

        @Override
        public Xid[] recover(int flag) throws XAException {
            return current().recover(flag);
        }

        @Override
        public void forget(Xid xid) throws XAException {
            current().forget(xid);
        }

        @Override
        public boolean isSameRM(XAResource other) throws XAException {
            XAResource o = other instanceof CurrentXAResource c ? c.current() : other;
            return current().isSameRM(o);
        }

        @Override
        public int getTransactionTimeout() throws XAException {
            return current().getTransactionTimeout();
        }

        @Override
        public boolean setTransactionTimeout(int seconds) throws XAException {
            return current().setTransactionTimeout(seconds);
        }

        @Override
        public String toString() {
            return "CurrentXAResource[" + sessionResource + "]";
        }
    }
}
