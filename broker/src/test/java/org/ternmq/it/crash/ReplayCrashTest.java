package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A broker killed (SIGKILL) while it replays a queue's history: after the restart the queue holds either
 * none or all of the replayed copies (a replay is one store batch), each once, and the history is whole.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplayCrashTest {

    private static final int MESSAGES = 300;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ChildBroker broker;

    @AfterEach
    void kill() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aReplayKilledHalfWayLeavesAllOrNothing() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.writeString(config, "policy.kept.match=kept.#\npolicy.kept.retention-time=3600000\n");
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--config", config.toString()).start();
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            Queue q = s.createQueue("kept.crash");
            MessageProducer p = s.createProducer(q);
            for (int i = 0; i < MESSAGES; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            s.commit();
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(consumer.receive(5000)).isNotNull();
            }
            s.commit();
        }

        ClientConnection admin = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null);
        CompletableFuture<Long> replay = CompletableFuture.supplyAsync(() -> {
            try {
                return admin.manage("replay", "kept.crash", "time=0", null).count();
            } catch (Exception e) {
                return -1L;
            }
        });
        Thread.sleep(5);
        broker.kill();
        replay.get(30, TimeUnit.SECONDS);
        admin.close();

        broker.start();
        Set<String> texts = new HashSet<>();
        int received = 0;
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("kept.crash"));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(1000)) {
                received++;
                texts.add(m.getBody(String.class));
                assertThat(m.getJMSRedelivered()).isTrue();
            }
        }
        assertThat(received).as("replayed copies after the kill").isIn(0, MESSAGES);
        assertThat(texts).hasSize(received);
        try (ClientConnection check = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            assertThat(check.manage("find-messages", "kept.crash", null, null).count()).as("history")
                    .isEqualTo(MESSAGES);
        }
    }
}
