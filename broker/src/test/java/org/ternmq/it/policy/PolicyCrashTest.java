package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ternmq.broker.core.MessageProperties.DELIVERY_ATTEMPTS;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_DESTINATION;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The broker in a child JVM, configured by a file passed with {@code --config} as an operator would, killed
 * with SIGKILL in the middle of a policy's work: a delivered but unacknowledged message, a delayed message,
 * a message waiting out its redelivery delay, a message on its way to the dead-letter queue.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PolicyCrashTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the child broker's logs
    Path dir;
    private ChildBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void killBroker() throws Exception {
        closeConnections();
        if (broker != null) {
            broker.close();
        }
    }

    private void start(String... configLines) throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.write(config, List.of(configLines), StandardCharsets.UTF_8);
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--config", config.toString()).start();
    }

    private Session session(int mode) throws JMSException {
        Connection c = new TernConnectionFactory(broker.url()).createConnection();
        connections.add(c);
        c.start();
        return c.createSession(mode);
    }

    private void killAndRestart() throws Exception {
        // stopped connections are sent nothing, so no delivery is in flight when the broker dies
        for (Connection c : connections) {
            c.stop();
        }
        broker.killAndRestart();
        closeConnections();
    }

    private void closeConnections() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // its broker was killed
            }
        }
        connections.clear();
    }

    private static String delivery(Message m) throws JMSException {
        return m == null ? null
                : ((TextMessage) m).getText() + "/" + m.getIntProperty("JMSXDeliveryCount") + "/" + m.getJMSRedelivered();
    }

    @Test
    void aMessageDeliveredButNotAcknowledgedWhenTheBrokerDiesComesBackRedelivered() throws Exception {
        start();
        Session s = session(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("unacked");
        MessageProducer p = s.createProducer(q);
        p.send(s.createTextMessage("acked"));
        p.send(s.createTextMessage("seen"));
        MessageConsumer consumer = s.createConsumer(q);
        Message acked = consumer.receive(5000);
        acked.acknowledge();
        assertThat(delivery(consumer.receive(5000))).isEqualTo("seen/1/false");
        AtomicReference<JMSException> heard = new AtomicReference<>();
        connections.get(0).setExceptionListener(heard::set);
        broker.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() != null);
        broker.start();
        closeConnections();

        MessageConsumer after = session(Session.CLIENT_ACKNOWLEDGE).createConsumer(q);
        Message again = after.receive(5000);
        assertThat(delivery(again)).isEqualTo("seen/2/true");
        again.acknowledge();
        assertThat(after.receive(300)).as("the acknowledged message is gone").isNull();
    }

    @Test
    void aDelayedMessageOutlivesAKillAndWaitsForItsTime() throws Exception {
        start();
        Session s = session(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("delayed");
        MessageProducer p = s.createProducer(q);
        p.setDeliveryDelay(3000);
        TextMessage later = s.createTextMessage("later");
        p.send(later);
        killAndRestart();
        MessageConsumer consumer = session(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        Message m = consumer.receive(15_000);
        long receivedAt = System.currentTimeMillis();
        assertThat(delivery(m)).isEqualTo("later/1/false");
        assertThat(m.getJMSDeliveryTime()).isEqualTo(later.getJMSDeliveryTime());
        assertThat(receivedAt).as("not before its delivery time").isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
    }

    @Test
    void aMessageWaitingForRedeliveryKeepsItsDelayAndCountThroughAKill() throws Exception {
        start("policy.default.redelivery-delay=3000");
        Session s = session(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("waiting");
        s.createProducer(q).send(s.createTextMessage("retry-me"));
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(delivery(consumer.receive(5000))).isEqualTo("retry-me/1/false");
        long recoveredAt = System.currentTimeMillis(); // the broker's clock reads at least this when it recovers
        s.recover();
        // the recovery is stored with the next durable write of the session's connection: a persistent send
        s.createProducer(s.createQueue("barrier")).send(s.createTextMessage("barrier"));
        killAndRestart();
        Message again = session(Session.AUTO_ACKNOWLEDGE).createConsumer(q).receive(15_000);
        assertThat(delivery(again)).isEqualTo("retry-me/2/true");
        assertThat(System.currentTimeMillis() - recoveredAt).as("the delay survived").isGreaterThanOrEqualTo(3000);
    }

    @Test
    void aMessageOnItsWayToTheDeadLetterQueueArrivesThereExactlyOnce() throws Exception {
        // the redelivery delay keeps a recovered message on the broker until after each kill, so no delivery
        // is in flight when the broker dies (an in-flight one would count as an attempt)
        start("policy.default.max-delivery-attempts=3", "policy.p.match=poison",
                "policy.p.dead-letter-destination=poison.DLQ", "policy.p.redelivery-delay=1000");
        Session s = session(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("poison");
        s.createProducer(q).send(s.createTextMessage("poison"));
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(delivery(consumer.receive(5000))).isEqualTo("poison/1/false");
        s.recover();
        assertThat(delivery(consumer.receive(5000))).isEqualTo("poison/2/true");
        s.recover();
        killAndRestart(); // two attempts done

        Session after = session(Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer c2 = after.createConsumer(q);
        assertThat(delivery(c2.receive(5000))).isEqualTo("poison/3/true");
        after.recover(); // the third failure: it moves to the dead-letter queue
        killAndRestart(); // possibly before the move is on disk: then it is still in the queue, once

        Session last = session(Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer source = last.createConsumer(q);
        Message stillThere = source.receive(1500);
        // the attempt that moves it: the third, or, if the move was lost with the kill, the delivery now (the
        // third again when the third's count was lost too, else the fourth)
        int movedAt = 3;
        if (stillThere != null) {
            movedAt = stillThere.getIntProperty("JMSXDeliveryCount");
            assertThat(movedAt).isBetween(3, 4);
            last.recover();
        }
        assertThat(source.receive(300)).as("no copy left in the source").isNull();
        MessageConsumer dlq = last.createConsumer(last.createQueue("poison.DLQ"));
        Message dead = dlq.receive(5000);
        assertThat(delivery(dead)).startsWith("poison/");
        assertThat(dead.getStringProperty(ORIGINAL_DESTINATION)).isEqualTo("poison");
        assertThat(dead.getIntProperty(DELIVERY_ATTEMPTS)).isEqualTo(movedAt);
        dead.acknowledge();
        assertThat(dlq.receive(300)).as("exactly one copy in the dead-letter queue").isNull();
    }
}
