package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
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
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A graceful stop (SIGTERM) of a broker with everything that used to hold it up: a message delayed by an
 * hour, a redelivery delay of ten minutes, a consumer holding an unacknowledged message, an open
 * transaction, a paged backlog. The stop stays within the bound the README documents (well under it,
 * in fact; the limit here leaves room for a slow machine), and afterwards every piece of that state is
 * as a stop must leave it.
 *
 * <p>Before delayed work was dropped at shutdown, the agent waited its whole 5 s shutdown timeout for
 * the delayed tasks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GracefulStopTest {

    /** README, "Stopping": the documented bound is 5 s per waiting step; a normal stop takes well under 1 s. */
    private static final long STOP_LIMIT_MILLIS = 3_000;

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
    void stopIsQuickWithDelayedWorkAndOpenStateAndLosesNothing() throws Exception {
        Path config = dir.resolve("tern.properties");
        Files.writeString(config, String.join("\n",
                "policy.slow.match=stop.slow",
                "policy.slow.redelivery-delay=600000",
                "policy.default.max-memory-messages=50", ""));
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--config", config.toString()).start();
        TernConnectionFactory cf = new TernConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer delayed = s.createProducer(s.createQueue("stop.delayed"));
            delayed.setDeliveryDelay(TimeUnit.HOURS.toMillis(1));
            delayed.send(s.createTextMessage("later"));
            MessageProducer backlog = s.createProducer(s.createQueue("stop.backlog"));
            for (int i = 0; i < 500; i++) {
                backlog.send(s.createTextMessage("b" + i));
            }
            s.createProducer(s.createQueue("stop.slow")).send(s.createTextMessage("slow"));
            s.createProducer(s.createQueue("stop.held")).send(s.createTextMessage("held"));
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            assertThat(tx.createConsumer(tx.createQueue("stop.slow")).receive(2000)).isNotNull();
            tx.rollback(); // the slow queue's message now waits ten minutes
        }

        Connection open = cf.createConnection();
        open.start();
        Session client = open.createSession(Session.CLIENT_ACKNOWLEDGE);
        assertThat(client.createConsumer(client.createQueue("stop.held")).receive(2000)).isNotNull();
        Session openTx = open.createSession(Session.SESSION_TRANSACTED);
        openTx.createProducer(openTx.createQueue("stop.uncommitted")).send(openTx.createTextMessage("never"));
        Session drainingSession = open.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer draining = drainingSession.createConsumer(drainingSession.createQueue("stop.backlog"));
        assertThat(draining.receive(2000)).isNotNull();
        // auto-acknowledgements are batched (JMS lets a failure redeliver the last ones): closing the session
        // writes them, so the broker has this one to store before it stops
        drainingSession.close();

        broker.stop();
        System.out.printf("graceful stop took %d ms%n", broker.lastStopMillis());
        assertThat(broker.lastStopMillis()).as("stop time in ms").isLessThan(STOP_LIMIT_MILLIS);
        try {
            open.close();
        } catch (jakarta.jms.JMSException expected) {
            // the broker went away
        }

        broker.start();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Message held = s.createConsumer(s.createQueue("stop.held")).receive(2000);
            assertThat(((TextMessage) held).getText()).isEqualTo("held");
            assertThat(held.getJMSRedelivered()).isTrue();
            assertThat(s.createConsumer(s.createQueue("stop.uncommitted")).receive(200)).isNull();
            assertThat(s.createConsumer(s.createQueue("stop.delayed")).receive(200)).as("not due yet").isNull();
            assertThat(s.createConsumer(s.createQueue("stop.slow")).receive(200)).as("still waiting").isNull();
            Queue backlog = s.createQueue("stop.backlog");
            MessageConsumer rest = s.createConsumer(backlog);
            int left = 0;
            while (rest.receive(1000) != null) {
                left++;
            }
            assertThat(left).as("backlog after one was consumed before the stop").isEqualTo(499);
        }
        try (ClientConnection admin = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            String queues = admin.manage("list-queues", null, null, null).text();
            assertThat(queues).containsPattern("stop\\.delayed\\s+1\\s").containsPattern("stop\\.slow\\s+1\\s");
        }
        String log = Files.readString(broker.logDir().resolve("broker-1.log"));
        assertThat(log).contains("stopped in").doesNotContain("ERROR");
    }

    /** A stop past --stop-timeout halts the process; the next start recovers as after a crash. */
    @Test
    void aStopPastItsTimeoutHaltsAndTheNextStartLosesNothing() throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs"), "--stop-timeout", "1").start();
        TernConnectionFactory cf = new TernConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("stop.halted"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 100; i++) {
                p.send(s.createTextMessage("m" + i));
            }
        }
        broker.stop();
        assertThat(broker.lastExitCode()).as("exit status of a halted stop").isEqualTo(3);
        assertThat(Files.readString(broker.logDir().resolve("broker-1.log")))
                .contains("did not finish within 1 ms (--stop-timeout); halting");
        broker.start();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("stop.halted"));
            for (int i = 0; i < 100; i++) {
                assertThat(((TextMessage) consumer.receive(2000)).getText()).isEqualTo("m" + i);
            }
            assertThat(consumer.receive(200)).isNull();
        }
    }
}
