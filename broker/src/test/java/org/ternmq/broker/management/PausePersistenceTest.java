package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/** A paused queue or durable subscription stays paused across a restart; a resumed one stays resumed. */
@Timeout(60)
class PausePersistenceTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private void start() throws Exception {
        if (broker != null) {
            broker.close();
        }
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("pause").tcpPort(-1).inVmName("pause-persistence")
                .dataDirectory(dir.resolve("data")).build());
    }

    private boolean paused(String name) {
        return broker.management().statistics().destination(name).paused();
    }

    @Test
    void aPauseSurvivesARestartAndSoDoesAResume() throws Exception {
        start();
        try (Connection c = connection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(null);
            for (int i = 0; i < 3; i++) {
                p.send(s.createQueue("held"), s.createTextMessage("held " + i));
            }
            p.send(s.createQueue("resumed"), s.createTextMessage("flows"));
            Topic news = s.createTopic("news");
            s.createDurableSubscriber(news, "reader").close();
            p.send(news, s.createTextMessage("news"));
        }
        broker.management().setPaused("held", true);
        broker.management().setPaused("resumed", true);
        broker.management().setPaused("resumed", false);
        broker.management().setPaused("news::pause-client.reader", true);

        start();
        assertThat(paused("held")).isTrue();
        assertThat(paused("resumed")).isFalse();
        assertThat(paused("news::pause-client.reader")).isTrue();
        try (Connection c = connection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            assertThat(s.createConsumer(s.createQueue("resumed")).receive(5000)).isNotNull();
            MessageConsumer held = s.createConsumer(s.createQueue("held"));
            MessageConsumer reader = s.createDurableSubscriber(s.createTopic("news"), "reader");
            assertThat(held.receive(300)).as("paused: nothing delivered").isNull();
            assertThat(reader.receive(100)).isNull();
            broker.management().setPaused("held", false);
            broker.management().setPaused("news::pause-client.reader", false);
            for (int i = 0; i < 3; i++) {
                assertThat(((TextMessage) held.receive(5000)).getText()).isEqualTo("held " + i);
            }
            assertThat(((TextMessage) reader.receive(5000)).getText()).isEqualTo("news");
        }

        start();
        assertThat(paused("held")).as("resumed before the restart").isFalse();
        assertThat(paused("news::pause-client.reader")).isFalse();
    }

    @Test
    void aDeletedPausedQueueComesBackUnpaused() throws Exception {
        start();
        broker.management().createQueue("gone");
        broker.management().setPaused("gone", true);
        assertThat(broker.management().deleteQueue("gone")).isNotNull();
        broker.management().createQueue("gone");
        start();
        assertThat(paused("gone")).isFalse();
        assertThat(Files.readString(dir.resolve("data").resolve("paused-destinations"))).isEmpty();
    }

    @Test
    void aPauseThatCannotBeStoredIsRefusedAndChangesNothing() throws Exception {
        start();
        broker.management().createQueue("stuck");
        // the temporary file's name taken by a directory: the write fails
        Files.createDirectories(dir.resolve("data").resolve("paused-destinations.tmp").resolve("x"));
        assertThatThrownBy(() -> broker.management().setPaused("stuck", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("could not be stored");
        assertThat(paused("stuck")).isFalse();
    }

    private Connection connection() throws Exception {
        Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection();
        c.setClientID("pause-client");
        return c;
    }
}
