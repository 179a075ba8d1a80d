package org.ternmq.ra;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;

/**
 * Tern's resource adapter: the settings every connection of the adapter starts from (a connection URL that
 * may name several brokers, user, password, client id, how often and how long to retry a lost connection),
 * the activations of message-driven beans, and the resources a transaction manager recovers with.
 *
 * <p>Talks to brokers only through {@code tern-jms-provider}. Threads: the container calls it from its
 * threads; the activations deliver on the client's listener threads and reconnect through the container's
 * {@link WorkManager}.
 */
public class TernResourceAdapter implements ResourceAdapter, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TernResourceAdapter.class.getName());

    private String connectionUrl = ConnectionSettings.DEFAULT_URL;
    private String user;
    private String password;
    private String clientId;
    private Integer reconnectAttempts = -1;
    private Long reconnectInterval = 2000L;

    private transient volatile BootstrapContext bootstrap;
    private final transient Map<ActivationKey, TernEndpointActivation> activations = new ConcurrentHashMap<>();
    private final transient Map<ConnectionSettings, TernRecoveryResource> recovery = new ConcurrentHashMap<>();

    /** The (factory, spec) pair a container activates and deactivates together: compared by identity. */
    private record ActivationKey(MessageEndpointFactory factory, ActivationSpec spec) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ActivationKey k && k.factory == factory && k.spec == spec;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(factory) * 31 + System.identityHashCode(spec);
        }
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        String problem = settings().urlProblem();
        if (problem != null) {
            throw new ResourceAdapterInternalException("Tern resource adapter: " + problem);
        }
        this.bootstrap = context;
        LOG.info("Tern resource adapter started: " + settings());
    }

    @Override
    public void stop() {
        for (TernEndpointActivation a : activations.values()) {
            a.stop();
        }
        activations.clear();
        for (TernRecoveryResource r : recovery.values()) {
            r.close();
        }
        recovery.clear();
        LOG.info("Tern resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof TernActivationSpec tern)) {
            throw new NotSupportedException("not a Tern activation spec: " + spec);
        }
        tern.validate();
        TernEndpointActivation activation = new TernEndpointActivation(this, factory, tern);
        ActivationKey key = new ActivationKey(factory, spec);
        activations.put(key, activation);
        try {
            activation.start();
        } catch (ResourceException | RuntimeException e) {
            // a failed activation is not active: the container will not deactivate it
            activations.remove(key, activation);
            throw e;
        }
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        TernEndpointActivation activation = activations.remove(new ActivationKey(factory, spec));
        if (activation != null) {
            activation.stop();
        }
    }

    /**
     * Resources that list and finish this adapter's prepared branches, one per broker and user the activations
     * connect as (and the adapter's own), for the server's transaction manager to recover with after a crash.
     */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        Map<ConnectionSettings, Boolean> wanted = new LinkedHashMap<>();
        ConnectionSettings base = settings();
        wanted.put(new ConnectionSettings(base.url(), base.user(), base.password(), null), true);
        if (specs != null) {
            for (ActivationSpec s : specs) {
                if (s instanceof TernActivationSpec t) {
                    ConnectionSettings c = t.settings(this);
                    wanted.put(new ConnectionSettings(c.url(), c.user(), c.password(), null), true);
                }
            }
        }
        List<XAResource> resources = new ArrayList<>();
        for (ConnectionSettings c : wanted.keySet()) {
            resources.add(recovery.computeIfAbsent(c, TernRecoveryResource::new));
        }
        return resources.toArray(new XAResource[0]);
    }

    // ---- what the rest of the adapter uses ------------------------------------------------------

    ConnectionSettings settings() {
        return new ConnectionSettings(connectionUrl, user, password, clientId);
    }

    int reconnectAttemptsOrDefault() {
        return reconnectAttempts == null ? -1 : reconnectAttempts;
    }

    long reconnectIntervalOrDefault() {
        return reconnectInterval == null ? 2000 : reconnectInterval;
    }

    /** The container's work manager, or null outside a container (tests): work then runs on a new thread. */
    WorkManager workManager() {
        BootstrapContext b = bootstrap;
        return b == null ? null : b.getWorkManager();
    }

    void runWork(Runnable work, String name) {
        WorkManager wm = workManager();
        if (wm != null) {
            try {
                wm.scheduleWork(new jakarta.resource.spi.work.Work() {
                    @Override
                    public void release() {
                    }

                    @Override
                    public void run() {
                        work.run();
                    }
                });
                return;
            } catch (jakarta.resource.spi.work.WorkException e) {
                LOG.log(Level.WARNING, "the work manager refused " + name + "; running it on a thread of our own", e);
            }
        }
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
    }

    // ---- configuration (JavaBean properties, ra.xml config-property) -----------------------------

    public String getConnectionUrl() {
        return connectionUrl;
    }

    public void setConnectionUrl(String connectionUrl) {
        this.connectionUrl = connectionUrl;
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

    public void setClientId(String clientId) {
        this.clientId = clientId == null || clientId.isEmpty() ? null : clientId;
    }

    public Integer getReconnectAttempts() {
        return reconnectAttempts;
    }

    /** How often an activation retries a lost connection before it gives up; -1 (the default) for ever. */
    public void setReconnectAttempts(Integer reconnectAttempts) {
        this.reconnectAttempts = reconnectAttempts;
    }

    public Long getReconnectInterval() {
        return reconnectInterval;
    }

    /** Milliseconds between attempts to reconnect (default 2000). */
    public void setReconnectInterval(Long reconnectInterval) {
        this.reconnectInterval = reconnectInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernResourceAdapter r && Objects.equals(r.connectionUrl, connectionUrl)
                && Objects.equals(r.user, user) && Objects.equals(r.password, password)
                && Objects.equals(r.clientId, clientId) && Objects.equals(r.reconnectAttempts, reconnectAttempts)
                && Objects.equals(r.reconnectInterval, reconnectInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionUrl, user, clientId, reconnectAttempts, reconnectInterval);
    }
}
