package org.ternmq.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.security.FileLoginModule;
import org.ternmq.broker.security.LoginModule;
import org.ternmq.broker.security.PasswordHash;
import org.ternmq.broker.security.Permissions;
import org.ternmq.broker.security.TlsSettings;
import org.ternmq.broker.security.UserCredentials;
import org.ternmq.store.IoMode;
import org.ternmq.store.SyncPolicy;
import org.ternmq.transport.TransportAddress;

/**
 * A broker's whole configuration: immutable, built with {@link #builder()} and validated in one step by
 * {@link Builder#build()}, which names every setting that is wrong. Each setting is documented where it is
 * declared in {@link BrokerSetting}, with its default.
 */
public final class BrokerConfig {

    private final String name;
    private final String host;
    private final int tcpPort;
    private final String inVmName;
    private final Path dataDirectory;
    private final boolean allowAnonymous;
    private final Map<String, UserCredentials> users;
    private final LoginModule loginModule;
    private final long loginFailureDelay;
    private final boolean allowAnonymousGiven;
    private final Permissions permissions;
    private final long handshakeTimeout;
    private final TlsSettings tls;
    private final int maxFrameLength;
    private final int producerWindow;
    private final PolicyRepository policies;
    private final long expiryScanPeriod;
    private final long xaTimeout;
    private final long maxMemory;
    private final boolean persistence;
    private final SyncPolicy syncPolicy;
    private final int journalSegmentSize;
    private final IoMode journalIoMode;
    private final int journalSpinMicros;
    private final boolean journalAgentWrites;
    private final int managementPort;
    private final String managementHost;
    private final boolean metricsPerDestination;
    private final int jmxPort;
    private final String jmxHost;

    private BrokerConfig(Builder b) {
        this.name = b.name;
        this.host = b.host;
        this.tcpPort = b.tcpPort;
        this.inVmName = b.inVmName;
        this.dataDirectory = b.dataDirectory;
        this.users = Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
        this.loginModule = b.loginModule != null ? b.loginModule : users.isEmpty() ? null : new FileLoginModule(users);
        this.allowAnonymousGiven = b.allowAnonymous != null;
        this.allowAnonymous = b.allowAnonymous != null ? b.allowAnonymous
                : loginModule == null || !loginModule.hasUsers();
        this.loginFailureDelay = b.loginFailureDelay;
        this.permissions = new Permissions(b.permissions, b.policies);
        this.handshakeTimeout = b.handshakeTimeout;
        this.tls = b.tls;
        this.maxFrameLength = b.maxFrameLength;
        this.producerWindow = b.producerWindow;
        this.policies = b.policies;
        this.expiryScanPeriod = b.expiryScanPeriod;
        this.xaTimeout = b.xaTimeout;
        this.maxMemory = b.maxMemory == 0 ? Runtime.getRuntime().maxMemory() / 2 : b.maxMemory;
        this.persistence = b.persistence;
        this.syncPolicy = b.syncPolicy;
        this.journalSegmentSize = b.journalSegmentSize;
        this.journalIoMode = b.journalIoMode;
        this.journalSpinMicros = b.journalSpinMicros;
        this.journalAgentWrites = b.journalAgentWrites;
        this.managementPort = b.managementPort;
        this.managementHost = b.managementHost;
        this.metricsPerDestination = b.metricsPerDestination;
        this.jmxPort = b.jmxPort;
        this.jmxHost = b.jmxHost;
    }

    /** The JMX (RMI) port: -1 off (the default), 0 any free port. */
    public int jmxPort() {
        return jmxPort;
    }

    /** The address the JMX port binds to. */
    public String jmxHost() {
        return jmxHost;
    }

    /** Whether the metrics have a series of each queue and subscription (false: the broker's only). */
    public boolean metricsPerDestination() {
        return metricsPerDestination;
    }

    /** The HTTP port of metrics and the web console: -1 off (the default), 0 any free port. */
    public int managementPort() {
        return managementPort;
    }

    /** The address the management port binds to. */
    public String managementHost() {
        return managementHost;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The broker's name, shown to clients and in logs. */
    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    /** The TCP port to listen on; 0 picks a free one, -1 means no TCP acceptor. */
    public int tcpPort() {
        return tcpPort;
    }

    /** The in-VM acceptor's name, or null for none. */
    public String inVmName() {
        return inVmName;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Whether clients without a user name are let in: as set, else only when the broker has no users (a
     * broker with users refuses anonymous clients unless told otherwise).
     */
    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    /** Whether {@link Builder#allowAnonymous} was called, rather than the default applied. */
    public boolean allowAnonymousGiven() {
        return allowAnonymousGiven;
    }

    /** The users given with {@link Builder#user} and {@link Builder#users}. */
    public Map<String, UserCredentials> users() {
        return users;
    }

    /** Who the users are: the one set, else a {@link FileLoginModule} of {@link #users()}, else null (no users). */
    public LoginModule loginModule() {
        return loginModule;
    }

    /** TLS of the TCP acceptor, or null for plain TCP. */
    public TlsSettings tls() {
        return tls;
    }

    /** Milliseconds a new connection has to log in before it is closed. */
    public long handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Who may do what with which destinations (used only when the broker has users). */
    public Permissions permissions() {
        return permissions;
    }

    /** Milliseconds the first failed login from an address is slowed by; doubled with each further failure. */
    public long loginFailureDelay() {
        return loginFailureDelay;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public int producerWindow() {
        return producerWindow;
    }

    /** Per-destination policies (redelivery, dead-letter, expiry, duplicate detection). */
    public PolicyRepository policies() {
        return policies;
    }

    /** Milliseconds between scans that move expired messages out of queues nobody consumes. */
    public long expiryScanPeriod() {
        return expiryScanPeriod;
    }

    /** How long (ms) an XA branch may stay unprepared when its transaction manager set no timeout. */
    public long xaTimeout() {
        return xaTimeout;
    }

    /** Bytes of waiting messages the broker holds on the heap before it holds producers back. */
    public long maxMemory() {
        return maxMemory;
    }

    /** Whether persistent messages go to the journal (false: everything in memory, lost on restart). */
    public boolean persistence() {
        return persistence;
    }

    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    public int journalSegmentSize() {
        return journalSegmentSize;
    }

    public IoMode journalIoMode() {
        return journalIoMode;
    }

    /** Microseconds the journal's writer polls for work before it sleeps (0: never). */
    public int journalSpinMicros() {
        return journalSpinMicros;
    }

    /** Whether the agent thread writes and forces a journal batch itself while the journal's writer is idle. */
    public boolean journalAgentWrites() {
        return journalAgentWrites;
    }

    /** Where the journal lives: {@code journal/} under the data directory. */
    public Path journalDirectory() {
        return dataDirectory.resolve("journal");
    }

    /** Fills in defaults, then checks every setting; one exception lists all problems. */
    public static final class Builder {
        private String name = BrokerSetting.NAME.defaultValue();
        private String host = BrokerSetting.HOST.defaultValue();
        private int tcpPort = Integer.parseInt(BrokerSetting.PORT.defaultValue());
        private String inVmName;
        private Path dataDirectory = Path.of(BrokerSetting.DATA_DIRECTORY.defaultValue());
        private Boolean allowAnonymous;
        private final Map<String, UserCredentials> users = new LinkedHashMap<>();
        private LoginModule loginModule;
        private List<Permissions.Entry> permissions = List.of();
        private long handshakeTimeout = Long.parseLong(BrokerSetting.HANDSHAKE_TIMEOUT.defaultValue());
        private TlsSettings tls;
        private long loginFailureDelay = Long.parseLong(BrokerSetting.LOGIN_FAILURE_DELAY.defaultValue());
        private int maxFrameLength = Integer.parseInt(BrokerSetting.MAX_FRAME_LENGTH.defaultValue());
        private int producerWindow = Integer.parseInt(BrokerSetting.PRODUCER_WINDOW.defaultValue());
        private PolicyRepository policies = PolicyRepository.defaults();
        private long expiryScanPeriod = Long.parseLong(BrokerSetting.EXPIRY_SCAN_PERIOD.defaultValue());
        private long xaTimeout = Long.parseLong(BrokerSetting.XA_TIMEOUT.defaultValue());
        private long maxMemory = Long.parseLong(BrokerSetting.MAX_MEMORY.defaultValue());
        private boolean persistence = Boolean.parseBoolean(BrokerSetting.PERSISTENCE.defaultValue());
        private SyncPolicy syncPolicy = SyncPolicy.valueOf(BrokerSetting.SYNC_POLICY.defaultValue());
        private int journalSegmentSize = Integer.parseInt(BrokerSetting.JOURNAL_SEGMENT_SIZE.defaultValue());
        private IoMode journalIoMode = IoMode.valueOf(BrokerSetting.JOURNAL_IO_MODE.defaultValue());
        private int journalSpinMicros = Integer.parseInt(BrokerSetting.JOURNAL_SPIN.defaultValue());
        private boolean journalAgentWrites = Boolean.parseBoolean(BrokerSetting.JOURNAL_AGENT_WRITES.defaultValue());
        private int managementPort = Integer.parseInt(BrokerSetting.MANAGEMENT_PORT.defaultValue());
        private String managementHost = BrokerSetting.MANAGEMENT_HOST.defaultValue();
        private boolean metricsPerDestination =
                Boolean.parseBoolean(BrokerSetting.METRICS_PER_DESTINATION.defaultValue());
        private int jmxPort = Integer.parseInt(BrokerSetting.JMX_PORT.defaultValue());
        private String jmxHost = BrokerSetting.JMX_HOST.defaultValue();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder tcpPort(int port) {
            this.tcpPort = port;
            return this;
        }

        public Builder inVmName(String inVmName) {
            this.inVmName = inVmName;
            return this;
        }

        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder allowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
            return this;
        }

        /**
         * A user given in code. Its password is hashed with {@value #IN_CODE_ITERATIONS} iterations only: it
         * is in the program already, so a costly hash would protect nothing and slow every login.
         */
        public Builder user(String user, String password, String... roles) {
            if (password == null) {
                throw new IllegalArgumentException("user '" + user + "' needs a password");
            }
            users.put(user, new UserCredentials(user, PasswordHash.create(password.toCharArray(), IN_CODE_ITERATIONS),
                    List.of(roles)));
            return this;
        }

        /** Iterations of the hash of a password given in code. */
        public static final int IN_CODE_ITERATIONS = 4096;

        /** Replaces the users of {@link #user} with another login module (LDAP, a database...). */
        public Builder loginModule(LoginModule module) {
            this.loginModule = module;
            return this;
        }

        /** The configured permission blocks; the built-in defaults ({@link Permissions}) come below them. */
        public Builder permissions(List<Permissions.Entry> entries) {
            this.permissions = List.copyOf(entries);
            return this;
        }

        /** TLS for the TCP acceptor; null for plain TCP. */
        public Builder tls(TlsSettings tls) {
            this.tls = tls;
            return this;
        }

        public Builder handshakeTimeout(long millis) {
            this.handshakeTimeout = millis;
            return this;
        }

        public Builder loginFailureDelay(long millis) {
            this.loginFailureDelay = millis;
            return this;
        }

        public Builder users(Map<String, UserCredentials> all) {
            users.putAll(all);
            return this;
        }

        public Builder maxFrameLength(int maxFrameLength) {
            this.maxFrameLength = maxFrameLength;
            return this;
        }

        public Builder producerWindow(int producerWindow) {
            this.producerWindow = producerWindow;
            return this;
        }

        public Builder policies(PolicyRepository policies) {
            this.policies = policies;
            return this;
        }

        /** @param bytes 0 for half the JVM's maximum heap */
        public Builder maxMemory(long bytes) {
            this.maxMemory = bytes;
            return this;
        }

        public Builder persistence(boolean persistence) {
            this.persistence = persistence;
            return this;
        }

        public Builder syncPolicy(SyncPolicy syncPolicy) {
            this.syncPolicy = syncPolicy;
            return this;
        }

        public Builder journalSegmentSize(int bytes) {
            this.journalSegmentSize = bytes;
            return this;
        }

        /** Microseconds the journal's writer polls for work before it sleeps, governed by the CPU load; 0: never. */
        public Builder journalSpinMicros(int micros) {
            this.journalSpinMicros = micros;
            return this;
        }

        /** Whether the agent thread writes and forces a journal batch itself while the journal's writer is idle. */
        public Builder journalAgentWrites(boolean agentWrites) {
            this.journalAgentWrites = agentWrites;
            return this;
        }

        public Builder journalIoMode(IoMode mode) {
            this.journalIoMode = mode;
            return this;
        }

        /** The HTTP port of metrics and the web console: -1 off, 0 any free port. */
        public Builder managementPort(int port) {
            this.managementPort = port;
            return this;
        }

        /** Whether {@code /metrics} has the series of each queue and subscription (true by default). */
        public Builder metricsPerDestination(boolean on) {
            this.metricsPerDestination = on;
            return this;
        }

        /** The JMX (RMI) port JConsole connects to: -1 off, 0 any free port. */
        public Builder jmxPort(int port) {
            this.jmxPort = port;
            return this;
        }

        public Builder jmxHost(String host) {
            this.jmxHost = host;
            return this;
        }

        public Builder managementHost(String host) {
            this.managementHost = host;
            return this;
        }

        public Builder xaTimeout(long millis) {
            this.xaTimeout = millis;
            return this;
        }

        public Builder expiryScanPeriod(long millis) {
            this.expiryScanPeriod = millis;
            return this;
        }

        /** @throws IllegalArgumentException naming every invalid setting */
        public BrokerConfig build() {
            List<String> problems = problems();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid broker configuration: " + String.join("; ", problems));
            }
            return new BrokerConfig(this);
        }

        /** Every problem of the settings given so far, each naming its setting's key; empty when they are valid. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (name == null || name.isBlank()) {
                problems.add(BrokerSetting.NAME.key() + " must not be empty");
            }
            if (tcpPort >= 0 && (host == null || host.isBlank())) {
                problems.add(BrokerSetting.HOST.key() + " must not be empty when TCP is enabled");
            }
            if (tcpPort < -1 || tcpPort > 65535) {
                problems.add(BrokerSetting.PORT.key() + " must be -1 (off), 0 (any) or 1-65535, was " + tcpPort);
            }
            if (managementPort < -1 || managementPort > 65535) {
                problems.add(BrokerSetting.MANAGEMENT_PORT.key() + " must be -1 (off), 0 (any) or 1-65535, was "
                        + managementPort);
            }
            if (managementPort >= 0 && (managementHost == null || managementHost.isBlank())) {
                problems.add(BrokerSetting.MANAGEMENT_HOST.key() + " must not be empty when the management port is on");
            }
            if (jmxPort < -1 || jmxPort > 65535) {
                problems.add(BrokerSetting.JMX_PORT.key() + " must be -1 (off), 0 (any) or 1-65535, was " + jmxPort);
            }
            if (jmxPort >= 0 && (jmxHost == null || jmxHost.isBlank())) {
                problems.add(BrokerSetting.JMX_HOST.key() + " must not be empty when the JMX port is on");
            } else if (jmxPort >= 0 && users.isEmpty() && (loginModule == null || !loginModule.hasUsers())
                    && !isLoopback(jmxHost)) {
                problems.add("a broker without users may open JMX (" + BrokerSetting.JMX_PORT.key() + ") on a loopback "
                        + "address only, was " + BrokerSetting.JMX_HOST.key() + " " + jmxHost + ": anyone who can reach "
                        + "it could manage the broker. Give users (--" + BrokerSetting.USERS_FILE.key() + ")");
            }
            if (tcpPort == -1 && inVmName == null) {
                problems.add("at least one acceptor is needed: set " + BrokerSetting.PORT.key() + " or an in-VM name");
            }
            if (inVmName != null && inVmName.isBlank()) {
                problems.add("in-VM name must not be blank");
            }
            if (dataDirectory == null) {
                problems.add(BrokerSetting.DATA_DIRECTORY.key() + " must be set");
            }
            if (maxFrameLength < 1024) {
                problems.add(BrokerSetting.MAX_FRAME_LENGTH.key() + " must be at least 1024, was " + maxFrameLength);
            }
            if (producerWindow < 1024) {
                problems.add(BrokerSetting.PRODUCER_WINDOW.key() + " must be at least 1024, was " + producerWindow);
            }
            if (maxMemory < 0 || (maxMemory > 0 && maxMemory < 1024 * 1024)) {
                problems.add(BrokerSetting.MAX_MEMORY.key() + " must be 0 (half the heap) or at least 1 MiB, was " + maxMemory);
            }
            if (journalSpinMicros < 0 || journalSpinMicros > 10_000) {
                problems.add(BrokerSetting.JOURNAL_SPIN.key() + " must be 0 (off) to 10000 microseconds, was "
                        + journalSpinMicros);
            }
            if (journalIoMode == null) {
                problems.add(BrokerSetting.JOURNAL_IO_MODE.key() + " must be set");
            }
            if (syncPolicy == null) {
                problems.add(BrokerSetting.SYNC_POLICY.key() + " must be set");
            }
            if (journalSegmentSize < 1024 * 1024 || journalSegmentSize < (long) maxFrameLength + 64 * 1024) {
                problems.add(BrokerSetting.JOURNAL_SEGMENT_SIZE.key() + " must be at least 1 MiB and exceed "
                        + BrokerSetting.MAX_FRAME_LENGTH.key() + " (" + maxFrameLength + ") by 64 KiB, was "
                        + journalSegmentSize);
            }
            if (xaTimeout < 1) {
                problems.add(BrokerSetting.XA_TIMEOUT.key() + " must be at least 1 ms, was " + xaTimeout);
            }
            if (expiryScanPeriod < 10) {
                problems.add(BrokerSetting.EXPIRY_SCAN_PERIOD.key() + " must be at least 10 ms, was " + expiryScanPeriod);
            }
            if (policies == null) {
                problems.add("policies must be set");
            }
            for (UserCredentials u : users.values()) {
                if (u.name() == null || u.name().isEmpty() || u.password() == null) {
                    problems.add("user entries need a name and a password: " + u.name());
                }
            }
            if (loginModule != null && !users.isEmpty()) {
                problems.add("users are given both in code and by a login module; give them one way");
            }
            boolean hasUsers = !users.isEmpty() || (loginModule != null && loginModule.hasUsers());
            if (tcpPort >= 0 && host != null && !host.isBlank() && !hasUsers && allowAnonymous == null
                    && !isLoopback(host)) {
                problems.add("a broker without users may listen on a non-loopback address (" + BrokerSetting.HOST.key()
                        + " " + host + ") only with " + BrokerSetting.ALLOW_ANONYMOUS.key()
                        + " given explicitly: anyone who can reach it could use and manage it. Give users (--"
                        + BrokerSetting.USERS_FILE.key() + ") or --" + BrokerSetting.ALLOW_ANONYMOUS.key());
            }
            if (tls != null) {
                problems.addAll(tls.check());
            }
            if (handshakeTimeout < 100) {
                problems.add(BrokerSetting.HANDSHAKE_TIMEOUT.key() + " must be at least 100 ms, was " + handshakeTimeout);
            }
            if (loginFailureDelay < 0 || loginFailureDelay > 60_000) {
                problems.add(BrokerSetting.LOGIN_FAILURE_DELAY.key() + " must be 0 to 60000 ms, was " + loginFailureDelay);
            }
            return problems;
        }
    }

    /** Whether {@code host} names only this machine's loopback interface (unresolvable: false). */
    public static boolean isLoopback(String host) {
        try {
            for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The TCP address clients use to reach this broker, or null without TCP. */
    public TransportAddress tcpAddress(int boundPort) {
        return tcpPort < 0 ? null : TransportAddress.tcp(Objects.requireNonNull(host), boundPort);
    }
}
