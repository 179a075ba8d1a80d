package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.jms.HalfMessaging;
import org.ternmq.jms.HalfOutcome;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Half-messages survive kill -9 of the broker: one committed before the kill is delivered once; one waiting
 * for its outcome is still invisible after the restart and is resolved by the group's checker, which sees the
 * message as it was sent; one rolled back before the kill never appears.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HalfMessageCrashTest {

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
    void halfMessagesKeepTheirStateAcrossSigkill() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.writeString(config, "policy.half.match=half.#\npolicy.half.half-check-after=500\n");
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--config", config.toString()).start();
        Connection first = new TernConnectionFactory(broker.url()).createConnection();
        Session fs = first.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = fs.createQueue("half.orders");
        HalfMessaging half = HalfMessaging.of(first);
        String committed = half.sendHalf(fs.createProducer(q), order(fs, "committed"), "orders");
        half.commitHalf(committed);
        String rolledBack = half.sendHalf(fs.createProducer(q), order(fs, "rolled-back"), "orders");
        half.rollbackHalf(rolledBack);
        String waiting = half.sendHalf(fs.createProducer(q), order(fs, "waiting"), "orders");
        broker.kill();
        try {
            first.close();
        } catch (jakarta.jms.JMSException brokerGone) {
            // the close may fail once the broker is gone
        }

        broker.start();
        List<String> checked = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            HalfMessaging.of(c).setTransactionChecker("orders", m -> {
                synchronized (checked) {
                    checked.add(m.getJMSMessageID() + " " + m.getStringProperty("orderId"));
                }
                return HalfOutcome.COMMIT;
            });
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("half.orders"));
            List<String> received = new ArrayList<>();
            // the waiting one arrives once the checker answered: allow for a slow, loaded machine, then make
            // sure nothing else (the rolled-back one) follows
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 2 && System.nanoTime() < deadline) {
                Message m = consumer.receive(1000);
                if (m != null) {
                    received.add(((TextMessage) m).getStringProperty("orderId"));
                }
            }
            for (Message m = consumer.receive(1500); m != null; m = consumer.receive(1500)) {
                received.add(((TextMessage) m).getStringProperty("orderId"));
            }
            assertThat(received).containsExactly("committed", "waiting");
        }
        synchronized (checked) {
            assertThat(checked).containsExactly(waiting + " waiting");
        }
    }

    private static TextMessage order(Session s, String id) throws Exception {
        TextMessage m = s.createTextMessage(id);
        m.setStringProperty("orderId", id);
        return m;
    }
}
