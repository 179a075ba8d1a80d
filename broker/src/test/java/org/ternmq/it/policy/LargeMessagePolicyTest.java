package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ternmq.it.PatternStream;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.protocol.Manage;
import org.ternmq.protocol.XidValue;

/**
 * Large messages where the broker's policies act on them: durable subscriptions sharing one stored body,
 * dead letters, expiry, browsing, XA, paging, restarts; and every body deleted once nothing holds it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeMessagePolicyTest extends PolicyTestBase {

    private static final long KIB = 1024;
    private static final String OPTIONS = "?largeMessageSize=65536&maxMessageSize=1099511627776";

    private Connection connect(String clientId) throws JMSException {
        Connection c = new TernConnectionFactory(broker.vmUrl() + OPTIONS).createConnection();
        if (clientId != null) {
            c.setClientID(clientId);
        }
        return broker.track(c);
    }

    private static BytesMessage large(Session s, long size) throws JMSException {
        BytesMessage m = PatternStream.message(s, size);
        m.setLongProperty("size", size);
        return m;
    }

    /** Streams the body of {@code m} and checks it against the pattern and its size property. */
    private static void assertBody(Message m) throws JMSException {
        assertThat(m).isNotNull();
        PatternStream.Check check = new PatternStream.Check();
        m.setObjectProperty("JMS_TERN_SaveStream", check);
        check.assertPattern(m.getLongProperty("size"));
    }

    private long bodiesStored() {
        return broker.management().run(new Manage(0, "list-large", null, null, null)).count();
    }

    private void awaitNoBodies() {
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> bodiesStored() == 0);
    }

    @Test
    void durableSubscribersShareOneStoredBodyWhichGoesWithTheLastOfThem() throws Exception {
        start();
        Session s = connect("subs").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Topic topic = s.createTopic("large.news");
        MessageConsumer a = s.createDurableSubscriber(topic, "a");
        MessageConsumer b = s.createDurableSubscriber(topic, "b");
        s.createProducer(topic).send(large(s, 700 * KIB));
        assertThat(bodiesStored()).isEqualTo(1);

        broker.restart();
        s = connect("subs").createSession(false, Session.CLIENT_ACKNOWLEDGE);
        a = s.createDurableSubscriber(topic, "a");
        b = s.createDurableSubscriber(topic, "b");
        Message first = a.receive(5000);
        assertBody(first);
        first.acknowledge();
        assertThat(bodiesStored()).as("b still holds it").isEqualTo(1);
        Message second = b.receive(5000);
        assertBody(second);
        second.acknowledge();
        awaitNoBodies();
    }

    @Test
    void aLargeMessageRolledBackTooOftenIsDeadLetteredWithItsBody() throws Exception {
        start("policy.p.match=poison.#", "policy.p.max-delivery-attempts=2",
                "policy.p.dead-letter-destination=poison.DLQ");
        Session s = connect(null).createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = s.createQueue("poison.q");
        s.createProducer(queue).send(large(s, 300 * KIB));
        s.commit();
        MessageConsumer consumer = s.createConsumer(queue);
        for (int i = 0; i < 2; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
            s.rollback();
        }
        assertThat(consumer.receive(300)).isNull();
        Message dead = s.createConsumer(s.createQueue("poison.DLQ")).receive(5000);
        assertBody(dead);
        s.commit();
        awaitNoBodies();
    }

    @Test
    void anExpiredLargeMessageMovesToTheExpiryQueueWithItsBody() throws Exception {
        start("expiry-scan-period=50", "policy.e.match=exp.#", "policy.e.expiry-destination=exp.Expired");
        Session s = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("exp.q"));
        producer.setTimeToLive(200);
        producer.send(large(s, 200 * KIB));
        Message expired = s.createConsumer(s.createQueue("exp.Expired")).receive(10_000);
        assertBody(expired);
        awaitNoBodies();
    }

    @Test
    void aBrowserSeesALargeMessagesPropertiesAndTheSelectorUsesThem() throws Exception {
        start();
        Session s = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = s.createQueue("browse.q");
        BytesMessage m = large(s, 500 * KIB);
        m.setStringProperty("colour", "red");
        s.createProducer(queue).send(m);
        QueueBrowser browser = s.createBrowser(queue, "colour = 'red'");
        List<?> seen = Collections.list(browser.getEnumeration());
        assertThat(seen).hasSize(1);
        assertThat(((Message) seen.get(0)).getLongProperty("size")).isEqualTo(500 * KIB);
        assertThat(Collections.list(s.createBrowser(queue, "colour = 'blue'").getEnumeration())).isEmpty();
        assertBody(s.createConsumer(queue, "colour = 'red'").receive(5000));
        awaitNoBodies();
    }

    @Test
    void aLargeSendInAnXaBranchIsDeliveredWhenTheBranchCommits() throws Exception {
        start();
        XAConnection xc = new TernXAConnectionFactory(broker.vmUrl() + OPTIONS).createXAConnection();
        broker.track(xc);
        XASession xs = xc.createXASession();
        XAResource xa = xs.getXAResource();
        Xid xid = new XidValue(0x7E24, "large-xa".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
        xa.start(xid, XAResource.TMNOFLAGS);
        Queue queue = xs.createQueue("xa.q");
        xs.createProducer(queue).send(large(xs, 400 * KIB));
        xa.end(xid, XAResource.TMSUCCESS);
        Session s = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(queue);
        assertThat(consumer.receive(300)).as("not before the commit").isNull();
        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        xa.commit(xid, false);
        assertBody(consumer.receive(5000));
    }

    @Test
    void pagedLargeMessagesComeBackInOrderWithTheirBodies() throws Exception {
        start("policy.small.match=paged.#", "policy.small.max-memory-messages=2");
        Session s = connect(null).createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = s.createQueue("paged.q");
        MessageProducer producer = s.createProducer(queue);
        for (int i = 0; i < 8; i++) {
            BytesMessage m = large(s, (100 + i) * KIB);
            m.setIntProperty("n", i);
            producer.send(m);
        }
        assertThat(bodiesStored()).isEqualTo(8);
        MessageConsumer consumer = s.createConsumer(queue);
        for (int i = 0; i < 8; i++) {
            Message m = consumer.receive(5000);
            assertThat(m.getIntProperty("n")).isEqualTo(i);
            assertBody(m);
        }
        awaitNoBodies();
    }

    @Test
    void aRolledBackLargeSendAndAnUnreadBodyLeaveNothingBehind() throws Exception {
        start();
        Connection c = connect(null);
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = tx.createQueue("gone.q");
        tx.createProducer(queue).send(large(tx, 300 * KIB));
        tx.rollback();
        awaitNoBodies();

        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(queue).send(large(s, 300 * KIB));
        Message m = s.createConsumer(queue).receive(5000);
        assertThat(m).isNotNull();
        // acknowledged without its body read: the delivery's hold on the body ends with the connection
        c.close();
        awaitNoBodies();
    }

    @Test
    void aRetainedLargeMessageIsReplayedWithItsBodyAfterItWasConsumed() throws Exception {
        start("policy.kept.match=kept.#", "policy.kept.retention-time=3600000");
        Connection c = connect(null);
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = s.createQueue("kept.large");
        BytesMessage m = large(s, 250 * KIB);
        s.createProducer(queue).send(m);
        MessageConsumer consumer = s.createConsumer(queue);
        assertBody(consumer.receive(5000));
        // closing the consumer sends its batched acknowledgement first: only then is the message history
        consumer.close();

        assertThat(org.ternmq.jms.MessageHistory.of(c).replayQueue(queue, m.getJMSMessageID())).isEqualTo(1);
        Message replayed = s.createConsumer(queue).receive(5000);
        assertThat(replayed.getJMSRedelivered()).isTrue();
        assertBody(replayed);
    }
}
