package org.ternmq.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * One embedded broker with a TCP and an in-VM acceptor, and the connections a test opened on it, so that
 * each test runs the same code over both transports and ends clean. For one test class at a time.
 */
final class BrokerFixture implements AutoCloseable {

    /** The two transports every integration test runs on. */
    enum Transport { TCP, VM }

    static final String USER = "guest";
    static final String PASSWORD = "guest";
    private static final AtomicInteger BROKERS = new AtomicInteger();

    private final EmbeddedBroker broker;
    private final Path dataDirectory;
    private final List<Connection> connections = new ArrayList<>();

    BrokerFixture() throws Exception {
        dataDirectory = Files.createTempDirectory("tern-it");
        String name = "it-" + BROKERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        broker = EmbeddedBroker.start(BrokerConfig.builder()
                .name(name)
                .host("127.0.0.1")
                .tcpPort(0)
                .inVmName(name)
                .dataDirectory(dataDirectory)
                .user(USER, PASSWORD)
                .allowAnonymous(true)
                .build());
    }

    String url(Transport transport) {
        return transport == Transport.TCP ? broker.tcpUrl() : broker.vmUrl();
    }

    TernConnectionFactory factory(Transport transport) {
        return new TernConnectionFactory(url(transport));
    }

    /** An anonymous connection, not started, closed by {@link #closeConnections()}. */
    Connection connect(Transport transport) throws JMSException {
        return track(factory(transport).createConnection());
    }

    /** A started connection. */
    Connection started(Transport transport) throws JMSException {
        Connection c = connect(transport);
        c.start();
        return c;
    }

    <C extends Connection> C track(C connection) {
        synchronized (connections) {
            connections.add(connection);
        }
        return connection;
    }

    void closeConnections() throws JMSException {
        List<Connection> all;
        synchronized (connections) {
            all = new ArrayList<>(connections);
            connections.clear();
        }
        for (Connection c : all) {
            c.close();
        }
    }

    /** A destination name no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Stops the broker while clients are still connected (they see the connection end). */
    void closeBrokerOnly() {
        broker.close();
    }

    @Override
    public void close() throws Exception {
        closeConnections();
        broker.close();
        try (var files = Files.walk(dataDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
