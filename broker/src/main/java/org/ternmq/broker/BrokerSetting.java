package org.ternmq.broker;

/**
 * Every broker setting with its command-line/configuration key, default and one-line documentation, in
 * one place so that {@code --help}, the README and validation agree.
 */
public enum BrokerSetting {
    NAME("name", "tern", "the broker's name, shown to clients and in logs"),
    HOST("host", "127.0.0.1", "the address the TCP acceptor binds to"),
    PORT("port", "61616", "the TCP port; 0 picks a free one, -1 disables TCP"),
    DATA_DIRECTORY("data-dir", "tern-data", "the data directory, created if missing"),
    USERS_FILE("users", "", "a users file (name=<PBKDF2 hash>[,role...], managed with 'tern user'); none means no users"),
    LOGIN_MODULE("login-module", "",
            "class name of a login module (org.ternmq.broker.security.LoginModule) instead of the users file; its "
            + "options are the config file's login.* entries"),
    ALLOW_ANONYMOUS("allow-anonymous", "",
            "whether connections without a user name are accepted; by default only on a broker without users. "
            + "Needed (true) to bind a broker without users to a non-loopback address"),
    LOGIN_FAILURE_DELAY("login-failure-delay", "500",
            "milliseconds the refusal of a failed login, and the next attempt from that address, wait; doubled "
            + "with each further failure from the address, up to 16 times; an attempt never waits more than half "
            + "the handshake-timeout in all, so a refused client always hears why"),
    HANDSHAKE_TIMEOUT("handshake-timeout", "10000",
            "milliseconds a new connection has to complete its handshake and login before it is closed"),
    TLS_KEY_STORE("tls-key-store", "",
            "PKCS12 or JKS (.jks) key store with the broker's key and certificate: turns TLS on for the TCP port"),
    TLS_KEY_STORE_PASSWORD("tls-key-store-password", "", "password of the key store (and of its key)"),
    TLS_CERTIFICATE("tls-certificate", "", "PEM certificate chain, with tls-private-key, instead of a key store"),
    TLS_PRIVATE_KEY("tls-private-key", "", "PEM PKCS#8 private key of tls-certificate"),
    TLS_TRUST_STORE("tls-trust-store", "",
            "PKCS12/JKS trust store, or PEM file (.pem/.crt), of the CAs that sign client certificates"),
    TLS_TRUST_STORE_PASSWORD("tls-trust-store-password", "", "password of the trust store"),
    TLS_PROTOCOLS("tls-protocols", "TLSv1.3,TLSv1.2", "enabled TLS protocols; only TLSv1.2 and TLSv1.3 are allowed"),
    TLS_CIPHER_SUITES("tls-cipher-suites", "", "enabled cipher suites, comma-separated; empty: the JDK's defaults"),
    TLS_CLIENT_AUTH("tls-client-auth", "none",
            "client certificates: none, want (verified if sent) or need (required); a verified certificate logs in "
            + "as the user it names"),
    TLS_CERTIFICATE_USER("tls-certificate-user", "cn",
            "the user a client certificate stands for: cn (its subject's common name) or dn (the whole subject)"),
    PERSISTENCE("persistence", "true", "whether persistent messages are written to the journal in the data directory"),
    SYNC_POLICY("sync-policy", "DATA",
            "when a persistent send is acknowledged: DATA or DATA_AND_METADATA (forced to disk), ASYNC (forced "
            + "every 100 ms), NONE (written to the OS only)"),
    JOURNAL_SEGMENT_SIZE("journal-segment-size", String.valueOf(32 * 1024 * 1024),
            "size of each preallocated journal file, in bytes; must exceed max-frame-length"),
    JOURNAL_IO_MODE("journal-io-mode", "CHANNEL",
            "how journal files are written: CHANNEL (positional writes, measured fastest with forces) or MAPPED "
            + "(memory-mapped); see docs/performance.md"),
    JOURNAL_SPIN("journal-spin", "200",
            "microseconds the journal's writer polls for the next write before it sleeps, while the machine's CPU "
            + "load is under 70 % and such polls find writes (spends CPU for the wake-up a synchronous send waits "
            + "for; 0 turns it off); see docs/performance.md"),
    JOURNAL_AGENT_WRITES("journal-agent-writes", "true",
            "whether the broker's agent thread writes and forces a batch of the journal itself while the journal's "
            + "writer is idle and one request at a time waits for the disk (two thread hand-offs less per "
            + "synchronous send); false: the writer thread always does; see docs/performance.md"),
    MAX_FRAME_LENGTH("max-frame-length", String.valueOf(8 * 1024 * 1024),
            "the largest frame accepted, in bytes; a larger one closes the connection"),
    PRODUCER_WINDOW("producer-window", String.valueOf(1024 * 1024),
            "bytes a producer may have sent without a response before it waits"),
    MAX_MEMORY("max-memory", "0",
            "bytes of waiting messages all queues may hold on the heap before producers are held back (their "
            + "sends answered only as memory frees up); 0 means half the JVM's maximum heap"),
    EXPIRY_SCAN_PERIOD("expiry-scan-period", "1000",
            "milliseconds between scans that move expired messages out of queues nobody consumes"),
    XA_TIMEOUT("xa-timeout", "300000",
            "milliseconds an XA branch may stay unprepared before the broker rolls it back, unless its transaction "
            + "manager set its own timeout; prepared branches never time out"),
    CLUSTER("cluster", "tern", "the replication cluster's name: a backup refuses to follow a live broker of another"),
    REPLICATION_PORT("replication-port", "-1",
            "live broker: the port backups connect to for the journal (0 picks one); -1: no replication"),
    BACKUP_OF("backup-of", "",
            "host:port of a live broker's replication port: run as its backup (copy its journal, serve no client)"),
    REPLICATION("replication", "sync",
            "live broker: sync (a durable write is answered once min-sync-replicas backups forced it too) or async "
            + "(backups follow)"),
    MIN_SYNC_REPLICAS("min-sync-replicas", "1",
            "in-sync backups a sync write waits for; with fewer in sync, persistent work is refused"),
    REPLICA_MAX_LAG("replica-max-lag", "2000",
            "milliseconds a backup may leave a batch unacknowledged before it leaves the in-sync set"),
    REPLICATION_VERIFY_HOST("replication-verify-host", "true",
            "backup with TLS: check that the live broker's certificate names the host of backup-of"),
    ZOOKEEPER("zookeeper", "",
            "host:port[,host:port...] of ZooKeeper: the broker is a candidate that ZooKeeper elects live (with "
            + "replication-port) or runs as a backup of the live one; empty: no automatic failover"),
    ZOOKEEPER_PATH("zookeeper-path", "",
            "the cluster's znode in ZooKeeper; empty: /tern/<cluster>"),
    ZOOKEEPER_SESSION_TIMEOUT("zookeeper-session-timeout", "2s",
            "ZooKeeper session timeout (ZooKeeper may give another): a live broker that loses ZooKeeper this long is "
            + "replaced; failover takes about twice this"),
    ZOOKEEPER_CONNECT_TIMEOUT("zookeeper-connect-timeout", "10s",
            "how long start-up waits for ZooKeeper before it gives up with an error"),
    WARM_UP("warm-up", "true",
            "candidate (--zookeeper): before it joins the election, and while it already follows the live broker, run "
            + "the live path once (journal, broker, an in-VM client sending and receiving a few thousand persistent "
            + "messages, transactions) on a scratch journal in <data-dir>/warm-up, deleted after, so that its first "
            + "activation runs warm code; false: join at once"),
    MANAGEMENT_PORT("management-port", "-1",
            "the HTTP port of metrics (/metrics, Prometheus) and the web console; -1 (off), 0 picks a free one"),
    MANAGEMENT_HOST("management-host", "127.0.0.1",
            "the address the management port binds to"),
    JMX_PORT("jmx-port", "-1",
            "the port JMX clients (JConsole) connect to, RMI registry and connector on one port, at "
            + "service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi; with users, only admin users log in; -1 (off), 0 picks one"),
    JMX_HOST("jmx-host", "127.0.0.1",
            "the address the JMX port binds to (and that clients are told); non-loopback only on a broker with users"),
    METRICS_PER_DESTINATION("metrics-per-destination", "true",
            "whether /metrics has the tern_destination_* series of each queue and subscription; false keeps only the "
            + "broker's (for brokers with thousands of destinations: the console and JMX still show each one)"),
    STOP_TIMEOUT("stop-timeout", "10000",
            "milliseconds a graceful stop (SIGTERM, Ctrl-C) may take before the process halts; the journal is "
            + "crash-safe, so a halt loses nothing acknowledged");

    private final String key;
    private final String defaultValue;
    private final String doc;

    BrokerSetting(String key, String defaultValue, String doc) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }
}
