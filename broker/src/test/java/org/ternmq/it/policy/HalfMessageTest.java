package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.HalfMessaging;
import org.ternmq.jms.HalfOutcome;

/**
 * Half-messages with check-back: invisible until committed, dropped when rolled back, resolved by asking a
 * checker of the producer group when the producer never says, by the policy's default when nobody answers,
 * kept across a restart; and every misuse refused with the right exception.
 */
class HalfMessageTest extends PolicyTestBase {

    /** Quick checks for the tests: first after 300 ms, then 300, 600 (capped), three at most. */
    private static final String[] FAST_CHECKS = {
        "policy.half.match=half.#",
        "policy.half.half-check-after=300",
        "policy.half.max-half-check-interval=600",
        "policy.half.half-check-max-attempts=3",
    };

    private static TextMessage order(Session s, String orderId) throws Exception {
        TextMessage m = s.createTextMessage("order " + orderId);
        m.setStringProperty("orderId", orderId);
        return m;
    }

    @Test
    void aHalfMessageIsInvisibleUntilCommitted() throws Exception {
        start(FAST_CHECKS);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("half.orders");
        MessageConsumer consumer = s.createConsumer(q);
        HalfMessaging half = HalfMessaging.of(c);

        String id = half.sendHalf(s.createProducer(q), order(s, "A1"), "orders");
        assertThat(consumer.receive(200)).as("before the commit").isNull();
        assertThat(broker.management().listHalf()).contains(id).contains("group orders").contains("half.orders");

        half.commitHalf(id);
        TextMessage got = (TextMessage) consumer.receive(5000);
        assertThat(got.getText()).isEqualTo("order A1");
        assertThat(got.getJMSMessageID()).isEqualTo(id);
        assertThat(got.getJMSRedelivered()).isFalse();
        assertThat(consumer.receive(200)).isNull();
        assertThat(broker.management().listHalf()).isEqualTo("no half-messages waiting");
        assertThatThrownBy(() -> half.commitHalf(id)).isInstanceOf(InvalidDestinationException.class)
                .hasMessageContaining("no half-message '" + id + "' is waiting");
    }

    @Test
    void aRolledBackHalfMessageNeverArrives() throws Exception {
        start(FAST_CHECKS);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("half.orders");
        MessageConsumer consumer = s.createConsumer(q);
        HalfMessaging half = HalfMessaging.of(c);
        String id = half.sendHalf(s.createProducer(q), order(s, "R1"), "orders");
        half.rollbackHalf(id);
        // longer than every check the policy would make: nothing comes back
        assertThat(consumer.receive(1500)).isNull();
        assertThatThrownBy(() -> half.rollbackHalf(id)).isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void whenTheProducerDiesAnotherInstanceOfTheGroupAnswersTheCheck() throws Exception {
        start(FAST_CHECKS);
        Set<String> committedOrders = ConcurrentHashMap.newKeySet(); // the "database" both instances share
        Connection producerInstance = broker.connect();
        Session ps = producerInstance.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = ps.createQueue("half.orders");
        MessageProducer producer = ps.createProducer(q);
        String committedId = HalfMessaging.of(producerInstance).sendHalf(producer, order(ps, "C1"), "orders");
        committedOrders.add("C1"); // its local transaction committed...
        String abandonedId = HalfMessaging.of(producerInstance).sendHalf(producer, order(ps, "C2"), "orders");
        producerInstance.close(); // ...and it died before telling the broker about either

        List<String> asked = new CopyOnWriteArrayList<>();
        Connection otherInstance = broker.connect();
        HalfMessaging.of(otherInstance).setTransactionChecker("orders", m -> {
            asked.add(m.getJMSMessageID() + "/" + m.getStringProperty("orderId"));
            return committedOrders.contains(m.getStringProperty("orderId")) ? HalfOutcome.COMMIT : HalfOutcome.ROLLBACK;
        });

        Session cs = otherInstance.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = cs.createConsumer(q);
        TextMessage got = (TextMessage) consumer.receive(5000);
        assertThat(got).as("the committed order after the check").isNotNull();
        assertThat(got.getText()).isEqualTo("order C1");
        assertThat(consumer.receive(1000)).as("the order whose transaction never committed").isNull();
        assertThat(asked).containsExactlyInAnyOrder(committedId + "/C1", abandonedId + "/C2");
        assertThat(broker.management().listHalf()).isEqualTo("no half-messages waiting");
    }

    @Test
    void aCheckerThatCannotTellYetIsAskedAgain() throws Exception {
        start(FAST_CHECKS);
        AtomicInteger checks = new AtomicInteger();
        Connection c = broker.connect();
        HalfMessaging half = HalfMessaging.of(c);
        half.setTransactionChecker("slow", m -> checks.incrementAndGet() < 2 ? HalfOutcome.UNKNOWN : HalfOutcome.COMMIT);
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("half.slow");
        MessageConsumer consumer = s.createConsumer(q);
        half.sendHalf(s.createProducer(q), order(s, "S1"), "slow");
        assertThat(consumer.receive(5000)).isNotNull();
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void withNobodyToAnswerThePolicyDefaultIsApplied() throws Exception {
        start("policy.dropped.match=half.dropped",
                "policy.dropped.half-check-after=100",
                "policy.dropped.max-half-check-interval=100",
                "policy.dropped.half-check-max-attempts=2",
                "policy.kept.match=half.kept",
                "policy.kept.half-check-after=100",
                "policy.kept.max-half-check-interval=100",
                "policy.kept.half-check-max-attempts=2",
                "policy.kept.half-default-outcome=commit");
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        HalfMessaging half = HalfMessaging.of(c);
        Queue dropped = s.createQueue("half.dropped");
        Queue kept = s.createQueue("half.kept");
        half.sendHalf(s.createProducer(dropped), order(s, "D1"), "nobody");
        half.sendHalf(s.createProducer(kept), order(s, "K1"), "nobody");

        TextMessage committed = (TextMessage) s.createConsumer(kept).receive(5000);
        assertThat(committed).as("default commit").isNotNull();
        assertThat(committed.getText()).isEqualTo("order K1");
        assertThat(s.createConsumer(dropped).receive(1000)).as("default rollback").isNull();
        assertThat(broker.management().listHalf()).isEqualTo("no half-messages waiting");
    }

    @Test
    void aWaitingHalfMessageSurvivesARestartAndCanBeCommittedAfter() throws Exception {
        start("policy.half.match=half.#", "policy.half.half-check-after=600000");
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("half.orders");
        String id = HalfMessaging.of(c).sendHalf(s.createProducer(q), order(s, "P1"), "orders");

        broker.restart();
        assertThat(broker.management().listHalf()).contains(id);
        Connection again = broker.connect();
        Session s2 = again.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s2.createConsumer(s2.createQueue("half.orders"));
        assertThat(consumer.receive(300)).isNull();
        HalfMessaging.of(again).commitHalf(id);
        TextMessage got = (TextMessage) consumer.receive(5000);
        assertThat(got.getStringProperty("orderId")).isEqualTo("P1");
        assertThat(broker.management().listPrepared()).as("half-messages are not XA branches in doubt")
                .isEqualTo("no prepared XA branches");
    }

    @Test
    void anOperatorCanCommitOrRollBackAWaitingHalfMessage() throws Exception {
        start("policy.half.match=half.#", "policy.half.half-check-after=600000");
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("half.ops");
        MessageProducer p = s.createProducer(q);
        String commit = HalfMessaging.of(c).sendHalf(p, order(s, "O1"), "ops");
        String rollback = HalfMessaging.of(c).sendHalf(p, order(s, "O2"), "ops");
        assertThat(broker.management().commitHalf(commit)).isEqualTo("committed half-message " + commit);
        assertThat(broker.management().rollbackHalf(rollback)).isEqualTo("rolled back half-message " + rollback);
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(((TextMessage) consumer.receive(5000)).getStringProperty("orderId")).isEqualTo("O1");
        assertThat(consumer.receive(300)).isNull();
        assertThatThrownBy(() -> broker.management().commitHalf("ID:nothing")).hasMessageContaining("no half-message");
    }

    @Test
    void misuseIsRefusedAndTheConnectionCarriesOn() throws Exception {
        start(FAST_CHECKS);
        Connection c = broker.connect();
        HalfMessaging half = HalfMessaging.of(c);
        Session transacted = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = transacted.createQueue("half.bad");
        assertThatThrownBy(() -> half.sendHalf(transacted.createProducer(q), transacted.createTextMessage("x"), "g"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not transacted");

        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(q);
        assertThatThrownBy(() -> half.sendHalf(p, s.createTextMessage("x"), "g".repeat(65)))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("1 to 64 bytes");
        assertThatThrownBy(() -> half.sendHalf(p, s.createTextMessage("x"), ""))
                .isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> half.commitHalf("ID:never-sent")).isInstanceOf(InvalidDestinationException.class);

        // the property alone makes a half-message: the broker refuses what cannot be one
        TextMessage nonPersistent = s.createTextMessage("x");
        nonPersistent.setStringProperty(HalfMessaging.GROUP_PROPERTY, "g");
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        assertThatThrownBy(() -> p.send(nonPersistent)).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("must be persistent");
        TextMessage inTransaction = transacted.createTextMessage("x");
        inTransaction.setStringProperty(HalfMessaging.GROUP_PROPERTY, "g");
        assertThatThrownBy(() -> transacted.createProducer(q).send(inTransaction))
                .isInstanceOf(IllegalStateException.class);

        // nothing of it reached the queue, and the connection still works
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        p.send(s.createTextMessage("plain"));
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("plain");
        assertThat(consumer.receive(300)).isNull();
    }

    @Test
    void aTransactionManagerMayNotUseTheHalfMessageFormatId() throws Exception {
        start(FAST_CHECKS);
        jakarta.jms.XAConnection xc = new org.ternmq.jms.TernXAConnectionFactory(broker.tcpUrl()).createXAConnection();
        try {
            javax.transaction.xa.XAResource xa = xc.createXASession().getXAResource();
            org.ternmq.protocol.XidValue reserved = new org.ternmq.protocol.XidValue(0x54484C46, new byte[] {1}, new byte[] {2});
            assertThatThrownBy(() -> xa.start(reserved, javax.transaction.xa.XAResource.TMNOFLAGS))
                    .isInstanceOfSatisfying(javax.transaction.xa.XAException.class,
                            e -> assertThat(e.errorCode).isEqualTo(javax.transaction.xa.XAException.XAER_INVAL));
        } finally {
            xc.close();
        }
    }

    @Test
    void aTopicHalfMessageReachesEverySubscriberOnCommit() throws Exception {
        start(FAST_CHECKS);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        jakarta.jms.Topic t = s.createTopic("half.events");
        MessageConsumer a = s.createConsumer(t);
        MessageConsumer b = s.createConsumer(t);
        String id = HalfMessaging.of(c).sendHalf(s.createProducer(t), order(s, "T1"), "events");
        assertThat(a.receive(200)).isNull();
        HalfMessaging.of(c).commitHalf(id);
        assertThat(a.receive(5000)).isNotNull();
        assertThat(b.receive(5000)).isNotNull();
    }
}
