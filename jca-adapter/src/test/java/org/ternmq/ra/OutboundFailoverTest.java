package org.ternmq.ra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * Outbound handles of the adapter on a {@code failover=true} URL: a handle held open across a broker restart
 * goes on sending, and the pooled managed connection it returns to serves the next handle.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboundFailoverTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private TestContainer.Pool pool;

    @AfterEach
    void stop() throws Exception {
        if (pool != null) {
            pool.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedBroker startBroker(int port) throws Exception {
        return EmbeddedBroker.start(BrokerConfig.builder().tcpPort(port).dataDirectory(dir.resolve("broker")).build());
    }

    @Test
    void aHandleSendsAcrossABrokerRestartAndItsPooledConnectionServesTheNextHandle() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        broker = startBroker(port);
        TernResourceAdapter ra = new TernResourceAdapter();
        ra.setConnectionUrl("tern://127.0.0.1:" + port + "?failover=true&reconnectDelay=50&maxReconnectDelay=500");
        ra.start(TestContainer.bootstrap());
        TernManagedConnectionFactory mcf = new TernManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        pool = new TestContainer.Pool();
        ConnectionFactory cf = (ConnectionFactory) mcf.createConnectionFactory(pool);

        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createQueue("ra.out.failover")).send(s.createTextMessage("before"));
            broker.close();
            broker = startBroker(port);
            s.createProducer(s.createQueue("ra.out.failover")).send(s.createTextMessage("after, same handle"));
        }
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createQueue("ra.out.failover")).send(s.createTextMessage("next handle"));
        }

        assertThat(OutboundTest.drain(broker.tcpUrl(), "ra.out.failover"))
                .containsExactly("before", "after, same handle", "next handle");
    }
}
