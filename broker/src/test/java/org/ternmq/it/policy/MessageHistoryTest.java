package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.ternmq.broker.management.BrokerManagement;
import org.ternmq.jms.MessageHistory;
import org.ternmq.protocol.Manage;

/**
 * Message history: a destination whose policy sets retention-time keeps what it delivered, found by message
 * id, business key and time, traced through its lifecycle, replayed in order as redelivered, bounded by its
 * limits, and kept across a restart.
 */
class MessageHistoryTest extends PolicyTestBase {

    private static final String[] RETAINING = {
        "expiry-scan-period=100",
        "policy.kept.match=kept.#",
        "policy.kept.retention-time=3600000",
        "policy.kept.retention-index-property=orderId",
        "policy.kept.max-delivery-attempts=2",
    };

    private List<String> sendOrders(Session s, Queue q, int n) throws Exception {
        MessageProducer p = s.createProducer(q);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            TextMessage m = s.createTextMessage("order " + i);
            m.setStringProperty("orderId", "o-" + i);
            p.send(m);
            ids.add(m.getJMSMessageID());
        }
        return ids;
    }

    private static List<String> drain(MessageConsumer c) throws Exception {
        List<String> got = new ArrayList<>();
        for (Message m = c.receive(1000); m != null; m = c.receive(300)) {
            got.add(((TextMessage) m).getText() + (m.getJMSRedelivered() ? " (redelivered)" : ""));
        }
        return got;
    }

    private String run(String operation, String queue, String target) {
        return broker.management().run(new Manage(0, operation, queue, target, null)).text();
    }

    @Test
    void consumedMessagesAreFoundByIdKeyAndTimeAndTracedThroughTheirLifecycle() throws Exception {
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.orders");
        long before = System.currentTimeMillis();
        List<String> ids = sendOrders(s, q, 3);
        assertThat(drain(s.createConsumer(q))).containsExactly("order 1", "order 2", "order 3");

        assertThat(run("find-messages", "kept.orders", "key=o-2")).contains(ids.get(1)).contains("key o-2")
                .contains("acknowledged").doesNotContain(ids.get(0));
        assertThat(run("find-messages", null, "id=" + ids.get(2))).startsWith("kept.orders  " + ids.get(2));
        assertThat(run("find-messages", "kept.orders", "since=" + before).lines()).hasSize(3);
        assertThat(run("find-messages", "kept.orders", "until=" + (before - 1))).isEqualTo("no retained message matches");

        String trace = run("trace-message", ids.get(0), null);
        assertThat(trace).contains("in kept.orders:").contains("sent by connection")
                .contains("delivered (attempt 1) to consumer").contains("acknowledged by connection");
    }

    @Test
    void deadLetteredAndExpiredMessagesSayHowTheyLeft() throws Exception {
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.poison");
        String poison = sendOrders(s, q, 1).get(0);
        Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(q);
        for (int i = 0; i < 2; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
            tx.rollback();
        }
        consumer.close();
        MessageProducer p = s.createProducer(q);
        TextMessage shortLived = s.createTextMessage("short-lived");
        p.send(shortLived, jakarta.jms.DeliveryMode.PERSISTENT, 4, 50);
        Thread.sleep(400); // past its expiration and the scan period

        assertThat(run("trace-message", poison, null)).contains("delivered (attempt 2)")
                .contains("dead-lettered to DLQ after 2 delivery attempts");
        assertThat(run("trace-message", shortLived.getJMSMessageID(), null)).contains("expired and moved to ExpiryQueue");
        assertThat(run("find-messages", "kept.poison", null)).contains("dead-lettered").contains("expired");
    }

    @Test
    void aMessageDeliveredButNotAcknowledgedIsTracedAsInFlight() throws Exception {
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.inflight");
        String id = sendOrders(s, q, 1).get(0);
        Message m = s.createConsumer(q).receive(5000);
        assertThat(run("trace-message", id, null)).contains("in kept.inflight:").contains("sent by connection")
                .contains("not acknowledged yet");
        m.acknowledge();
        assertThat(run("trace-message", id, null)).contains("acknowledged by connection");
    }

    @Test
    void aQueueReplaysFromATimeInOrderAsRedeliveredAndIsNotRetainedTwice() throws Exception {
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.replay");
        sendOrders(s, q, 2);
        Thread.sleep(20);
        Instant middle = Instant.now();
        Thread.sleep(20);
        List<String> later = sendOrders(s, q, 3);
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(drain(consumer)).hasSize(5);

        assertThat(MessageHistory.of(c).replayQueue(q, middle)).isEqualTo(3);
        assertThat(drain(consumer)).containsExactly("order 1 (redelivered)", "order 2 (redelivered)",
                "order 3 (redelivered)");
        assertThat(run("find-messages", "kept.replay", null).lines()).as("replayed copies are not kept again").hasSize(5);

        assertThat(MessageHistory.of(c).replayQueue(q, later.get(1))).isEqualTo(2);
        assertThat(drain(consumer)).containsExactly("order 2 (redelivered)", "order 3 (redelivered)");
    }

    @Test
    void aReplayRightAfterAReceiveFindsTheMessageWhoseHistoryIsNotWrittenYet() throws Exception {
        // the acknowledgement's history record is in a journal batch still being written when the replay,
        // the next request of the connection, reads the history: it must find it all the same
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.at-once");
        MessageConsumer consumer = s.createConsumer(q);
        MessageProducer p = s.createProducer(q);
        for (int i = 1; i <= 30; i++) {
            TextMessage m = s.createTextMessage("order " + i);
            p.send(m);
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("order " + i);
            assertThat(MessageHistory.of(c).replayQueue(q, m.getJMSMessageID())).as("replay %d", i).isEqualTo(1);
            Message again = consumer.receive(5000);
            assertThat(((TextMessage) again).getText()).isEqualTo("order " + i);
            assertThat(again.getJMSRedelivered()).isTrue();
        }
    }

    @Test
    void aReceiveIsAcknowledgedBeforeTheConnectionsNextRequestEvenWithMoreBuffered() throws Exception {
        // the consumer holds more messages, so the auto-acknowledgement of the first waits in the session's batch;
        // the connection's next request (here a replay) must not overtake it
        start(RETAINING);
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("kept.batched");
        List<String> ids = sendOrders(s, q, 5);
        MessageConsumer consumer = s.createConsumer(q);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("order 1");
        Session other = c.createSession(Session.AUTO_ACKNOWLEDGE);
        assertThat(MessageHistory.of(c).replayQueue(other.createQueue("kept.batched"), ids.get(0))).isEqualTo(1);
        assertThat(drain(consumer)).containsExactly("order 2", "order 3", "order 4", "order 5",
                "order 1 (redelivered)");
    }

    @Test
    void aDurableSubscriptionReplaysItsOwnHistoryAfterARestart() throws Exception {
        start(RETAINING);
        Connection c = broker.connect("billing");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Topic t = s.createTopic("kept.invoices");
        MessageConsumer sub = s.createDurableSubscriber(t, "invoices");
        MessageProducer p = s.createProducer(t);
        for (int i = 1; i <= 3; i++) {
            p.send(s.createTextMessage("invoice " + i));
        }
        assertThat(drain(sub)).containsExactly("invoice 1", "invoice 2", "invoice 3");
        sub.close();

        broker.restart();
        assertThat(run("find-messages", "kept.invoices::billing.invoices", null).lines()).hasSize(3);
        Connection again = broker.connect("billing");
        Session s2 = again.createSession(Session.AUTO_ACKNOWLEDGE);
        assertThat(MessageHistory.of(again).replaySubscription(s2.createTopic("kept.invoices"), "invoices",
                Instant.EPOCH)).isEqualTo(3);
        MessageConsumer resumed = s2.createDurableSubscriber(s2.createTopic("kept.invoices"), "invoices");
        assertThat(drain(resumed)).containsExactly("invoice 1 (redelivered)", "invoice 2 (redelivered)",
                "invoice 3 (redelivered)");
        assertThat(run("trace-message", "ID:none", null)).startsWith("no trace of message 'ID:none'");
    }

    @Test
    void historyIsBoundedByCountAndTime() throws Exception {
        start("expiry-scan-period=100",
                "policy.few.match=few.#", "policy.few.retention-time=3600000", "policy.few.retention-max-messages=3",
                "policy.brief.match=brief.#", "policy.brief.retention-time=300");
        Connection c = broker.connect();
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue few = s.createQueue("few.q");
        Queue brief = s.createQueue("brief.q");
        List<String> ids = sendOrders(s, few, 5);
        sendOrders(s, brief, 2);
        drain(s.createConsumer(few));
        drain(s.createConsumer(brief));
        String kept = run("find-messages", "few.q", null);
        assertThat(kept.lines()).hasSize(3);
        assertThat(kept).doesNotContain(ids.get(0)).doesNotContain(ids.get(1)).contains(ids.get(4));
        Thread.sleep(800); // several sweeps past retention-time
        assertThat(run("find-messages", "brief.q", null)).isEqualTo("no retained message matches");
    }

    @Test
    void badRequestsAreRefusedClearly() throws Exception {
        start(RETAINING);
        Connection c = broker.connect("nobody");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue plain = s.createQueue("plain.q");
        s.createProducer(plain).send(s.createTextMessage("x"));
        assertThatThrownBy(() -> MessageHistory.of(c).replayQueue(plain, Instant.EPOCH))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("keeps no history");
        Queue kept = s.createQueue("kept.bad");
        sendOrders(s, kept, 1);
        drain(s.createConsumer(kept));
        assertThatThrownBy(() -> MessageHistory.of(c).replayQueue(kept, "ID:not-there"))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("no message 'ID:not-there'");
        assertThatThrownBy(() -> MessageHistory.of(c).replaySubscription(s.createTopic("kept.t"), "none", Instant.EPOCH))
                .isInstanceOf(InvalidDestinationException.class).hasMessageContaining("no queue or durable subscription");
        BrokerManagement m = broker.management();
        assertThatThrownBy(() -> m.run(new Manage(0, "replay", "kept.bad", "time=yesterday", null)))
                .hasMessageContaining("not a time");
        assertThatThrownBy(() -> m.run(new Manage(0, "replay", "kept.bad", null, null)))
                .hasMessageContaining("needs where to start");
        assertThatThrownBy(() -> m.run(new Manage(0, "find-messages", null, "key", null)))
                .hasMessageContaining("should be name=value");
    }
}
