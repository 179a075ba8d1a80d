package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The broker's JMX beans over the network, used as JConsole uses them: connect to the RMI connector on the
 * {@code jmx-port}, list the Tern beans, read attributes, invoke {@code purge}; on a broker with users only an admin
 * user gets in.
 */
@Timeout(60)
class JmxRemoteTest {

    @TempDir
    Path dir;

    @Test
    void anAdminUserManagesTheBrokerOverRemoteJmx() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().name("jmx-remote").tcpPort(-1)
                .inVmName("jmx-remote").dataDirectory(dir.resolve("secured")).loginFailureDelay(0)
                .user("boss", "secret", "admin").user("app", "app-pw").jmxPort(0).build())) {
            assertThat(broker.jmxUrl()).startsWith("service:jmx:rmi://127.0.0.1:").endsWith("/jmxrmi");
            try (Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection("app", "app-pw")) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("remote.orders"));
                for (int i = 0; i < 3; i++) {
                    p.send(s.createTextMessage("order " + i));
                }
            }
            broker.jmxDestinations().sync();

            try (JMXConnector jmx = connect(broker, "boss", "secret")) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                Set<ObjectName> tern = server.queryNames(new ObjectName("org.ternmq:*"), null);
                ObjectName queue = JmxRegistrar.objectName("jmx-remote", "queue", "remote.orders");
                assertThat(tern).contains(queue);
                ObjectName brokerBean = tern.stream().filter(n -> "Broker".equals(n.getKeyProperty("type"))
                        && ObjectName.quote("jmx-remote").equals(n.getKeyProperty("name"))).findFirst().orElseThrow();
                assertThat(server.getAttribute(brokerBean, "Version")).isNotNull();
                assertThat(server.getAttribute(brokerBean, "StoreState")).isEqualTo("healthy");
                assertThat(server.getAttribute(queue, "MessagesWaiting")).isEqualTo(3L);
                assertThat(server.invoke(queue, "purge", new Object[] {""}, new String[] {String.class.getName()}))
                        .isEqualTo(3);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(server.getAttribute(queue, "MessagesWaiting")).isEqualTo(0L));
            }
        }
    }

    @Test
    void onlyAdminUsersGetIn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().name("jmx-refused").tcpPort(-1)
                .inVmName("jmx-refused").dataDirectory(dir.resolve("refused")).loginFailureDelay(0)
                .user("boss", "secret", "admin").user("app", "app-pw").jmxPort(0).build())) {
            assertThatThrownBy(() -> connect(broker, "boss", "wrong").close()).isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> connect(broker, "app", "app-pw").close()).isInstanceOf(SecurityException.class)
                    .hasMessageContaining("admin role");
            assertThatThrownBy(() -> JMXConnectorFactory.connect(new JMXServiceURL(broker.jmxUrl())).close())
                    .isInstanceOf(SecurityException.class);
        }
    }

    @Test
    void aBrokerWithoutUsersOpensJmxOnLoopbackOnly() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().name("jmx-open").tcpPort(-1)
                .inVmName("jmx-open").dataDirectory(dir.resolve("open")).jmxPort(0).build());
             JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(broker.jmxUrl()))) {
            assertThat(jmx.getMBeanServerConnection().queryNames(new ObjectName("org.ternmq:type=Broker,*"), null))
                    .isNotEmpty();
        }
        assertThatThrownBy(() -> BrokerConfig.builder().tcpPort(-1).inVmName("x").jmxPort(0).jmxHost("192.0.2.1")
                .build()).hasMessageContaining("without users may open JMX (jmx-port) on a loopback address only");
        assertThatThrownBy(() -> BrokerConfig.builder().tcpPort(-1).inVmName("x").jmxPort(70000).build())
                .hasMessageContaining("jmx-port must be -1 (off), 0 (any) or 1-65535, was 70000");
    }

    private static JMXConnector connect(EmbeddedBroker broker, String user, String password) throws Exception {
        return JMXConnectorFactory.connect(new JMXServiceURL(broker.jmxUrl()),
                Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }
}
