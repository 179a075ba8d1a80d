package org.ternmq.it.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.protocol.XidValue;

/**
 * Client failover ({@code failover=true}) against one broker in a child JVM that is killed (SIGKILL) or stopped
 * (SIGTERM) and started again on the same port and data directory: the application sees nothing but what JMS
 * says it must (a doomed transaction, redelivered messages), and its {@code ExceptionListener} hears only when
 * failover gives up.
 */
class ClientFailoverTest {

    /** In the range of ports this work uses (63000-63999). */
    /**
     * Chosen per test, below the ephemeral range: with a fixed port, two builds running this test on one machine at
     * once had one build's client fail over to the other build's broker (and miss the messages it stored there).
     */
    private final int port;

    ClientFailoverTest() throws java.io.IOException {
        port = ChildBroker.freePort();
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ChildBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException e) {
                // the broker may be gone for good
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Connection connect(String options) throws JMSException {
        Connection c = new TernConnectionFactory("tern://127.0.0.1:" + port + "?failover=true&" + options)
                .createConnection();
        connections.add(c);
        return c;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void persistentSendsCarryOnThroughKillAndStopAndAreStoredOnce() throws Exception {
        broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs")).start();
        Connection connection = connect("reconnectDelay=50&maxReconnectDelay=500&reconnectAttempts=200");
        AtomicReference<JMSException> heard = new AtomicReference<>();
        connection.setExceptionListener(heard::set);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue("failover.sends");
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        ConcurrentLinkedQueue<String> returned = new ConcurrentLinkedQueue<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger count = new AtomicInteger();
        Thread sender = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    producer.send(session.createTextMessage("m-" + i));
                    returned.add("m-" + i);
                    count.incrementAndGet();
                }
            } catch (Exception e) {
                failed.set(e);
            }
        }, "sender");
        sender.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> count.get() >= 200 || failed.get() != null);
        broker.kill();
        broker.start();
        int afterKill = count.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> count.get() >= afterKill + 200 || failed.get() != null);
        broker.stop();
        broker.start();
        int afterStop = count.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> count.get() >= afterStop + 200 || failed.get() != null);
        stop.set(true);
        sender.join(30_000);
        assertThat(failed.get()).as("what the sender met").isNull();
        assertThat(heard.get()).as("the exception listener").isNull();

        Map<String, Integer> received = new HashMap<>();
        try (Connection reader = new TernConnectionFactory("tern://127.0.0.1:" + port).createConnection()) {
            reader.start();
            MessageConsumer consumer = reader.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(queue);
            for (Message m = consumer.receive(3000); m != null; m = consumer.receive(1000)) {
                received.merge(((TextMessage) m).getText(), 1, Integer::sum);
                // what makes a resent in-flight send stored once
                assertThat(m.getStringProperty("JMS_TERN_DuplicateID")).isEqualTo(m.getJMSMessageID());
            }
        }
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(returned);
        assertThat(received.values()).as("copies of each message").allMatch(n -> n == 1);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sessionsConsumersTransactionsAndTemporariesAreRestored() throws Exception {
        broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs")).start();
        Connection connection = connect("reconnectDelay=50&maxReconnectDelay=500&reconnectAttempts=200");
        AtomicReference<JMSException> heard = new AtomicReference<>();
        connection.setExceptionListener(heard::set);
        connection.start();
        Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = plain.createQueue("failover.restore");
        MessageProducer producer = plain.createProducer(queue);
        for (int i = 1; i <= 3; i++) {
            producer.send(plain.createTextMessage("q-" + i));
        }
        Session clientAck = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = clientAck.createConsumer(queue);
        TextMessage first = (TextMessage) consumer.receive(5000);
        assertThat(first.getText()).isEqualTo("q-1");
        assertThat(first.getJMSRedelivered()).isFalse();

        Session transacted = connection.createSession(true, Session.SESSION_TRANSACTED);
        Queue txQueue = transacted.createQueue("failover.tx");
        MessageProducer txProducer = transacted.createProducer(txQueue);
        txProducer.send(transacted.createTextMessage("lost with the transaction"));

        TemporaryQueue temporary = plain.createTemporaryQueue();
        MessageConsumer onTemporary = plain.createConsumer(temporary);

        // a receive that waits across the failover gets what is sent after it
        Session waiting = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer waiter = waiting.createConsumer(waiting.createQueue("failover.later"));
        AtomicReference<Object> waited = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                Message m = waiter.receive(60_000);
                waited.set(m == null ? "nothing" : ((TextMessage) m).getText());
            } catch (JMSException e) {
                waited.set(e);
            }
        }, "waiting-receiver");
        receiver.start();
        Thread.sleep(200);

        broker.kill();
        broker.start();

        // client acknowledge: the unacknowledged message comes again, flagged, and so do the two the client had
        // buffered (the broker counted their delivery too)
        Map<String, Boolean> redelivered = new HashMap<>();
        Message last = null;
        for (int i = 0; i < 3; i++) {
            last = consumer.receive(10_000);
            assertThat(last).as("message %d after the failover", i + 1).isNotNull();
            redelivered.put(((TextMessage) last).getText(), last.getJMSRedelivered());
        }
        assertThat(redelivered).containsOnlyKeys("q-1", "q-2", "q-3").containsEntry("q-1", true);
        assertThat(redelivered.values()).containsOnly(true);
        last.acknowledge();

        // the transaction under way is rolled back; the next one works
        assertThatThrownBy(transacted::commit).isInstanceOf(TransactionRolledBackException.class);
        txProducer.send(transacted.createTextMessage("committed after the failover"));
        transacted.commit();

        // the temporary queue and its consumer are there again
        plain.createProducer(temporary).send(plain.createTextMessage("to the temporary queue"));
        assertThat(((TextMessage) onTemporary.receive(5000)).getText()).isEqualTo("to the temporary queue");

        plain.createProducer(plain.createQueue("failover.later")).send(plain.createTextMessage("later"));
        receiver.join(20_000);
        assertThat(waited.get()).isEqualTo("later");

        MessageConsumer txConsumer = plain.createConsumer(txQueue);
        assertThat(((TextMessage) txConsumer.receive(5000)).getText()).isEqualTo("committed after the failover");
        assertThat(txConsumer.receive(500)).isNull();
        assertThat(consumer.receive(300)).as("acknowledged messages never come back").isNull();
        assertThat(heard.get()).as("the exception listener").isNull();
        assertThat(((org.ternmq.jms.TernConnection) connection).failoverCount()).isEqualTo(1);
    }

    /**
     * An XA session's branch does not survive a failover: its end or prepare fails with an XA error and none of
     * its sends is delivered; outside a branch the same session sends as a non-transacted one, carried over and
     * stored once (the resource adapter's handles outside a container transaction).
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void anXaBranchFailsAcrossAFailoverAndSendsOutsideABranchCarryOn() throws Exception {
        broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs")).start();
        XAConnection xaConnection = new TernXAConnectionFactory("tern://127.0.0.1:" + port
                + "?failover=true&reconnectDelay=50&maxReconnectDelay=500&reconnectAttempts=200").createXAConnection();
        connections.add(xaConnection);
        XASession xa = xaConnection.createXASession();
        Queue queue = xa.createQueue("failover.xa");
        MessageProducer producer = xa.createProducer(queue);
        XAResource resource = xa.getXAResource();
        Xid xid = new XidValue(1, "failover-branch".getBytes(StandardCharsets.US_ASCII), new byte[] {1});

        producer.send(xa.createTextMessage("outside, before"));
        resource.start(xid, XAResource.TMNOFLAGS);
        producer.send(xa.createTextMessage("in the branch"));

        broker.kill();
        broker.start();

        assertThatThrownBy(() -> {
            resource.end(xid, XAResource.TMSUCCESS);
            resource.prepare(xid);
            resource.commit(xid, false);
        }).isInstanceOf(XAException.class);
        producer.send(xa.createTextMessage("outside, after"));

        Connection reader = connect("reconnectAttempts=5");
        reader.start();
        Session session = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(queue);
        List<String> got = new ArrayList<>();
        for (Message m = consumer.receive(5000); m != null; m = consumer.receive(1000)) {
            got.add(((TextMessage) m).getText());
        }
        assertThat(got).containsExactly("outside, before", "outside, after");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theExceptionListenerHearsOnlyWhenFailoverGivesUp() throws Exception {
        broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs")).start();
        Connection connection = connect("reconnectDelay=50&maxReconnectDelay=100&reconnectAttempts=5");
        AtomicReference<JMSException> heard = new AtomicReference<>();
        connection.setExceptionListener(heard::set);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue("failover.giveup");
        MessageProducer producer = session.createProducer(queue);
        producer.send(session.createTextMessage("before"));
        broker.kill();
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> heard.get() != null);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(heard.get().getMessage()).contains("failover gave up after 5 passes");
        // 5 passes of at most 100 ms sleep each, plus refused connects: well under the 20 s allowed
        assertThat(tookMillis).isLessThan(10_000);
        assertThatThrownBy(() -> producer.send(session.createTextMessage("after"))).isInstanceOf(JMSException.class);
    }
}
