package org.ternmq.broker.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.Units;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.security.FileLoginModule;
import org.ternmq.broker.security.LoginModule;
import org.ternmq.broker.security.UsersFile;

/**
 * The command-line broker: {@code tern [--port N] [--host H] [--data-dir DIR] [--users FILE] ...}.
 * With no options it listens on 127.0.0.1:61616 with its data under {@code ./tern-data}.
 */
public final class TernServer {

    private TernServer() {
    }

    /** A command with its own parser: {@code static int run(String[] args, PrintStream out, PrintStream err)}. */
    @FunctionalInterface
    interface PlainCommand {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    /**
     * Commands with their own parsers, by their first word. Register self-contained commands here, e.g.
     * {@code Map.entry("user", UserCommand::run)} for {@code tern user add|remove|passwd}; picocli commands
     * go in {@code org.ternmq.broker.cli.TernCli#commandLine}.
     */
    static final Map<String, PlainCommand> PLAIN_COMMANDS = Map.ofEntries(
            Map.entry("admin", AdminCommand::run),
            Map.entry("user", UserCommand::run));

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the server until the JVM is asked to stop; returns an exit status for bad usage. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && PLAIN_COMMANDS.containsKey(args[0])) {
            return PLAIN_COMMANDS.get(args[0]).run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("start")) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        } else if (args.length > 0 && (args[0].equals("--version") || args[0].equals("-V")
                || org.ternmq.broker.cli.TernCli.commands().contains(args[0]))) {
            return org.ternmq.broker.cli.TernCli.run(args, out, err);
        }
        Parsed values;
        try {
            values = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tern: " + e.getMessage());
            err.println("Run with --help to see the options.");
            return 2;
        }
        if (values == null) {
            printHelp(out);
            return 0;
        }
        BrokerConfig config;
        long stopTimeout;
        try {
            config = toConfig(values);
            stopTimeout = stopTimeout(values.values());
        } catch (IllegalArgumentException e) {
            err.println("tern: " + e.getMessage());
            return 2;
        } catch (java.io.IOException e) {
            err.println("tern: " + e.getMessage());
            return 2;
        }
        org.ternmq.broker.replication.ReplicationConfig replication;
        String backupOf = values.values().get(BrokerSetting.BACKUP_OF).trim();
        io.netty.handler.ssl.SslContext backupTls = null;
        try {
            replication = replicationConfig(values.values(), config, backupOf);
            boolean verifyHost = bool(BrokerSetting.REPLICATION_VERIFY_HOST, values.values());
            if (!backupOf.isEmpty() && config.tls() != null) {
                backupTls = config.tls().clientContext(verifyHost);
            }
        } catch (IllegalArgumentException e) {
            err.println("tern: " + e.getMessage());
            return 2;
        }
        String zookeeper = values.values().get(BrokerSetting.ZOOKEEPER).trim();
        if (!zookeeper.isEmpty()) {
            org.ternmq.broker.ha.ZooKeeperSettings zk;
            boolean warmUp;
            try {
                zk = zooKeeperSettings(values.values(), replication, backupOf);
                warmUp = bool(BrokerSetting.WARM_UP, values.values());
                if (config.tls() != null) {
                    backupTls = config.tls().clientContext(bool(BrokerSetting.REPLICATION_VERIFY_HOST, values.values()));
                }
            } catch (IllegalArgumentException e) {
                err.println("tern: " + e.getMessage());
                return 2;
            }
            return runCandidate(config, replication, zk, backupTls, warmUp, stopTimeout, out, err);
        }
        if (!backupOf.isEmpty()) {
            return runBackup(config, replication, backupTls, stopTimeout, out, err);
        }
        EmbeddedBroker broker;
        try {
            broker = replication != null ? EmbeddedBroker.startLive(config, replication) : EmbeddedBroker.start(config);
        } catch (org.ternmq.store.JournalLockedException e) {
            err.println("tern: the data directory " + config.dataDirectory().toAbsolutePath()
                    + " is in use by another broker (" + e.getMessage() + ")");
            return 1;
        } catch (java.nio.file.FileSystemException e) {
            err.println("tern: cannot use the data directory " + config.dataDirectory().toAbsolutePath() + ": "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + " ("
                    + e.getFile() + "); choose another with --data-dir");
            return 1;
        } catch (org.ternmq.broker.PortInUseException e) {
            err.println("tern: " + e.getMessage());
            return 1;
        } catch (java.net.BindException e) {
            err.println("tern: cannot listen on " + config.host() + ":" + config.tcpPort() + ": " + e.getMessage()
                    + " (is another broker running? choose another port with --port)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            haltAfter(stopTimeout, err);
            broker.close();
            stopped.countDown();
        }, "tern-shutdown"));
        out.println("Tern is running. Connection URL: " + broker.tcpUrl() + "  (Ctrl-C stops it)");
        if (broker.managementUrl() != null) {
            out.println("Management: " + broker.managementUrl() + "  (metrics: " + broker.managementUrl() + "metrics)");
        }
        if (broker.jmxUrl() != null) {
            out.println("JMX: " + broker.jmxUrl() + (broker.config().users().isEmpty()
                    && (broker.config().loginModule() == null || !broker.config().loginModule().hasUsers())
                    ? "" : "  (log in as an admin user)"));
        }
        stopped.await();
        return 0;
    }

    /** Null when the broker neither replicates nor is a backup. @throws IllegalArgumentException naming every problem */
    static org.ternmq.broker.replication.ReplicationConfig replicationConfig(Map<BrokerSetting, String> v,
            BrokerConfig config, String backupOf) {
        List<String> problems = new ArrayList<>();
        org.ternmq.broker.replication.ReplicationConfig r = replicationConfig(v, config.persistence(), config.host(),
                config.journalSegmentSize(), backupOf, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return r;
    }

    /** Null when the broker neither replicates nor is a backup, or when a problem was added to {@code problems}. */
    static org.ternmq.broker.replication.ReplicationConfig replicationConfig(Map<BrokerSetting, String> v,
            boolean persistence, String host, int segmentSize, String backupOf, List<String> problems) {
        int before = problems.size();
        int port = parsed(() -> integer(BrokerSetting.REPLICATION_PORT, v), -1, problems);
        if (backupOf.isEmpty() && port < 0) {
            return null;
        }
        if (!backupOf.isEmpty() && port >= 0) {
            problems.add("--" + BrokerSetting.BACKUP_OF.key() + " and --"
                    + BrokerSetting.REPLICATION_PORT.key() + " exclude each other: a broker is live or a backup");
        }
        if (!persistence) {
            problems.add("replication needs --persistence true: there is no journal to ship");
        }
        if (!backupOf.isEmpty()) {
            int colon = backupOf.lastIndexOf(':');
            try {
                port = Integer.parseInt(backupOf.substring(colon + 1));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                port = -1;
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                problems.add("--" + BrokerSetting.BACKUP_OF.key() + " must be host:port, was '" + backupOf + "'");
            } else {
                host = backupOf.substring(0, colon);
            }
        }
        String mode = v.get(BrokerSetting.REPLICATION).trim().toUpperCase(java.util.Locale.ROOT);
        if (!mode.equals("SYNC") && !mode.equals("ASYNC")) {
            problems.add("--" + BrokerSetting.REPLICATION.key() + " must be sync or async, was '"
                    + v.get(BrokerSetting.REPLICATION) + "'");
        }
        int minSync = parsed(() -> integer(BrokerSetting.MIN_SYNC_REPLICAS, v), 1, problems);
        long maxLag = parsed(() -> Units.millis(v.get(BrokerSetting.REPLICA_MAX_LAG)), 1L, problems,
                "--" + BrokerSetting.REPLICA_MAX_LAG.key() + " ");
        if (problems.size() > before) {
            return null;
        }
        try {
            return new org.ternmq.broker.replication.ReplicationConfig(v.get(BrokerSetting.CLUSTER), host, port,
                    org.ternmq.broker.replication.ReplicationConfig.Mode.valueOf(mode), minSync, maxLag, segmentSize, 0);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /**
     * A destination policy with {@code replication=sync} on a broker that replicates to nobody: its writes could
     * never be answered, so it is a configuration error rather than a destination that refuses all persistent work.
     */
    private static void syncPolicyWithoutReplication(PolicyRepository policies, List<String> problems) {
        for (PolicyRepository.Entry e : policies.entries()) {
            if (e.settings().get(org.ternmq.broker.policy.PolicySetting.REPLICATION)
                    == org.ternmq.broker.policy.DestinationPolicy.Replication.SYNC) {
                problems.add("the policy for '" + e.pattern().text() + "' sets replication=sync, which needs "
                        + "backups: give --" + BrokerSetting.REPLICATION_PORT.key() + " (and --"
                        + BrokerSetting.ZOOKEEPER.key() + " for automatic failover), or another replication");
            }
        }
    }

    private static <T> T parsed(java.util.function.Supplier<T> parse, T fallback, List<String> problems) {
        return parsed(parse, fallback, problems, "");
    }

    private static <T> T parsed(java.util.function.Supplier<T> parse, T fallback, List<String> problems, String prefix) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            problems.add(prefix + e.getMessage());
            return fallback;
        }
    }

    static org.ternmq.broker.ha.ZooKeeperSettings zooKeeperSettings(Map<BrokerSetting, String> v,
            org.ternmq.broker.replication.ReplicationConfig replication, String backupOf) {
        if (!backupOf.isEmpty()) {
            throw new IllegalArgumentException("--" + BrokerSetting.ZOOKEEPER.key() + " and --"
                    + BrokerSetting.BACKUP_OF.key() + " exclude each other: with ZooKeeper a broker follows whichever "
                    + "broker ZooKeeper made live");
        }
        if (replication == null) {
            throw new IllegalArgumentException("--" + BrokerSetting.ZOOKEEPER.key() + " needs --"
                    + BrokerSetting.REPLICATION_PORT.key() + ": the port backups copy the journal from while this "
                    + "broker is live");
        }
        String path = v.get(BrokerSetting.ZOOKEEPER_PATH).trim();
        long session;
        long connect;
        try {
            session = Units.millis(v.get(BrokerSetting.ZOOKEEPER_SESSION_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + BrokerSetting.ZOOKEEPER_SESSION_TIMEOUT.key() + " "
                    + e.getMessage());
        }
        try {
            connect = Units.millis(v.get(BrokerSetting.ZOOKEEPER_CONNECT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + BrokerSetting.ZOOKEEPER_CONNECT_TIMEOUT.key() + " "
                    + e.getMessage());
        }
        return new org.ternmq.broker.ha.ZooKeeperSettings(v.get(BrokerSetting.ZOOKEEPER).trim(),
                path.isEmpty() ? "/tern/" + replication.cluster() : path, session, connect);
    }

    /** A broker whose role ZooKeeper decides: live while elected, otherwise a backup of the live one. */
    private static int runCandidate(BrokerConfig config, org.ternmq.broker.replication.ReplicationConfig replication,
            org.ternmq.broker.ha.ZooKeeperSettings zk, io.netty.handler.ssl.SslContext backupTls, boolean warmUp,
            long stopTimeout, PrintStream out, PrintStream err) throws Exception {
        org.ternmq.broker.ha.Candidate candidate;
        try {
            candidate = new org.ternmq.broker.ha.Candidate(config, replication, zk, backupTls);
            candidate.warmUp(warmUp);
            candidate.start();
        } catch (org.ternmq.store.JournalLockedException e) {
            err.println("tern: the data directory " + config.dataDirectory().toAbsolutePath()
                    + " is in use by another broker");
            return 1;
        } catch (java.io.IOException e) {
            err.println("tern: " + e.getMessage() + "; nothing was started");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            haltAfter(stopTimeout, err);
            candidate.close();
            stopped.countDown();
        }, "tern-shutdown"));
        out.println("Tern candidate of cluster '" + replication.cluster() + "' is running; ZooKeeper at " + zk.connect()
                + " decides whether it is live (else it is a backup). Connection URL: "
                + (config.tls() == null ? "tern://" : "tern+ssl://") + config.host() + ":" + config.tcpPort()
                + "  (Ctrl-C stops it)");
        String fatal = candidate.fatal().get();
        err.println("tern: the live broker refused this broker: " + fatal + " (check --cluster and --zookeeper-path)");
        return 1;
    }

    /** A backup: copies the live broker's journal until stopped; serves no client. */
    private static int runBackup(BrokerConfig config, org.ternmq.broker.replication.ReplicationConfig replication,
            io.netty.handler.ssl.SslContext tls, long stopTimeout, PrintStream out, PrintStream err) throws Exception {
        org.ternmq.broker.replication.ReplicaFollower follower;
        try {
            follower = org.ternmq.broker.replication.ReplicaFollower.start(replication, config.journalDirectory(),
                    config.syncPolicy(), tls);
        } catch (org.ternmq.store.JournalLockedException e) {
            err.println("tern: the data directory " + config.dataDirectory().toAbsolutePath()
                    + " is in use by another broker (" + e.getMessage() + ")");
            return 1;
        }
        org.ternmq.broker.management.http.ManagementServer management = null;
        if (config.managementPort() >= 0) {
            org.ternmq.broker.management.BackupMetrics metrics =
                    new org.ternmq.broker.management.BackupMetrics(follower::position);
            management = org.ternmq.broker.management.http.ManagementServer.start(config.managementHost(),
                    config.managementPort(), metrics::scrape);
            out.println("Management: http://" + config.managementHost() + ":" + management.port() + "/metrics"
                    + "  (this backup's replication metrics)");
        }
        org.ternmq.broker.management.http.ManagementServer managementPort = management;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            haltAfter(stopTimeout, err);
            if (managementPort != null) {
                managementPort.close();
            }
            try {
                follower.close();
            } catch (java.io.IOException e) {
                err.println("tern: closing the backup's journal copy failed: " + e);
            }
            stopped.countDown();
        }, "tern-shutdown"));
        out.println("Tern backup is running, following " + replication.host() + ":" + replication.port()
                + (tls != null ? " over TLS" : "") + " (serves no client). Connection URL: none");
        String fatal = follower.fatal().get();
        err.println("tern: the live broker refused this backup: " + fatal);
        return 1;
    }

    /**
     * Bounds a graceful stop: a daemon thread halts the JVM if it is still running {@code millis} from now.
     * Halting is safe because the journal is crash-safe: the next start recovers as after a crash.
     */
    private static void haltAfter(long millis, PrintStream err) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            err.println("tern: the graceful stop did not finish within " + millis + " ms (--stop-timeout); halting. "
                    + "The next start recovers the journal as after a crash; nothing acknowledged is lost.");
            err.flush();
            Runtime.getRuntime().halt(3);
        }, "tern-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static long stopTimeout(Map<BrokerSetting, String> v) {
        long millis;
        try {
            millis = Units.millis(v.get(BrokerSetting.STOP_TIMEOUT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + BrokerSetting.STOP_TIMEOUT.key() + " " + e.getMessage());
        }
        if (millis < 1) {
            throw new IllegalArgumentException("--" + BrokerSetting.STOP_TIMEOUT.key() + " must be at least 1 (ms), was "
                    + millis);
        }
        return millis;
    }

    /**
     * Merges defaults, then the {@code --config} file, then the other options.
     *
     * @return the settings, or null when help was asked for
     */
    static Parsed parse(String[] args) throws java.io.IOException {
        Map<BrokerSetting, String> given = new LinkedHashMap<>();
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (key.equals("no-anonymous")) {
                given.put(BrokerSetting.ALLOW_ANONYMOUS, "false");
                continue;
            }
            if (key.equals(BrokerSetting.ALLOW_ANONYMOUS.key()) && value == null
                    && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                given.put(BrokerSetting.ALLOW_ANONYMOUS, "true");   // a flag: --allow-anonymous alone means true
                continue;
            }
            BrokerSetting setting = key.equals("config") ? null : find(key);
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + key + " needs a value");
                }
                value = args[++i];
            }
            if (setting == null) {
                configFile = Path.of(value);
            } else {
                given.put(setting, value);
            }
        }
        Map<BrokerSetting, String> values = new LinkedHashMap<>();
        for (BrokerSetting s : BrokerSetting.values()) {
            values.put(s, s.defaultValue());
        }
        PolicyRepository policies = PolicyRepository.defaults();
        Map<String, String> loginOptions = Map.of();
        List<org.ternmq.broker.security.Permissions.Entry> permissions = List.of();
        List<String> fileProblems = new ArrayList<>();
        if (configFile != null) {
            if (!java.nio.file.Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("config file " + configFile + " does not exist");
            }
            ConfigFile.Contents contents = ConfigFile.read(configFile, fileProblems);
            values.putAll(contents.settings());
            policies = contents.policies();
            loginOptions = contents.loginOptions();
            permissions = contents.permissions();
        }
        Map<BrokerSetting, String> fromFile = new LinkedHashMap<>();
        if (configFile != null) {
            for (BrokerSetting s : values.keySet()) {
                if (!given.containsKey(s) && !values.get(s).equals(s.defaultValue())) {
                    fromFile.put(s, configFile.toString());
                }
            }
        }
        values.putAll(given);
        return new Parsed(values, policies, loginOptions, permissions, fileProblems, fromFile);
    }

    /**
     * Names a problem of a setting that came from the config file as the file spells it ({@code tern.properties:
     * port must be ...}) instead of as the option ({@code --port must be ...}).
     */
    private static String inTermsOfTheFile(String problem, Map<BrokerSetting, String> fromFile) {
        for (Map.Entry<BrokerSetting, String> e : fromFile.entrySet()) {
            String key = e.getKey().key();
            for (String prefix : new String[] {"--" + key + " ", "--" + key + ":", key + " "}) {
                if (problem.startsWith(prefix)) {
                    return e.getValue() + ": " + key + problem.substring(prefix.length() - 1);
                }
            }
        }
        return problem;
    }

    /**
     * The merged settings and policies, and the config file's problems (unknown keys, bad policy values), which
     * {@link #toConfig} reports together with those of the settings.
     */
    record Parsed(Map<BrokerSetting, String> values, PolicyRepository policies, Map<String, String> loginOptions,
                  List<org.ternmq.broker.security.Permissions.Entry> permissions, List<String> problems,
                  Map<BrokerSetting, String> fromFile) {
        Parsed(Map<BrokerSetting, String> values, PolicyRepository policies) {
            this(values, policies, Map.of(), List.of(), List.of(), Map.of());
        }
    }

    private static BrokerSetting find(String key) {
        for (BrokerSetting s : BrokerSetting.values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown option --" + key);
    }

    static BrokerConfig toConfig(Parsed parsed) throws java.io.IOException {
        Map<BrokerSetting, String> v = parsed.values();
        Values values = new Values(v);
        values.problems.addAll(parsed.problems());
        BrokerConfig.Builder b = BrokerConfig.builder()
                .policies(parsed.policies())
                .permissions(parsed.permissions())
                .expiryScanPeriod(values.duration(BrokerSetting.EXPIRY_SCAN_PERIOD))
                .xaTimeout(values.duration(BrokerSetting.XA_TIMEOUT))
                .persistence(values.bool(BrokerSetting.PERSISTENCE))
                .maxMemory(values.size(BrokerSetting.MAX_MEMORY))
                .syncPolicy(values.choice(org.ternmq.store.SyncPolicy.class, BrokerSetting.SYNC_POLICY))
                .journalSegmentSize((int) values.intSize(BrokerSetting.JOURNAL_SEGMENT_SIZE))
                .journalIoMode(values.choice(org.ternmq.store.IoMode.class, BrokerSetting.JOURNAL_IO_MODE))
                .journalSpinMicros(values.integer(BrokerSetting.JOURNAL_SPIN))
                .journalAgentWrites(values.bool(BrokerSetting.JOURNAL_AGENT_WRITES))
                .name(v.get(BrokerSetting.NAME))
                .host(v.get(BrokerSetting.HOST))
                .tcpPort(values.integer(BrokerSetting.PORT))
                .dataDirectory(Path.of(v.get(BrokerSetting.DATA_DIRECTORY)))
                .loginFailureDelay(values.duration(BrokerSetting.LOGIN_FAILURE_DELAY))
                .handshakeTimeout(values.duration(BrokerSetting.HANDSHAKE_TIMEOUT))
                .maxFrameLength((int) values.intSize(BrokerSetting.MAX_FRAME_LENGTH))
                .producerWindow((int) values.intSize(BrokerSetting.PRODUCER_WINDOW))
                .managementPort(values.integer(BrokerSetting.MANAGEMENT_PORT))
                .managementHost(v.get(BrokerSetting.MANAGEMENT_HOST))
                .metricsPerDestination(values.bool(BrokerSetting.METRICS_PER_DESTINATION))
                .jmxPort(values.integer(BrokerSetting.JMX_PORT))
                .jmxHost(v.get(BrokerSetting.JMX_HOST));
        try {
            stopTimeout(v);
        } catch (IllegalArgumentException e) {
            values.problems.add(e.getMessage());
        }
        values.bool(BrokerSetting.WARM_UP); // validated here, used by a candidate
        boolean persistence = values.bool(BrokerSetting.PERSISTENCE);
        int beforeReplication = values.problems.size();
        org.ternmq.broker.replication.ReplicationConfig replication = replicationConfig(v, persistence,
                v.get(BrokerSetting.HOST), (int) values.intSize(BrokerSetting.JOURNAL_SEGMENT_SIZE),
                v.get(BrokerSetting.BACKUP_OF).trim(), values.problems);
        if (replication == null && persistence && values.problems.size() == beforeReplication) {
            syncPolicyWithoutReplication(parsed.policies(), values.problems);
        }
        if (!v.get(BrokerSetting.ZOOKEEPER).isBlank() && (replication != null || v.get(BrokerSetting.BACKUP_OF).isBlank())) {
            try {
                zooKeeperSettings(v, replication, v.get(BrokerSetting.BACKUP_OF).trim());
            } catch (IllegalArgumentException e) {
                values.problems.add(e.getMessage());
            }
        }
        if (!v.get(BrokerSetting.TLS_KEY_STORE).isBlank() || !v.get(BrokerSetting.TLS_CERTIFICATE).isBlank()) {
            b.tls(new org.ternmq.broker.security.TlsSettings(path(v, BrokerSetting.TLS_KEY_STORE),
                    text(v, BrokerSetting.TLS_KEY_STORE_PASSWORD), path(v, BrokerSetting.TLS_CERTIFICATE),
                    path(v, BrokerSetting.TLS_PRIVATE_KEY), path(v, BrokerSetting.TLS_TRUST_STORE),
                    text(v, BrokerSetting.TLS_TRUST_STORE_PASSWORD), list(v, BrokerSetting.TLS_PROTOCOLS),
                    list(v, BrokerSetting.TLS_CIPHER_SUITES), v.get(BrokerSetting.TLS_CLIENT_AUTH).trim(),
                    v.get(BrokerSetting.TLS_CERTIFICATE_USER).trim()));
        }
        if (!v.get(BrokerSetting.ALLOW_ANONYMOUS).isBlank()) {
            b.allowAnonymous(values.bool(BrokerSetting.ALLOW_ANONYMOUS));
        }
        String users = v.get(BrokerSetting.USERS_FILE).trim();
        String moduleClass = v.get(BrokerSetting.LOGIN_MODULE).trim();
        if (!users.isEmpty() && !java.nio.file.Files.isRegularFile(Path.of(users))) {
            values.problems.add("--" + BrokerSetting.USERS_FILE.key() + ": the users file " + users + " does not exist");
        } else if (!moduleClass.isEmpty()) {
            Map<String, String> options = new LinkedHashMap<>(parsed.loginOptions());
            if (!users.isEmpty()) {
                options.putIfAbsent("file", users);
            }
            try {
                b.loginModule(LoginModule.load(moduleClass, options));
            } catch (IllegalArgumentException e) {
                values.problems.add("--" + BrokerSetting.LOGIN_MODULE.key() + ": " + e.getMessage());
            }
        } else if (!users.isEmpty()) {
            try {
                b.loginModule(new FileLoginModule(UsersFile.read(Path.of(users))));
            } catch (IllegalArgumentException e) {
                values.problems.add("--" + BrokerSetting.USERS_FILE.key() + ": " + e.getMessage());
            }
        }
        values.problems.addAll(b.problems());
        if (!values.problems.isEmpty()) {
            java.util.Set<String> problems = new java.util.LinkedHashSet<>();
            for (String p : values.problems) {
                problems.add(inTermsOfTheFile(p, parsed.fromFile()));
            }
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return b.build();
    }

    private static Path path(Map<BrokerSetting, String> v, BrokerSetting s) {
        String value = v.get(s).trim();
        return value.isEmpty() ? null : Path.of(value);
    }

    private static String text(Map<BrokerSetting, String> v, BrokerSetting s) {
        String value = v.get(s);
        return value.isEmpty() ? null : value;
    }

    private static List<String> list(Map<BrokerSetting, String> v, BrokerSetting s) {
        return java.util.Arrays.stream(v.get(s).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** Reads typed values, collecting every problem (with the setting's key) instead of stopping at the first. */
    private static final class Values {
        final List<String> problems = new ArrayList<>();
        private final Map<BrokerSetting, String> v;

        Values(Map<BrokerSetting, String> v) {
            this.v = v;
        }

        // a bad value is replaced by the setting's default, so that the checks of the whole configuration (which
        // compare settings) add no second, misleading problem about it

        int integer(BrokerSetting s) {
            try {
                return TernServer.integer(s, v);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return Integer.parseInt(s.defaultValue());
            }
        }

        long duration(BrokerSetting s) {
            try {
                return Units.millis(v.get(s));
            } catch (IllegalArgumentException e) {
                problems.add("--" + s.key() + " " + e.getMessage());
                return Units.millis(s.defaultValue());
            }
        }

        long size(BrokerSetting s) {
            try {
                return Units.bytes(v.get(s));
            } catch (IllegalArgumentException e) {
                problems.add("--" + s.key() + " " + e.getMessage());
                return Units.bytes(s.defaultValue());
            }
        }

        long intSize(BrokerSetting s) {
            long bytes = size(s);
            if (bytes > Integer.MAX_VALUE) {
                problems.add("--" + s.key() + " must be below 2GiB, was '" + v.get(s) + "'");
                return Units.bytes(s.defaultValue());
            }
            return bytes;
        }

        boolean bool(BrokerSetting s) {
            try {
                return TernServer.bool(s, v);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return true;
            }
        }

        <E extends Enum<E>> E choice(Class<E> type, BrokerSetting s) {
            try {
                return TernServer.choice(type, s, v);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return type.getEnumConstants()[0];
            }
        }
    }

    private static int integer(BrokerSetting s, Map<BrokerSetting, String> v) {
        try {
            return Integer.parseInt(v.get(s).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + s.key() + " must be a whole number, was '" + v.get(s) + "'");
        }
    }

    /** The enum constant {@code value} names, case-insensitively; a clear message listing the choices otherwise. */
    private static <E extends Enum<E>> E choice(Class<E> type, BrokerSetting s, Map<BrokerSetting, String> v) {
        String value = v.get(s).trim();
        try {
            return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String choices = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new IllegalArgumentException("--" + s.key() + " must be one of " + choices + ", was '" + value + "'");
        }
    }

    private static boolean bool(BrokerSetting s, Map<BrokerSetting, String> v) {
        String value = v.get(s).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + s.key() + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    static void printHelp(PrintStream out) {
        out.println("Usage: tern [start] [options]    starts a broker");
        out.println("       tern COMMAND [options]    works on a running broker: send, receive, browse, queue, topic,");
        out.println("                                 subscription, connection, move, purge, dlq, stat, xa, half,");
        out.println("                                 find-messages, trace-message, replay, admin (tern COMMAND --help)");
        out.println("       tern admin OPERATION      the management operations by name (tern admin --help)");
        out.println("       tern --version");
        out.println("       tern user add|remove|passwd|migrate|list   manages the users file (tern user --help)");
        out.println("Starts a Tern broker. With no options it listens on 127.0.0.1:61616 and keeps its data in ./tern-data.");
        out.println();
        out.println("Options:");
        List<String[]> rows = new ArrayList<>();
        for (BrokerSetting s : BrokerSetting.values()) {
            String dflt = s.defaultValue().isEmpty() ? "" : " (default: " + s.defaultValue() + ")";
            rows.add(new String[] {"--" + s.key() + " VALUE", s.doc() + dflt});
        }
        rows.add(new String[] {"--config FILE", "a properties file of these settings and destination policies"});
        rows.add(new String[] {"--no-anonymous", "same as --allow-anonymous false"});
        rows.add(new String[] {"--help", "show this help and exit"});
        for (String[] r : rows) {
            out.printf("  %-28s %s%n", r[0], r[1]);
        }
    }
}
