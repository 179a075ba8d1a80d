package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.broker.core.MessageProperties.EXPIRED_AT;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_DESTINATION;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_DESTINATION_TYPE;
import static org.ternmq.broker.core.MessageProperties.ORIGINAL_EXPIRATION;

import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;

/** Expired messages move to the configured expiry queue with their properties, also when nobody consumes. */
class ExpiryPolicyTest extends PolicyTestBase {

    @Test
    void anExpiredMessageMovesToTheConfiguredExpiryQueueWhileNobodyConsumes() throws Exception {
        start("expiry-scan-period=50",
                "policy.exp.match=exp.#",
                "policy.exp.expiry-destination=exp.Expired");
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue orders = s.createQueue("exp.orders");
        MessageProducer producer = s.createProducer(orders);
        producer.setTimeToLive(300);
        TextMessage old = s.createTextMessage("old");
        producer.send(old);
        producer.setTimeToLive(0);
        producer.send(s.createTextMessage("fresh"));
        long expiration = old.getJMSExpiration();
        assertThat(expiration).isPositive();

        // only the expiry queue has a consumer: the scan must find the message in the unconsumed queue
        Message expired = s.createConsumer(s.createQueue("exp.Expired")).receive(10_000);
        assertThat(text(expired)).isEqualTo("old");
        assertThat(expired.getJMSMessageID()).isEqualTo(old.getJMSMessageID());
        assertThat(expired.getJMSExpiration()).as("no longer expires").isZero();
        assertThat(((Queue) expired.getJMSDestination()).getQueueName()).isEqualTo("exp.Expired");
        assertThat(expired.getStringProperty(ORIGINAL_DESTINATION)).isEqualTo("exp.orders");
        assertThat(expired.getStringProperty(ORIGINAL_DESTINATION_TYPE)).isEqualTo("queue");
        assertThat(expired.getLongProperty(ORIGINAL_EXPIRATION)).isEqualTo(expiration);
        assertThat(expired.getLongProperty(EXPIRED_AT)).as("found by a scan every 50 ms")
                .isBetween(expiration, expiration + 1000);
        assertThat(expired.getIntProperty(DELIVERY_COUNT)).isEqualTo(1);

        var left = s.createConsumer(orders);
        assertThat(text(left.receive(5000))).isEqualTo("fresh");
        assertThat(left.receive(300)).isNull();
    }

    @Test
    void aMessageThatExpiresInAStoppedConsumersWayIsNeverDeliveredAndMovesToTheExpiryQueue() throws Exception {
        start("expiry-scan-period=50");
        jakarta.jms.Connection consuming = broker.connect();
        consuming.stop(); // the consumer exists (and may have the message buffered) but takes nothing yet
        Session cs = consuming.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = cs.createQueue("expires-at-consumer");
        var consumer = cs.createConsumer(q);
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(q);
        producer.setTimeToLive(300);
        TextMessage old = s.createTextMessage("old");
        producer.send(old);
        producer.setTimeToLive(0);
        producer.send(s.createTextMessage("fresh"));
        Message expired = s.createConsumer(s.createQueue("ExpiryQueue")).receive(10_000);
        assertThat(text(expired)).isEqualTo("old");
        assertThat(expired.getLongProperty(ORIGINAL_EXPIRATION)).isEqualTo(old.getJMSExpiration());
        consuming.start();
        assertThat(delivery(consumer.receive(5000))).isEqualTo("fresh/1/false");
        assertThat(consumer.receive(300)).as("the expired message is never delivered").isNull();
    }

    @Test
    void aMessageThatExpiresWhileTheBrokerIsDownGoesToTheDefaultExpiryQueueAfterTheRestart() throws Exception {
        start("expiry-scan-period=50");
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue q = s.createQueue("expires-during-restart");
        MessageProducer producer = s.createProducer(q);
        producer.setTimeToLive(1000);
        TextMessage m = s.createTextMessage("short-lived");
        producer.send(m);
        broker.restart();
        Session after = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Message expired = after.createConsumer(after.createQueue("ExpiryQueue")).receive(10_000);
        assertThat(text(expired)).isEqualTo("short-lived");
        assertThat(expired.getJMSMessageID()).isEqualTo(m.getJMSMessageID());
        assertThat(expired.getStringProperty(ORIGINAL_DESTINATION)).isEqualTo("expires-during-restart");
        assertThat(expired.getLongProperty(ORIGINAL_EXPIRATION)).isEqualTo(m.getJMSExpiration());
        assertThat(expired.getLongProperty(EXPIRED_AT)).isGreaterThanOrEqualTo(m.getJMSExpiration());
        assertThat(after.createConsumer(q).receive(300)).isNull();
    }
}
