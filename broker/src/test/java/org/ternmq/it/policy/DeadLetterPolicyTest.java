package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.broker.core.MessageProperties.DEAD_LETTER_EXCEPTION;
import static org.ternmq.broker.core.MessageProperties.DEAD_LETTER_TIME;
import static org.ternmq.broker.core.MessageProperties.DELIVERY_ATTEMPTS;
import static org.ternmq.broker.core.MessageProperties.FIRST_DELIVERY_TIME;
import static org.ternmq.broker.core.MessageProperties.LAST_DELIVERY_TIME;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_DESTINATION;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_DESTINATION_TYPE;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;

/** Poison messages through the JMS API: exact attempts, configured delays, dead-letter properties, restarts. */
class DeadLetterPolicyTest extends PolicyTestBase {

    @Test
    void aPoisonMessageForAListenerThatAlwaysThrowsEndsInTheDeadLetterQueueAfterTheConfiguredAttemptsAndDelays()
            throws Exception {
        start("policy.poison.match=poison.#",
                "policy.poison.max-delivery-attempts=4",
                "policy.poison.redelivery-delay=200",
                "policy.poison.redelivery-multiplier=2",
                "policy.poison.dead-letter-destination=poison.DLQ");
        Connection connection = broker.connect();
        Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue orders = session.createQueue("poison.orders");
        MessageProducer producer = session.createProducer(orders);
        TextMessage sent = session.createTextMessage("poison");
        long sentAt = System.currentTimeMillis();
        producer.send(sent);

        List<String> attempts = new CopyOnWriteArrayList<>();
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        Session listening = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        listening.createConsumer(orders).setMessageListener(m -> {
            arrivals.add(System.currentTimeMillis());
            try {
                attempts.add(delivery(m));
            } catch (jakarta.jms.JMSException e) {
                attempts.add(e.toString());
            }
            throw new IllegalStateException("cannot process this one");
        });

        Message dead = session.createConsumer(session.createQueue("poison.DLQ")).receive(20_000);
        assertThat(dead).as("dead-lettered message").isNotNull();
        assertThat(attempts).containsExactly("poison/1/false", "poison/2/true", "poison/3/true", "poison/4/true");
        // the client's view of the configured backoff: 200, 400, 800 ms
        long[] expected = {200, 400, 800};
        for (int i = 0; i < 3; i++) {
            assertThat(arrivals.get(i + 1) - arrivals.get(i)).as("delay before attempt %d", i + 2)
                    .isBetween(expected[i] - 100, expected[i] + 1000); // client clock: the broker's own check follows
        }
        assertThat(text(dead)).isEqualTo("poison");
        assertThat(dead.getJMSMessageID()).isEqualTo(sent.getJMSMessageID());
        assertThat(((Queue) dead.getJMSDestination()).getQueueName()).isEqualTo("poison.DLQ");
        assertThat(dead.getStringProperty(ORIGINAL_DESTINATION)).isEqualTo("poison.orders");
        assertThat(dead.getStringProperty(ORIGINAL_DESTINATION_TYPE)).isEqualTo("queue");
        assertThat(dead.getIntProperty(DELIVERY_ATTEMPTS)).isEqualTo(4);
        assertThat(dead.getStringProperty(DEAD_LETTER_EXCEPTION)).as("what the listener threw on the last attempt")
                .isEqualTo("java.lang.IllegalStateException: cannot process this one");
        long first = dead.getLongProperty(FIRST_DELIVERY_TIME);
        long last = dead.getLongProperty(LAST_DELIVERY_TIME);
        long deadAt = dead.getLongProperty(DEAD_LETTER_TIME);
        assertThat(first).isBetween(sentAt, arrivals.get(0));
        assertThat(last - first).as("broker's delays 200 + 400 + 800 ms").isBetween(1400L, 1400L + 1000);
        assertThat(deadAt).isBetween(last, last + 1000);

        listening.close();
        assertThat(attempts).as("no attempt after the move").hasSize(4);
        MessageConsumer again = session.createConsumer(orders);
        assertThat(again.receiveNoWait()).as("nothing left in the source queue").isNull();
    }

    @Test
    void aRestartBetweenAttemptsKeepsTheCountAndTheFirstDeliveryTime() throws Exception {
        start("policy.default.max-delivery-attempts=3");
        Session tx = broker.connect().createSession(Session.SESSION_TRANSACTED);
        Queue q = tx.createQueue("flaky");
        tx.createProducer(q).send(tx.createTextMessage("m"));
        tx.commit();
        long sentAt = System.currentTimeMillis();
        MessageConsumer consumer = tx.createConsumer(q);
        assertThat(delivery(consumer.receive(5000))).isEqualTo("m/1/false");
        tx.rollback();
        assertThat(delivery(consumer.receive(5000))).isEqualTo("m/2/true");
        tx.rollback();
        long restartedAt = System.currentTimeMillis();
        broker.restart(); // in the middle: two attempts done, the third moves it to the dead-letter queue

        Session after = broker.connect().createSession(Session.SESSION_TRANSACTED);
        MessageConsumer c2 = after.createConsumer(q);
        assertThat(delivery(c2.receive(5000))).isEqualTo("m/3/true");
        after.rollback();
        assertThat(c2.receive(300)).as("no fourth attempt").isNull();
        Message dead = after.createConsumer(after.createQueue("DLQ")).receive(5000);
        after.rollback(); // leave it in the dead-letter queue for the check after the next restart
        assertThat(text(dead)).isEqualTo("m");
        assertThat(dead.getIntProperty(DELIVERY_ATTEMPTS)).isEqualTo(3);
        assertThat(dead.getStringProperty(ORIGINAL_DESTINATION)).isEqualTo("flaky");
        assertThat(dead.getLongProperty(FIRST_DELIVERY_TIME)).as("first attempt was before the restart")
                .isBetween(sentAt, restartedAt);
        assertThat(dead.getLongProperty(LAST_DELIVERY_TIME)).isGreaterThanOrEqualTo(restartedAt);

        broker.restart(); // a dead-lettered message stays where it went, with its properties
        Session check = broker.connect().createSession(Session.CLIENT_ACKNOWLEDGE);
        assertThat(check.createConsumer(q).receive(300)).isNull();
        Message still = check.createConsumer(check.createQueue("DLQ")).receive(5000);
        assertThat(text(still)).isEqualTo("m");
        assertThat(still.getIntProperty(DELIVERY_ATTEMPTS)).isEqualTo(3);
        assertThat(still.getLongProperty(DEAD_LETTER_TIME)).isEqualTo(dead.getLongProperty(DEAD_LETTER_TIME));
    }
}
