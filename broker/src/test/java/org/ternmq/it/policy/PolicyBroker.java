package org.ternmq.it.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.jms.TernConnectionFactory;

/**
 * An embedded broker configured the documented way: the lines given are written to a configuration file,
 * read back with {@link ConfigFile#read} and turned into a {@link BrokerConfig}. It listens on TCP (any free
 * port) and in-VM, keeps its data in one directory across {@link #restart()}, and closes the connections a
 * test opened through it. Used by one test thread.
 */
final class PolicyBroker implements AutoCloseable {

    private final Path dir;
    private final Path configFile;
    private final List<Connection> connections = new ArrayList<>();
    private EmbeddedBroker broker;

    private PolicyBroker(Path dir, Path configFile) {
        this.dir = dir;
        this.configFile = configFile;
    }

    /** Writes {@code configLines} (properties syntax) to {@code dir/broker.properties} and starts on it. */
    static PolicyBroker start(Path dir, String... configLines) throws Exception {
        Path file = dir.resolve("broker.properties");
        Files.write(file, List.of(configLines), StandardCharsets.UTF_8);
        PolicyBroker b = new PolicyBroker(dir, file);
        b.startBroker();
        return b;
    }

    private void startBroker() throws Exception {
        ConfigFile.Contents contents = ConfigFile.read(configFile);
        String scan = contents.settings().getOrDefault(BrokerSetting.EXPIRY_SCAN_PERIOD,
                BrokerSetting.EXPIRY_SCAN_PERIOD.defaultValue());
        String window = contents.settings().getOrDefault(BrokerSetting.PRODUCER_WINDOW,
                BrokerSetting.PRODUCER_WINDOW.defaultValue());
        String name = "policy-it-" + UUID.randomUUID().toString().substring(0, 8);
        broker = EmbeddedBroker.start(BrokerConfig.builder()
                .name(name)
                .tcpPort(0)
                .inVmName(name)
                .dataDirectory(dir.resolve("data"))
                .policies(contents.policies())
                .expiryScanPeriod(Long.parseLong(scan))
                .producerWindow(Integer.parseInt(window))
                .build());
    }

    /** Closes every tracked connection, stops the broker cleanly and starts it again on the same data. */
    void restart() throws Exception {
        closeConnections();
        broker.close();
        startBroker();
    }

    /** The running broker's management operations. */
    org.ternmq.broker.management.BrokerManagement management() {
        return broker.management();
    }

    String vmUrl() {
        return broker.vmUrl();
    }

    String tcpUrl() {
        return broker.tcpUrl();
    }

    /** The TCP port of the current run (it changes with each restart). */
    int tcpPort() {
        String url = broker.tcpUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** A started in-VM connection, closed by {@link #close()} or {@link #restart()}. */
    Connection connect() throws JMSException {
        return track(new TernConnectionFactory(broker.vmUrl()).createConnection());
    }

    /** Like {@link #connect()}, with a client id set before the connection starts. */
    Connection connect(String clientId) throws JMSException {
        Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection();
        c.setClientID(clientId);
        return track(c);
    }

    /** Starts and tracks a connection made elsewhere (e.g. through a proxy). */
    Connection track(Connection c) throws JMSException {
        c.start();
        connections.add(c);
        return c;
    }

    private void closeConnections() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // a connection whose broker side is gone may refuse a clean close
            }
        }
        connections.clear();
    }

    @Override
    public void close() {
        closeConnections();
        if (broker != null) {
            broker.close();
        }
    }
}
