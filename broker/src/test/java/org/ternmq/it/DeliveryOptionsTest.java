package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class DeliveryOptionsTest extends IntegrationTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void higherPriorityFirst(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("prio"));
        MessageProducer producer = session.createProducer(queue);
        for (int p = 0; p <= 9; p++) {
            producer.send(session.createTextMessage("p" + p), DeliveryMode.PERSISTENT, p, 0);
        }
        MessageConsumer consumer = session.createConsumer(queue);
        List<Integer> priorities = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            priorities.add(consumer.receive(5000).getJMSPriority());
        }
        assertThat(priorities).containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void expiredMessagesAreNotDelivered(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("ttl"));
        MessageProducer producer = session.createProducer(queue);
        producer.setTimeToLive(50);
        Message shortLived = session.createTextMessage("short");
        producer.send(shortLived);
        producer.send(session.createTextMessage("forever"), DeliveryMode.PERSISTENT, 4, 0);
        assertThat(shortLived.getJMSExpiration()).isEqualTo(shortLived.getJMSTimestamp() + 50);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > shortLived.getJMSExpiration() + 10);
        MessageConsumer consumer = session.createConsumer(queue);
        Message received = consumer.receive(5000);
        assertThat(received.getJMSExpiration()).isZero();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deliveryDelayHoldsTheMessage(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("delay"));
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryDelay(500);
        assertThat(producer.getDeliveryDelay()).isEqualTo(500);
        Message message = session.createTextMessage("later");
        producer.send(message);
        assertThat(message.getJMSDeliveryTime()).isEqualTo(message.getJMSTimestamp() + 500);
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(consumer.receiveNoWait()).isNull();
        Message received = consumer.receive(10_000);
        assertThat(received).isNotNull();
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(message.getJMSDeliveryTime());
        assertThat(received.getJMSDeliveryTime()).isEqualTo(message.getJMSDeliveryTime());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendArgumentsAreValidated(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("validate"));
        MessageProducer producer = session.createProducer(queue);
        Message m = session.createMessage();
        assertThatThrownBy(() -> producer.setDeliveryMode(42)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.setPriority(10)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.send(m, 42, 4, 0)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.send(m, DeliveryMode.PERSISTENT, -1, 0)).isInstanceOf(JMSException.class);
        assertThatThrownBy(() -> producer.send(queue, m)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> producer.send(null)).isInstanceOf(MessageFormatException.class);
        MessageProducer anonymous = session.createProducer(null);
        assertThatThrownBy(() -> anonymous.send(m)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> anonymous.send(null, m)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> session.createConsumer(null)).isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> session.createQueue("")).isInstanceOf(JMSException.class);
    }
}
