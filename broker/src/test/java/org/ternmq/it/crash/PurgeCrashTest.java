package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
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
 * A purge that answered "removed N" is on disk: a broker killed with SIGKILL the moment the answer arrives
 * does not bring the purged messages back. Found by the broker model test (seed 95028): the purge answered
 * before its removals were stored, and most of a paged queue - whose removals the broker makes a step per
 * agent task, reading each paged message back - came back after the kill.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PurgeCrashTest {

    private static final int MESSAGES = 6_000;

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
    void purgedMessagesStayPurgedAfterSigkill() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.writeString(config, "policy.small.match=purged.#\npolicy.small.max-memory-messages=10\n");
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--config", config.toString()).start();
        send("purged.q", MESSAGES);
        send("kept.q", 3);

        long removed;
        try (ClientConnection admin = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            removed = admin.manage("purge", "purged.q", null, null).count();
        }
        broker.kill();
        assertThat(removed).isEqualTo(MESSAGES);

        broker.start();
        try (ClientConnection admin = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            String queues = admin.manage("list-queues", null, null, null).text();
            assertThat(count(queues, "purged.q")).as("messages back in the purged queue after the kill:%n%s", queues)
                    .isZero();
            assertThat(count(queues, "kept.q")).as("the other queue keeps its messages").isEqualTo(3);
        }
    }

    private void send(String queue, int n) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < n; i++) {
                p.send(s.createTextMessage("m" + i));
                if (i % 500 == 499) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    /** The MESSAGES column of {@code queue}'s line in list-queues' table. */
    private static long count(String table, String queue) {
        for (String line : table.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 3 && cols[0].equals(queue)) {
                return Long.parseLong(cols[1]);
            }
        }
        throw new AssertionError("no line for " + queue + " in\n" + table);
    }
}
