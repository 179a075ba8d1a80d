package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;

/** {@code JMSXGroupID}: one consumer per group at a time, order kept, also when it moves or rolls back. */
class MessageGroupPolicyTest extends PolicyTestBase {

    private static void sendGroup(Session s, Queue q, String group, int from, int to) throws JMSException {
        MessageProducer p = s.createProducer(q);
        for (int i = from; i <= to; i++) {
            TextMessage m = s.createTextMessage(group + i);
            m.setStringProperty("JMSXGroupID", group);
            p.send(m);
        }
        p.close();
    }

    /** Receives until {@code consumer} has nothing for {@code quietMillis}. */
    private static List<String> drain(MessageConsumer consumer, long quietMillis) throws JMSException {
        List<String> got = new ArrayList<>();
        for (Message m = consumer.receive(quietMillis); m != null; m = consumer.receive(quietMillis)) {
            got.add(text(m));
        }
        return got;
    }

    private static List<String> of(List<String> texts, String group) {
        return texts.stream().filter(t -> t.startsWith(group)).toList();
    }

    private static List<String> seq(String group, int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(group + i);
        }
        return l;
    }

    @Test
    void eachGroupGoesToOneConsumerInOrder() throws Exception {
        start();
        Connection c = broker.connect();
        Queue q = c.createSession().createQueue("groups");
        MessageConsumer one = c.createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        MessageConsumer two = c.createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        Session producer = c.createSession(Session.AUTO_ACKNOWLEDGE);
        for (int i = 1; i <= 10; i++) {
            sendGroup(producer, q, "A", i, i);
            sendGroup(producer, q, "B", i, i);
        }
        List<String> first = drain(one, 500);
        List<String> second = drain(two, 500);
        assertThat(first.size() + second.size()).isEqualTo(20);
        for (String g : List.of("A", "B")) {
            List<String> onFirst = of(first, g);
            List<String> onSecond = of(second, g);
            assertThat(onFirst.isEmpty() || onSecond.isEmpty()).as("group %s on one consumer: %s / %s", g,
                    onFirst, onSecond).isTrue();
            assertThat(onFirst.isEmpty() ? onSecond : onFirst).isEqualTo(seq(g, 1, 10));
        }
    }

    @Test
    void aGroupMovesInOrderWhenItsConsumerCloses() throws Exception {
        start();
        Connection c = broker.connect();
        Session producer = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = producer.createQueue("group-moves");
        MessageConsumer one = c.createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        MessageConsumer two = c.createSession(Session.AUTO_ACKNOWLEDGE).createConsumer(q);
        sendGroup(producer, q, "A", 1, 6);
        Message firstOfA = one.receive(1000);
        MessageConsumer owner = firstOfA != null ? one : two;
        MessageConsumer survivor = firstOfA != null ? two : one;
        if (firstOfA == null) {
            firstOfA = two.receive(5000);
        }
        assertThat(delivery(firstOfA)).isEqualTo("A1/1/false");
        assertThat(delivery(owner.receive(5000))).isEqualTo("A2/1/false");
        assertThat(survivor.receiveNoWait()).as("the group belongs to the owner").isNull();
        owner.close(); // A3..A6 were only buffered: they go back unseen
        sendGroup(producer, q, "A", 7, 8);
        List<String> moved = new ArrayList<>();
        for (int i = 3; i <= 8; i++) {
            moved.add(delivery(survivor.receive(5000)));
        }
        assertThat(moved).containsExactly("A3/1/false", "A4/1/false", "A5/1/false", "A6/1/false", "A7/1/false",
                "A8/1/false");
    }

    @Test
    void aRolledBackGroupComesBackInOrderBeforeItsLaterMessages() throws Exception {
        start();
        Connection c = broker.connect();
        Session producer = c.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = producer.createQueue("group-rollback");
        Session txOne = c.createSession(Session.SESSION_TRANSACTED);
        Session txTwo = c.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer one = txOne.createConsumer(q);
        MessageConsumer two = txTwo.createConsumer(q);
        sendGroup(producer, q, "A", 1, 5);
        Message firstOfA = one.receive(1000);
        Session ownerTx = firstOfA != null ? txOne : txTwo;
        MessageConsumer owner = firstOfA != null ? one : two;
        MessageConsumer other = firstOfA != null ? two : one;
        if (firstOfA == null) {
            firstOfA = two.receive(5000);
        }
        List<String> seen = new ArrayList<>();
        seen.add(delivery(firstOfA));
        seen.add(delivery(owner.receive(5000)));
        ownerTx.rollback();
        for (int i = 0; i < 5; i++) {
            seen.add(delivery(owner.receive(5000)));
        }
        ownerTx.commit();
        assertThat(seen).containsExactly("A1/1/false", "A2/1/false", "A1/2/true", "A2/2/true", "A3/1/false",
                "A4/1/false", "A5/1/false");
        assertThat(other.receive(300)).as("nothing of the group went to the other consumer").isNull();
    }
}
