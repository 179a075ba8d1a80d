package org.ternmq.ra;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

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
 * <p>Thread-safety: the container gives it to one thread at a time; the connection's failure callback may come
 * from a client thread.
 */
final class TernManagedConnection implements ManagedConnection {

    private static final Logger LOG = Logger.getLogger(TernManagedConnection.class.getName());

    private final TernManagedConnectionFactory factory;
    private final TernConnectionRequestInfo requestInfo;
    private final ConnectionSettings settings;
    private final XAConnection physical;
    private final XASession xaSession;
    private final TernXAResource xaResource;
    /** What the container enlists: {@link #xaResource}, able to finish a branch after the connection is lost. */
    private final EnlistedXAResource enlisted;
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
        XAConnection c = null;
        try {
            c = settings.factory().createXAConnection();
            if (settings.clientId() != null) {
                c.setClientID(settings.clientId());
            }
            c.setExceptionListener(this::failed);
            this.xaSession = c.createXASession();
            this.xaResource = (TernXAResource) xaSession.getXAResource();
            this.enlisted = new EnlistedXAResource(xaResource, settings);
            this.physical = c;
        } catch (JMSException e) {
            closeQuietly(c);
            throw new ResourceAdapterInternalException("cannot connect to Tern at " + settings.url() + ": "
                    + e.getMessage(), e);
        }
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
        return inLocalTransaction || xaResource.isAssociated();
    }

    private synchronized Session localSession() throws JMSException {
        if (localSession == null) {
            localSession = physical.createSession(Session.SESSION_TRANSACTED);
        }
        return localSession;
    }

    void beginLocal() throws ResourceException {
        if (xaResource.isAssociated()) {
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
        if (!broken) {
            try {
                physical.stop();
            } catch (JMSException e) {
                LOG.log(Level.FINE, "stopping delivery failed", e);
            }
        }
    }

    @Override
    public void destroy() {
        destroyed = true;
        closeQuietly(physical);
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
                    return physical.getMetaData().getProviderVersion();
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
}
