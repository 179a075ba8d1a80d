package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Redelivery through the JMS API after rollback, recover, a closed consumer and a lost connection, with
 * exact {@code JMSXDeliveryCount} and {@code JMSRedelivered}; and a message waiting out its redelivery
 * delay does not hold back the ones behind it.
 */
class RedeliveryPolicyTest extends PolicyTestBase {

    private static List<String> receiveAll(MessageConsumer consumer, int n) throws JMSException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            got.add(delivery(consumer.receive(5000)));
        }
        return got;
    }

    @Test
    void rollbackRedeliversInOrderCountingEachAttempt() throws Exception {
        start();
        Session tx = broker.connect().createSession(Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("rb");
        send(tx, q, "a", "b", "c");
        tx.commit();
        MessageConsumer consumer = tx.createConsumer(q);
        assertThat(receiveAll(consumer, 2)).containsExactly("a/1/false", "b/1/false");
        tx.rollback();
        assertThat(receiveAll(consumer, 1)).containsExactly("a/2/true");
        tx.rollback();
        // c was delivered to the buffer but never seen: its count does not grow
        assertThat(receiveAll(consumer, 3)).containsExactly("a/3/true", "b/2/true", "c/1/false");
        tx.commit();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    /**
     * Sends arriving from another connection dispatch the queue while a rollback waits for its records to be
     * written (the persistent messages the consumer had buffered but not seen get their count back): the returned
     * message must not go to the rolling-back session before its answer (its client drops what comes first), else
     * that delivery counts as one more attempt the application never saw.
     */
    @Test
    void eachRollbackCountsOneAttemptWhileOtherSendsDispatchTheQueue() throws Exception {
        start("policy.default.max-delivery-attempts=-1", "policy.default.redelivery-delay=0");
        Session tx = broker.connect().createSession(Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("busy");
        send(tx, q, "head");
        tx.commit();
        AtomicReference<Exception> senderFailure = new AtomicReference<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Connection other = broker.connect();
        Thread sender = new Thread(() -> {
            try {
                Session s = other.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = s.createProducer(q);
                while (sending.get()) {
                    producer.send(s.createTextMessage("tail"));
                    LockSupport.parkNanos(200_000);
                }
            } catch (Exception e) {
                senderFailure.set(e);
            }
        }, "tail-sender");
        sender.start();
        try {
            MessageConsumer consumer = tx.createConsumer(q);
            for (int attempt = 1; attempt <= 100; attempt++) {
                assertThat(delivery(consumer.receive(5000))).as("attempt %d", attempt)
                        .isEqualTo("head/" + attempt + "/" + (attempt > 1));
                tx.rollback();
            }
        } finally {
            sending.set(false);
            sender.join(10_000);
        }
        assertThat(senderFailure.get()).isNull();
    }

    @Test
    void recoverRedeliversWhatWasSeenWithAHigherCount() throws Exception {
        start();
        Session s = broker.connect().createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("recover");
        send(s, q, "a", "b", "c");
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(receiveAll(consumer, 2)).containsExactly("a/1/false", "b/1/false");
        s.recover();
        assertThat(receiveAll(consumer, 1)).containsExactly("a/2/true");
        s.recover();
        List<String> last = receiveAll(consumer, 3);
        assertThat(last).containsExactly("a/3/true", "b/2/true", "c/1/false");
        s.recover();
        assertThat(receiveAll(consumer, 1)).containsExactly("a/4/true");
        s.recover();
        Message c = consumer.receive(5000);
        List<String> all = new ArrayList<>(List.of(delivery(c)));
        all.addAll(receiveAll(consumer, 2));
        assertThat(all).containsExactly("a/5/true", "b/3/true", "c/2/true");
        c.acknowledge();
        s.recover();
        assertThat(consumer.receiveNoWait()).as("all acknowledged").isNull();
    }

    @Test
    void aClosedConsumerReturnsItsUnseenMessagesAsTheyWereAndTheSessionKeepsTheSeenOne() throws Exception {
        start();
        Connection connection = broker.connect();
        Session s = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("closed-consumer");
        send(s, q, "a", "b", "c");
        MessageConsumer first = s.createConsumer(q);
        assertThat(delivery(first.receive(5000))).isEqualTo("a/1/false");
        first.close(); // b and c were only buffered

        Session other = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer second = other.createConsumer(q);
        assertThat(receiveAll(second, 2)).containsExactly("b/1/false", "c/1/false");
        assertThat(second.receive(300)).as("a stays with its session until it ends").isNull();
        s.close(); // a was seen and never acknowledged
        assertThat(receiveAll(second, 1)).containsExactly("a/2/true");
        other.recover(); // the queue's order again, every one seen once more
        assertThat(receiveAll(second, 3)).containsExactly("a/3/true", "b/2/true", "c/2/true");
    }

    @Test
    void aMessageThatWasOnlyBufferedKeepsItsCountAcrossARestart() throws Exception {
        start();
        Session s = broker.connect().createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("buffered");
        send(s, q, "a", "b");
        MessageConsumer consumer = s.createConsumer(q); // a and b are dispatched together
        Message a = consumer.receive(5000);
        assertThat(delivery(a)).isEqualTo("a/1/false");
        a.acknowledge();
        broker.restart(); // the client closes cleanly and reports b as unconsumed
        MessageConsumer after = broker.connect().createSession(Session.CLIENT_ACKNOWLEDGE).createConsumer(q);
        assertThat(delivery(after.receive(5000))).as("b was never seen by the application").isEqualTo("b/1/false");
    }

    @Test
    void aMessageOfAClosedConsumerCanStillBeAcknowledgedByItsSession() throws Exception {
        start();
        Connection connection = broker.connect();
        Session s = connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("ack-after-close");
        send(s, q, "a", "b");
        MessageConsumer first = s.createConsumer(q);
        Message a = first.receive(5000);
        first.close();
        a.acknowledge();
        s.close();
        MessageConsumer second = connection.createSession(Session.CLIENT_ACKNOWLEDGE).createConsumer(q);
        assertThat(receiveAll(second, 1)).containsExactly("b/1/false");
        assertThat(second.receive(300)).as("a was acknowledged").isNull();
    }

    @Test
    void aTransactedSessionConsumesWhatAClosedConsumerReceivedWhenItCommits() throws Exception {
        start();
        Connection connection = broker.connect();
        Session tx = connection.createSession(Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("tx-closed-consumer");
        send(tx, q, "a", "b");
        tx.commit();
        MessageConsumer first = tx.createConsumer(q);
        assertThat(delivery(first.receive(5000))).isEqualTo("a/1/false");
        first.close();
        tx.commit();
        MessageConsumer second = tx.createConsumer(q);
        assertThat(receiveAll(second, 1)).containsExactly("b/1/false");
        tx.commit();
        assertThat(second.receiveNoWait()).isNull();
    }

    @Test
    void aLostConnectionReturnsEverythingUnacknowledgedAsRedelivered() throws Exception {
        start();
        Session setup = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = setup.createQueue("lost");
        Queue out = setup.createQueue("lost-out");
        send(setup, q, "a", "b", "c");
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort())) {
            Connection viaProxy = broker.track(new TernConnectionFactory(proxy.url()).createConnection());
            AtomicReference<JMSException> heard = new AtomicReference<>();
            viaProxy.setExceptionListener(heard::set);
            Session ack = viaProxy.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = ack.createConsumer(q);
            Message a = consumer.receive(5000);
            assertThat(delivery(a)).isEqualTo("a/1/false");
            a.acknowledge();
            assertThat(delivery(consumer.receive(5000))).isEqualTo("b/1/false");
            Session tx = viaProxy.createSession(Session.SESSION_TRANSACTED);
            tx.createProducer(out).send(tx.createTextMessage("uncommitted"));

            proxy.cut();
            await().atMost(Duration.ofSeconds(10)).until(() -> heard.get() != null);
        }
        MessageConsumer after = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        // b was seen; c was delivered into the lost client's buffer: the broker cannot know it was unseen
        assertThat(receiveAll(after, 2)).containsExactly("b/2/true", "c/2/true");
        assertThat(after.receive(300)).as("a was acknowledged").isNull();
        MessageConsumer outConsumer = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(out);
        assertThat(outConsumer.receive(300)).as("the lost transaction never happened").isNull();
    }

    @Test
    void aMessageWaitingForItsRedeliveryDelayDoesNotHoldBackTheOthers() throws Exception {
        start("policy.slow.match=slow", "policy.slow.redelivery-delay=2000");
        Session s = broker.connect().createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("slow");
        send(s, q, "a", "b", "c");
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(delivery(consumer.receive(5000))).isEqualTo("a/1/false");
        long recoveredAt = System.currentTimeMillis(); // the broker's clock reads at least this when it recovers
        s.recover();
        Message b = consumer.receive(5000);
        assertThat(delivery(b)).isEqualTo("b/1/false");
        assertThat(System.currentTimeMillis() - recoveredAt).as("b is not held back by a").isLessThan(1500);
        assertThat(delivery(consumer.receive(5000))).isEqualTo("c/1/false");
        b.acknowledge(); // b and c
        Message a = consumer.receive(5000);
        assertThat(delivery(a)).isEqualTo("a/2/true");
        assertThat(System.currentTimeMillis() - recoveredAt).as("a waited its delay").isGreaterThanOrEqualTo(2000);
        a.acknowledge();
        assertThat(consumer.receiveNoWait()).isNull();
    }
}
