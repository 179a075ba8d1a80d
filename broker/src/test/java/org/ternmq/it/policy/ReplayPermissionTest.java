package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.jms.MessageHistory;
import org.ternmq.jms.TernConnectionFactory;

/** Who may replay: an application its own durable subscriptions; queues and other clients' only an admin. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplayPermissionTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anApplicationReplaysOnlyItsOwnSubscriptions() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.write(config, List.of("policy.kept.match=kept.#", "policy.kept.retention-time=3600000"));
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir.resolve("data"))
                .policies(ConfigFile.read(config).policies())
                .user("app", "pw").user("other", "pw").user("root", "pw", "admin").allowAnonymous(false).build());
        TernConnectionFactory f = new TernConnectionFactory(broker.tcpUrl());
        try (Connection app = f.createConnection("app", "pw"); Connection other = f.createConnection("other", "pw")) {
            app.setClientID("app-client");
            other.setClientID("other-client");
            app.start();
            Session s = app.createSession(Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("kept.news");
            MessageConsumer sub = s.createDurableSubscriber(t, "news");
            s.createProducer(t).send(s.createTextMessage("headline"));
            assertThat(sub.receive(5000)).isNotNull();
            sub.close();

            assertThat(MessageHistory.of(app).replaySubscription(t, "news", Instant.EPOCH)).isEqualTo(1);
            assertThatThrownBy(() -> MessageHistory.of(app).replayQueue(s.createQueue("kept.q"), Instant.EPOCH))
                    .isInstanceOf(JMSSecurityException.class);
            // the other client names the app's subscription by its full name: refused
            Session os = other.createSession(Session.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> MessageHistory.of(other).replayQueue(os.createQueue("kept.news::app-client.news"),
                    Instant.EPOCH)).isInstanceOf(JMSSecurityException.class);

            MessageConsumer again = s.createDurableSubscriber(t, "news");
            TextMessage m = (TextMessage) again.receive(5000);
            assertThat(m.getText()).isEqualTo("headline");
            assertThat(m.getJMSRedelivered()).isTrue();
        }
        try (Connection root = f.createConnection("root", "pw")) {
            Session rs = root.createSession(Session.AUTO_ACKNOWLEDGE);
            assertThat(MessageHistory.of(root).replayQueue(rs.createQueue("kept.news::app-client.news"), Instant.EPOCH))
                    .as("an admin replays anyone's").isEqualTo(1);
        }
    }
}
