package org.ternmq.ra;

import java.io.PrintWriter;
import java.io.Serializable;
import java.util.Objects;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.security.PasswordCredential;

/**
 * One outbound connection pool's factory: makes the managed (physical) connections the container pools, and the
 * connection factory applications look up ({@link TernRaConnectionFactory}). Its settings override the
 * resource adapter's where set. XA transactions are supported, and local ones for servers that use them.
 *
 * <p>Thread-safety: the container configures it before use; afterwards any thread.
 */
public class TernManagedConnectionFactory
        implements ManagedConnectionFactory, ResourceAdapterAssociation, TransactionSupport, Serializable {

    private static final long serialVersionUID = 1L;

    private String connectionUrl;
    private String user;
    private String password;
    private String clientId;
    private transient TernResourceAdapter adapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new TernRaConnectionFactory(this, manager);
    }

    /** Outside a container: connections are made on demand and never pooled. */
    @Override
    public Object createConnectionFactory() {
        return new TernRaConnectionFactory(this, new UnpooledConnectionManager());
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        return new TernManagedConnection(this, settingsFor(subject, info), requestInfo(info));
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public ManagedConnection matchManagedConnections(Set set, Subject subject, ConnectionRequestInfo info) {
        TernConnectionRequestInfo wanted = requestInfo(info);
        for (Object o : (Set<Object>) set) {
            if (o instanceof TernManagedConnection mc && mc.factory() == this && mc.requestInfo().equals(wanted)
                    && mc.isUsable()) {
                return mc;
            }
        }
        return null;
    }

    private static TernConnectionRequestInfo requestInfo(ConnectionRequestInfo info) {
        return info instanceof TernConnectionRequestInfo t ? t : TernConnectionRequestInfo.DEFAULT;
    }

    /** The settings of a new connection: the request's user, else the container's credential, else ours and the adapter's. */
    ConnectionSettings settingsFor(Subject subject, ConnectionRequestInfo info) {
        ConnectionSettings s = base();
        TernConnectionRequestInfo request = requestInfo(info);
        if (request.user != null) {
            return s.overriddenBy(null, request.user, request.password, null);
        }
        if (subject != null) {
            for (PasswordCredential pc : subject.getPrivateCredentials(PasswordCredential.class)) {
                if (this.equals(pc.getManagedConnectionFactory())) {
                    return s.overriddenBy(null, pc.getUserName(), new String(pc.getPassword()), null);
                }
            }
        }
        return s;
    }

    /** The adapter's settings with ours over them. */
    ConnectionSettings base() {
        ConnectionSettings s = adapter != null ? adapter.settings()
                : new ConnectionSettings(ConnectionSettings.DEFAULT_URL, null, null, null);
        return s.overriddenBy(connectionUrl, user, password, clientId);
    }

    @Override
    public TransactionSupportLevel getTransactionSupport() {
        return TransactionSupportLevel.XATransaction;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof TernResourceAdapter t)) {
            throw new ResourceException("a Tern connection factory needs the Tern resource adapter, not " + ra);
        }
        this.adapter = t;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    // ---- configuration ----------------------------------------------------------------------------

    public String getConnectionUrl() {
        return connectionUrl;
    }

    /** Overrides the adapter's connection URL for this pool. */
    public void setConnectionUrl(String connectionUrl) {
        this.connectionUrl = connectionUrl == null || connectionUrl.isBlank() ? null : connectionUrl;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user == null || user.isEmpty() ? null : user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getClientId() {
        return clientId;
    }

    /** A client id for this pool's connections; only for a pool of size one (a client id is unique). */
    public void setClientId(String clientId) {
        this.clientId = clientId == null || clientId.isEmpty() ? null : clientId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernManagedConnectionFactory f && Objects.equals(f.connectionUrl, connectionUrl)
                && Objects.equals(f.user, user) && Objects.equals(f.password, password)
                && Objects.equals(f.clientId, clientId) && Objects.equals(f.adapter, adapter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionUrl, user, clientId);
    }
}
