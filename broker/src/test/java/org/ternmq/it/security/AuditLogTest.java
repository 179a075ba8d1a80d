package org.ternmq.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.security.AuditLog;
import org.ternmq.broker.security.LogCapture;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;

/** The audit log: its own logger, one line per login, failed login, denial and management operation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void loginsFailuresDenialsAndManagementAreAuditedOnTheirOwnLogger() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir)
                .persistence(false).loginFailureDelay(10).user("app", "pw").user("root", "pw", "admin").build());
             LogCapture log = new LogCapture()) {
            TernConnectionFactory f = new TernConnectionFactory(broker.tcpUrl());
            try (Connection app = f.createConnection("app", "pw")) {
                Session s = app.createSession();
                assertThatThrownBy(() -> s.createConsumer(s.createQueue("DLQ"))).isInstanceOf(JMSSecurityException.class);
            }
            assertThatThrownBy(() -> f.createConnection("app", "wrong")).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> f.createConnection("evil\nlogin user=\"root\"", "x")).isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(f::createConnection).isInstanceOf(JMSSecurityException.class);
            try (ClientConnection root = ClientConnection.connect(ConnectionUrl.parse(broker.tcpUrl()), "root", "pw")) {
                root.manage("list-queues", null, null, null);
            }
            broker.management().listQueues();

            List<String> audit = log.lines(" " + AuditLog.LOGGER_NAME + " - ");
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("INFO").contains("login user=\"app\"")
                    .contains("from=127.0.0.1:").contains("via=password"));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("WARN")
                    .contains("denied user=\"app\"").contains("permission=consume").contains("destination=\"DLQ\""));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("login-failed user=\"app\"")
                    .contains("reason=\"invalid credentials\"").contains("failures-from-address=1"));
            assertThat(audit).anySatisfy(l -> assertThat(l)
                    .contains("login-failed user=\"evil\\u000alogin user=\\\"root\\\"\""));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("login-failed user=-")
                    .contains("anonymous connections are not allowed"));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("manage user=\"root\"")
                    .contains("operation=list-queues").contains("outcome=\"allowed\""));
            assertThat(audit).anySatisfy(l -> assertThat(l).contains("manage user=\"local\" connection=jmx")
                    .contains("operation=list-queues"));
            assertThat(audit).noneMatch(l -> l.contains("pw") || l.contains("wrong"));
            assertThat(log.lines("login user=\"root\"")).as("the forged line did not become a login").hasSize(1);
        }
    }
}
