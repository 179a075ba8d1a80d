package org.ternmq.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.ternmq.broker.core.BrokerAgent;
import org.ternmq.broker.management.BrokerManagement;
import org.ternmq.broker.net.BrokerAcceptor;
import org.ternmq.broker.persistence.JournalStore;
import org.ternmq.broker.persistence.MemoryStore;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.store.JournalConfig;
import org.ternmq.broker.security.Authenticator;
import org.ternmq.transport.TransportAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tern broker running inside this JVM, reachable over TCP, in-VM, or both. This is how tests, samples,
 * applications and the command-line server run a broker:
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).inVmName("test").build())) {
 *     ConnectionFactory cf = new TernConnectionFactory(broker.vmUrl());
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start} and {@link #close} may be called from any thread; close is idempotent.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerConfig config;
    private final BrokerAgent agent;
    private final Authenticator authenticator;
    private final MessageStore store;
    private final BrokerManagement management;
    private final String nodeId;
    private javax.management.ObjectName mbeanName;
    private final List<BrokerAcceptor> acceptors = new ArrayList<>();
    private int tcpPort = -1;
    private org.ternmq.broker.management.BrokerMetrics metrics;
    private org.ternmq.broker.management.JmxRegistrar jmxDestinations;
    private org.ternmq.broker.management.http.ManagementServer managementServer;
    private org.ternmq.broker.management.JmxRemote jmxRemote;
    private volatile boolean closed;
    private volatile org.ternmq.broker.replication.ReplicationSource replication;

    private EmbeddedBroker(BrokerConfig config, MessageStore store, String nodeId) {
        this.config = config;
        this.store = store;
        this.nodeId = nodeId;
        // a refused client hears why within half the handshake timeout, however many failures its address earned
        this.authenticator = new Authenticator(config.loginModule(), config.allowAnonymous(), config.loginFailureDelay(),
                config.tls() == null ? null : config.tls()::userOf, Math.max(1, config.handshakeTimeout() / 2));
        this.agent = new BrokerAgent(config, authenticator, store, nodeId);
        this.management = new BrokerManagement(agent);
    }

    /**
     * Starts a broker with {@code config}.
     *
     * @throws Exception if the data directory cannot be created or an acceptor cannot bind (e.g. the port
     *     is taken); nothing is left running then
     */
    public static EmbeddedBroker start(BrokerConfig config) throws Exception {
        Files.createDirectories(config.dataDirectory());
        return start(config, openStore(config));
    }

    /**
     * Starts a broker on a store the caller opened (a custom store, or a test's store that fails on cue).
     * The broker owns the store from here: it closes it when it stops, or when it fails to start.
     */
    public static EmbeddedBroker start(BrokerConfig config, MessageStore store) throws Exception {
        EmbeddedBroker broker;
        try {
            // a broker that keeps nothing has no lasting identity either: it is a new resource manager each start
            String nodeId = store.persistent() ? NodeId.load(config.dataDirectory()) : java.util.UUID.randomUUID().toString();
            broker = new EmbeddedBroker(config, store, nodeId);
        } catch (IOException | RuntimeException | Error e) {
            store.close();
            throw e;
        }
        try {
            broker.load();
            // every port but the clients' first: a broker that fails to start has then answered no client (a candidate
            // that could not become live relies on it to give the in-sync set back)
            broker.registerMBean();
            broker.startJmxPort();
            broker.startManagementPort();
            broker.startAcceptors();
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /**
     * Starts a live broker that ships its journal to backups on {@code replication}'s port (see
     * {@link org.ternmq.broker.replication.ReplicationSource}). The replication port is closed with the broker.
     */
    public static EmbeddedBroker startLive(BrokerConfig config,
            org.ternmq.broker.replication.ReplicationConfig replication) throws Exception {
        return startLive(config, replication, source -> { });
    }

    /**
     * As {@link #startLive(BrokerConfig, org.ternmq.broker.replication.ReplicationConfig)}, handing the replication
     * source to {@code prepare} before the journal opens and any client is accepted (a broker elected through
     * ZooKeeper sets its epoch history and its lease check there).
     */
    public static EmbeddedBroker startLive(BrokerConfig config,
            org.ternmq.broker.replication.ReplicationConfig replication,
            java.util.function.Consumer<org.ternmq.broker.replication.ReplicationSource> prepare) throws Exception {
        Files.createDirectories(config.dataDirectory());
        org.ternmq.broker.replication.ReplicationSource source =
                new org.ternmq.broker.replication.ReplicationSource(replication, config.journalDirectory(),
                        config.tls() != null ? config.tls().serverContext() : null);
        prepare.accept(source);
        MessageStore store = null;
        try {
            store = JournalStore.open(journalConfig(config, replication.epoch()), source, source);
            source.start();
        } catch (Exception | Error e) {
            if (store != null) {
                try {
                    store.close(); // else its journal stays locked, and a later attempt cannot open it
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            source.close();
            throw e;
        }
        EmbeddedBroker broker = start(config, store);
        broker.replication = source;
        return broker;
    }

    /** The lasting identity of the broker whose data directory is {@code dataDirectory} (made on first use). */
    public static String nodeIdOf(java.nio.file.Path dataDirectory) throws IOException {
        Files.createDirectories(dataDirectory);
        return NodeId.load(dataDirectory);
    }

    /** The replication source of a live broker started with {@link #startLive}, or null. */
    public org.ternmq.broker.replication.ReplicationSource replication() {
        return replication;
    }

    /** The journal of {@code config}, its frames stamped with activation {@code epoch} (0: none). */
    private static JournalConfig journalConfig(BrokerConfig config, long epoch) {
        return JournalConfig.builder(config.journalDirectory())
                .set(JournalConfig.SYNC_POLICY, config.syncPolicy())
                .set(JournalConfig.SEGMENT_SIZE, config.journalSegmentSize())
                .set(JournalConfig.MAX_PAYLOAD_SIZE, config.maxFrameLength())
                .set(JournalConfig.IO_MODE, config.journalIoMode())
                .set(JournalConfig.SPIN_MICROS, config.journalSpinMicros())
                .set(JournalConfig.EPOCH, epoch)
                .build();
    }

    private static MessageStore openStore(BrokerConfig config) throws IOException {
        if (!config.persistence()) {
            return new MemoryStore();
        }
        return JournalStore.open(journalConfig(config, 0));
    }

    /** Replays the store on the agent thread, before any connection is accepted. */
    private void load() throws Exception {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        agent.execute(() -> {
            try {
                agent.load();
                loaded.complete(null);
            } catch (Exception | Error e) {
                loaded.completeExceptionally(e);
            }
        });
        try {
            loaded.get(10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private void startAcceptors() throws Exception {
        if (config.inVmName() != null) {
            acceptors.add(BrokerAcceptor.bind(TransportAddress.vm(config.inVmName()), agent, config.maxFrameLength(),
                    config.handshakeTimeout(), null));
        }
        if (config.tcpPort() >= 0) {
            BrokerAcceptor tcp = BrokerAcceptor.bind(TransportAddress.tcp(config.host(), config.tcpPort()), agent,
                    config.maxFrameLength(), config.handshakeTimeout(),
                    config.tls() == null ? null : config.tls().serverContext());
            acceptors.add(tcp);
            tcpPort = tcp.port();
            if (config.allowAnonymous() && !BrokerConfig.isLoopback(config.host())) {
                LOG.warn("anonymous clients are allowed on {}:{}, a non-loopback address: anyone who can reach it may "
                        + "connect{}", config.host(), tcpPort, authenticator.hasUsers() ? ""
                        : " and, with no users configured, use and manage everything");
            }
        }
        LOG.info("Tern broker '{}' started: {}{}, data directory {}", config.name(),
                tcpPort >= 0 ? (config.tls() == null ? "tcp " : "tcp+tls ") + config.host() + ":" + tcpPort : "",
                config.inVmName() != null ? " vm://" + config.inVmName() : "",
                config.dataDirectory().toAbsolutePath());
    }

    private void registerMBean() {
        try {
            javax.management.ObjectName name = javax.management.ObjectName.getInstance("org.ternmq:type=Broker,name="
                    + javax.management.ObjectName.quote(config.name()) + (config.inVmName() != null
                    ? ",vm=" + javax.management.ObjectName.quote(config.inVmName()) : "")
                    + (tcpPort >= 0 ? ",port=" + tcpPort : ""));
            java.lang.management.ManagementFactory.getPlatformMBeanServer().registerMBean(management, name);
            mbeanName = name;
            jmxDestinations = new org.ternmq.broker.management.JmxRegistrar(management, config.name(), 2000);
        } catch (javax.management.JMException e) {
            LOG.warn("could not register the broker's JMX bean: {}", e.toString());
        }
    }

    private void startJmxPort() throws IOException {
        if (config.jmxPort() >= 0) {
            try {
                jmxRemote = org.ternmq.broker.management.JmxRemote.start(config.jmxHost(), config.jmxPort(),
                        authenticator);
            } catch (java.rmi.server.ExportException | java.net.BindException e) {
                throw new PortInUseException(BrokerSetting.JMX_PORT.key(), config.jmxHost(), config.jmxPort(),
                        e.getCause() instanceof java.io.IOException io ? io : e);
            }
        }
    }

    /** The JMX service URL JConsole connects to, or null when the JMX port is off. */
    public String jmxUrl() {
        return jmxRemote == null ? null : jmxRemote.url().toString();
    }

    private void startManagementPort() throws IOException {
        if (config.managementPort() < 0) {
            return;
        }
        metrics = new org.ternmq.broker.management.BrokerMetrics(management, store.journalStats(),
                config.metricsPerDestination());
        // startLive sets the replication source once this broker started: read it at each scrape
        metrics.replication(() -> replication == null ? List.of() : replication.backupPositions());
        try {
            managementServer = org.ternmq.broker.management.http.ManagementServer.start(config.managementHost(),
                    config.managementPort(), metrics);
        } catch (java.net.BindException e) {
            throw new PortInUseException(BrokerSetting.MANAGEMENT_PORT.key(), config.managementHost(),
                    config.managementPort(), e);
        }
        new org.ternmq.broker.management.http.Console(management, metrics,
                authenticator, authenticator.hasUsers())
                .install(managementServer);
    }

    /** The broker's metrics, or null when the management port is off. */
    public org.ternmq.broker.management.BrokerMetrics metrics() {
        return metrics;
    }

    /** The management port's base URL ({@code http://host:port/}), or null when it is off. */
    public String managementUrl() {
        return managementServer == null ? null
                : "http://" + config.managementHost() + ":" + managementServer.port() + "/";
    }

    /** The management HTTP server (to serve more on it), or null when it is off. */
    public org.ternmq.broker.management.http.ManagementServer managementServer() {
        return managementServer;
    }

    /** The JMX beans of the destinations (kept in step every 2 s), or null when JMX registration failed. */
    public org.ternmq.broker.management.JmxRegistrar jmxDestinations() {
        return jmxDestinations;
    }

    /** Management operations: list queues, move messages (e.g. out of a dead-letter queue), purge. */
    public BrokerManagement management() {
        return management;
    }

    public BrokerConfig config() {
        return config;
    }

    /** This broker's lasting identity, kept in its data directory (see {@code isSameRM} of its XA resources). */
    public String nodeId() {
        return nodeId;
    }

    /** The bound TCP port, or -1 without TCP. */
    public int tcpPort() {
        return tcpPort;
    }

    /** A connection URL for the TCP acceptor. @throws IllegalStateException without TCP */
    public String tcpUrl() {
        if (tcpPort < 0) {
            throw new IllegalStateException("this broker has no TCP acceptor");
        }
        return (config.tls() == null ? "tern://" : "tern+ssl://") + config.host() + ":" + tcpPort;
    }

    /** A connection URL for the in-VM acceptor. @throws IllegalStateException without in-VM */
    public String vmUrl() {
        if (config.inVmName() == null) {
            throw new IllegalStateException("this broker has no in-VM acceptor");
        }
        return "vm://" + config.inVmName();
    }

    /**
     * Disconnects every client and stops: deliveries not acknowledged go back to their queues, open
     * transactions roll back, delayed work (redelivery delays, delivery times) is left to the next start,
     * and the journal writes and forces what it was given. Bounded: each step that waits has its own limit
     * (README, "Stopping"), so a stop takes well under a second unless a step hits its limit.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        // first, so that a client told of the shutdown cannot connect again to this broker while it stops (a failing
        // over client would restore its sessions here, then lose them with the process)
        for (BrokerAcceptor a : acceptors) {
            a.stopAccepting();
        }
        CountDownLatch disconnected = new CountDownLatch(1);
        agent.execute(() -> {
            agent.disconnectAll("broker shutting down");
            disconnected.countDown();
        });
        try {
            disconnected.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (managementServer != null) {
            managementServer.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        for (BrokerAcceptor a : acceptors) {
            a.close();
        }
        if (jmxRemote != null) {
            jmxRemote.close();
        }
        if (jmxDestinations != null) {
            jmxDestinations.close();
        }
        if (mbeanName != null) {
            try {
                java.lang.management.ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbeanName);
            } catch (javax.management.JMException e) {
                LOG.debug("could not unregister {}: {}", mbeanName, e.toString());
            }
        }
        agent.shutdown();
        authenticator.close();
        store.close();
        if (replication != null) {
            replication.close();
        }
        LOG.info("Tern broker '{}' stopped in {} ms", config.name(), (System.nanoTime() - started) / 1_000_000);
    }
}
