package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/** The destination and broker beans, read and operated through the platform MBean server as JConsole would. */
@Timeout(60)
class JmxBeansTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private Connection connection;
    private Session session;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("jmx-test").tcpPort(-1).inVmName("jmx-test")
                .dataDirectory(dir).build());
        connection = new TernConnectionFactory(broker.vmUrl()).createConnection();
        connection.start();
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        broker.close();
        assertThat(server.queryNames(new ObjectName("org.ternmq:type=Destination,broker=\"jmx-test\",*"), null)).isEmpty();
    }

    private ObjectName queue(String name) {
        return JmxRegistrar.objectName("jmx-test", "queue", name);
    }

    @Test
    void aQueueBeanShowsCountsAndBrowsesMovesPausesPurgesAndDeletes() throws Exception {
        MessageProducer p = session.createProducer(session.createQueue("jmx.orders"));
        for (int i = 0; i < 3; i++) {
            jakarta.jms.TextMessage m = session.createTextMessage("order " + i);
            m.setIntProperty("n", i);
            p.send(m);
        }
        broker.jmxDestinations().sync();
        ObjectName on = queue("jmx.orders");
        assertThat(server.isRegistered(on)).isTrue();
        assertThat(server.getAttribute(on, "MessagesWaiting")).isEqualTo(3L);
        assertThat(server.getAttribute(on, "MessagesEnqueued")).isEqualTo(3L);
        assertThat(server.getAttribute(on, "Kind")).isEqualTo("queue");
        String[] browsed = (String[]) server.invoke(on, "browse", new Object[] {10}, new String[] {"int"});
        assertThat(browsed).hasSize(3);
        assertThat(browsed[0]).contains("TEXT").contains("order 0").contains("n=0");
        assertThat(server.getAttribute(on, "MessagesWaiting")).isEqualTo(3L);

        Object moved = server.invoke(on, "moveMessages", new Object[] {"jmx.parked", "n = 2"},
                new String[] {"java.lang.String", "java.lang.String"});
        assertThat(moved).isEqualTo(1);

        server.invoke(on, "pauseDelivery", new Object[0], new String[0]);
        Thread.sleep(600); // statistics are cached for half a second
        assertThat(server.getAttribute(on, "Paused")).isEqualTo(true);
        MessageConsumer consumer = session.createConsumer(session.createQueue("jmx.orders"));
        assertThat(consumer.receive(300)).as("paused: nothing delivered").isNull();
        server.invoke(on, "resumeDelivery", new Object[0], new String[0]);
        assertThat(consumer.receive(5000)).isNotNull();
        consumer.close();

        assertThat(server.invoke(on, "purge", new Object[] {""}, new String[] {"java.lang.String"})).isEqualTo(1);
        Object deleted = server.invoke(on, "delete", new Object[0], new String[0]);
        assertThat((String) deleted).contains("deleted queue jmx.orders");
        broker.jmxDestinations().sync();
        assertThat(server.isRegistered(on)).isFalse();
        assertThat(server.isRegistered(queue("jmx.parked"))).isTrue();
    }

    @Test
    void aDurableSubscriptionHasABeanToo() throws Exception {
        connection.close();
        connection = new TernConnectionFactory(broker.vmUrl()).createConnection();
        connection.setClientID("jmx-client");
        session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        session.createDurableSubscriber(session.createTopic("jmx.prices"), "audit").close();
        session.createProducer(session.createTopic("jmx.prices")).send(session.createTextMessage("p"));
        broker.jmxDestinations().sync();
        ObjectName on = JmxRegistrar.objectName("jmx-test", "subscription", "jmx.prices::jmx-client.audit");
        assertThat(server.getAttribute(on, "MessagesWaiting")).isEqualTo(1L);
        server.invoke(on, "delete", new Object[0], new String[0]);
        broker.jmxDestinations().sync();
        assertThat(server.isRegistered(on)).isFalse();
    }

    @Test
    void theBrokerBeanHasAttributes() throws Exception {
        ObjectName on = new ObjectName("org.ternmq:type=Broker,name=\"jmx-test\",vm=\"jmx-test\"");
        assertThat(server.getAttribute(on, "Version")).isEqualTo("0.1.0");
        assertThat((Long) server.getAttribute(on, "Uptime")).isGreaterThanOrEqualTo(0L);
        assertThat(server.getAttribute(on, "Connections")).isEqualTo(1);
        assertThat(server.getAttribute(on, "StoreState")).isEqualTo("healthy");
        assertThat((Long) server.getAttribute(on, "MaxMemory")).isPositive();
        assertThat(server.getAttribute(on, "PreparedBranches")).isEqualTo(0);
        assertThat(server.invoke(on, "createQueue", new Object[] {"jmx.created"}, new String[] {"java.lang.String"}))
                .isEqualTo(true);
        broker.jmxDestinations().sync();
        assertThat(server.isRegistered(queue("jmx.created"))).isTrue();
    }

    @Test
    void anOperationOnAMissingDestinationFailsWithItsReason() {
        DestinationControl gone = new DestinationControl(broker.management(), "nowhere", "queue");
        assertThatThrownBy(gone::getMessagesWaiting).hasMessageContaining("queue 'nowhere' no longer exists");
        assertThatThrownBy(() -> gone.browse(5)).hasMessageContaining("no queue or durable subscription 'nowhere'");
    }
}
