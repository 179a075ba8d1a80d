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
    USERS_FILE("users", "", "a properties file of users: name=password[,role...]; none means no users"),
    ALLOW_ANONYMOUS("allow-anonymous", "true", "whether connections without a user name are accepted"),
    PERSISTENCE("persistence", "true", "whether persistent messages are written to the journal in the data directory"),
    SYNC_POLICY("sync-policy", "DATA",
            "when a persistent send is acknowledged: DATA or DATA_AND_METADATA (forced to disk), ASYNC (forced "
            + "every 100 ms), NONE (written to the OS only)"),
    JOURNAL_SEGMENT_SIZE("journal-segment-size", String.valueOf(32 * 1024 * 1024),
            "size of each preallocated journal file, in bytes; must exceed max-frame-length"),
    JOURNAL_IO_MODE("journal-io-mode", "CHANNEL",
            "how journal files are written: CHANNEL (positional writes, measured fastest with forces) or MAPPED "
            + "(memory-mapped); see docs/performance.md"),
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
    MANAGEMENT_PORT("management-port", "-1",
            "the HTTP port of metrics (/metrics, Prometheus) and the web console; -1 (off), 0 picks a free one"),
    MANAGEMENT_HOST("management-host", "127.0.0.1",
            "the address the management port binds to"),
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
