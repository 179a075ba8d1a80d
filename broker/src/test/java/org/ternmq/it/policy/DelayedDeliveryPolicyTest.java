package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;

/** {@code MessageProducer.setDeliveryDelay}: held until its delivery time, also across a restart. */
class DelayedDeliveryPolicyTest extends PolicyTestBase {

    @Test
    void aDelayedMessageKeepsItsDeliveryTimeAcrossARestartWhileOthersFlow() throws Exception {
        start();
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("delayed");
        MessageProducer producer = s.createProducer(q);
        producer.setDeliveryDelay(2500);
        long before = System.currentTimeMillis();
        TextMessage later = s.createTextMessage("later");
        producer.send(later);
        producer.setDeliveryDelay(0);
        producer.send(s.createTextMessage("now"));
        assertThat(later.getJMSDeliveryTime()).isGreaterThanOrEqualTo(before + 2500);

        MessageConsumer consumer = s.createConsumer(q);
        assertThat(delivery(consumer.receive(2000))).isEqualTo("now/1/false");
        broker.restart(); // in the middle of the delay

        Session after = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        QueueBrowser browser = after.createBrowser(q);
        if (System.currentTimeMillis() < later.getJMSDeliveryTime() - 200) {
            assertThat(browser.getEnumeration().hasMoreElements()).as("not visible before its time").isFalse();
        }
        Message m = after.createConsumer(q).receive(10_000);
        long receivedAt = System.currentTimeMillis();
        assertThat(delivery(m)).isEqualTo("later/1/false");
        assertThat(m.getJMSMessageID()).isEqualTo(later.getJMSMessageID());
        assertThat(m.getJMSDeliveryTime()).isEqualTo(later.getJMSDeliveryTime());
        assertThat(receivedAt).as("not before its delivery time").isGreaterThanOrEqualTo(later.getJMSDeliveryTime());
        assertThat(receivedAt - later.getJMSDeliveryTime()).as("soon after it").isLessThan(2000);
    }
}
