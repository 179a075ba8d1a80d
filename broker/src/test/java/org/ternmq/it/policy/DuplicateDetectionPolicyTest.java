package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.broker.core.MessageProperties.DUPLICATE_ID;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;

/** {@code JMS_TERN_DuplicateID}: a resend with a known id is dropped, across a restart and in transactions. */
class DuplicateDetectionPolicyTest extends PolicyTestBase {

    private static void send(Session s, Queue q, String text, String duplicateId) throws JMSException {
        MessageProducer p = s.createProducer(q);
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty(DUPLICATE_ID, duplicateId);
        p.send(m);
        p.close();
    }

    private static List<String> drain(MessageConsumer consumer) throws JMSException {
        List<String> got = new ArrayList<>();
        for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
            got.add(text(m));
        }
        return got;
    }

    @Test
    void aResendWithAKnownIdIsDroppedAlsoAfterARestart() throws Exception {
        start();
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("dups");
        Queue other = s.createQueue("dups-other");
        send(s, q, "first", "order-1");
        send(s, q, "retry", "order-1");
        send(s, other, "elsewhere", "order-1"); // ids are remembered per destination
        broker.restart();
        Session after = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        send(after, q, "retry-after-restart", "order-1");
        send(after, q, "second", "order-2");
        assertThat(drain(after.createConsumer(q))).containsExactly("first", "second");
        assertThat(drain(after.createConsumer(other))).containsExactly("elsewhere");
        send(after, q, "retry-after-consumption", "order-1");
        assertThat(drain(after.createConsumer(q))).as("consumed ids are remembered too").isEmpty();
    }

    @Test
    void duplicatesInsideATransactionAreDroppedAndRolledBackIdsAreForgotten() throws Exception {
        start();
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("tx-dups");
        send(s, q, "committed-before", "id-0");
        Session tx = broker.connect().createSession(Session.SESSION_TRANSACTED);
        send(tx, q, "a", "id-1");
        send(tx, q, "a-again", "id-1");
        send(tx, q, "zero-again", "id-0");
        tx.commit();
        send(tx, q, "b-rolled-back", "id-2");
        tx.rollback();
        send(tx, q, "b", "id-2");
        tx.commit();
        broker.restart();
        Session after = broker.connect().createSession(Session.SESSION_TRANSACTED);
        send(after, q, "b-after-restart", "id-2");
        after.commit();
        assertThat(drain(after.createConsumer(q))).containsExactly("committed-before", "a", "b");
        after.commit();
    }
}
