package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SendReceiveTest {

    private static BrokerFixture fixture;

    @BeforeAll
    static void startBroker() throws Exception {
        fixture = new BrokerFixture();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        fixture.close();
    }

    @AfterEach
    void closeConnections() throws Exception {
        fixture.closeConnections();
    }

    record Point(int x, int y) implements Serializable {
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyBodyTypeArrivesIntact(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue(BrokerFixture.unique("bodies"));
        MessageProducer producer = session.createProducer(queue);
        MessageConsumer consumer = session.createConsumer(queue);

        TextMessage text = session.createTextMessage("hello");
        text.setStringProperty("color", "red");
        text.setIntProperty("n", 7);
        producer.send(text);
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(new byte[] {1, 2, 3});
        bytes.writeUTF("x");
        producer.send(bytes);
        MapMessage map = session.createMapMessage();
        map.setLong("long", 42L);
        map.setString("s", "v");
        producer.send(map);
        StreamMessage stream = session.createStreamMessage();
        stream.writeInt(5);
        stream.writeString("five");
        producer.send(stream);
        producer.send(session.createObjectMessage(new Point(1, 2)));
        producer.send(session.createMessage());

        TextMessage t = (TextMessage) consumer.receive(5000);
        assertThat(t.getText()).isEqualTo("hello");
        assertThat(t.getStringProperty("color")).isEqualTo("red");
        assertThat(t.getIntProperty("n")).isEqualTo(7);
        assertThat(t.getJMSDestination()).isEqualTo(queue);
        assertThat(t.getJMSMessageID()).startsWith("ID:").isEqualTo(text.getJMSMessageID());
        assertThat(t.getJMSRedelivered()).isFalse();
        assertThat(t.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        BytesMessage b = (BytesMessage) consumer.receive(5000);
        byte[] three = new byte[3];
        assertThat(b.readBytes(three)).isEqualTo(3);
        assertThat(three).containsExactly(1, 2, 3);
        assertThat(b.readUTF()).isEqualTo("x");
        MapMessage m = (MapMessage) consumer.receive(5000);
        assertThat(m.getLong("long")).isEqualTo(42L);
        assertThat(m.getString("s")).isEqualTo("v");
        StreamMessage s = (StreamMessage) consumer.receive(5000);
        assertThat(s.readInt()).isEqualTo(5);
        assertThat(s.readString()).isEqualTo("five");
        ObjectMessage o = (ObjectMessage) consumer.receive(5000);
        // a received object is deserialized only from trusted packages: this test trusts its own
        ((org.ternmq.jms.message.TernObjectMessage) o).setTrustedPackages(
                org.ternmq.jms.message.TrustedPackages.with(Point.class.getPackageName()));
        assertThat(o.getObject()).isEqualTo(new Point(1, 2));
        Message plain = consumer.receive(5000);
        assertThat(plain).isNotNull().isNotInstanceOf(TextMessage.class);
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendSetsHeadersAndLeavesTheMessageWritable(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue(BrokerFixture.unique("headers"));
        MessageProducer producer = session.createProducer(queue);
        TextMessage message = session.createTextMessage("a");
        long before = System.currentTimeMillis();
        producer.send(message, DeliveryMode.NON_PERSISTENT, 7, 60_000);
        assertThat(message.getJMSDestination()).isEqualTo(queue);
        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(message.getJMSPriority()).isEqualTo(7);
        assertThat(message.getJMSTimestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(message.getJMSExpiration()).isEqualTo(message.getJMSTimestamp() + 60_000);
        assertThat(message.getJMSDeliveryTime()).isEqualTo(message.getJMSTimestamp());
        message.setText("b"); // still writable after send
        producer.send(message);

        MessageConsumer consumer = session.createConsumer(queue);
        Message first = consumer.receive(5000);
        assertThat(((TextMessage) first).getText()).isEqualTo("a");
        assertThat(first.getJMSPriority()).isEqualTo(7);
        assertThat(first.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(first.getJMSExpiration()).isEqualTo(message.getJMSTimestamp() == 0 ? 0 : first.getJMSExpiration());
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("b");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void disabledIdAndTimestamp(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("noid"));
        MessageProducer producer = session.createProducer(queue);
        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        producer.send(session.createTextMessage("x"));
        Message received = session.createConsumer(queue).receive(5000);
        assertThat(received.getJMSMessageID()).isNull();
        assertThat(received.getJMSTimestamp()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anonymousProducerSendsToEachDestination(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue q1 = session.createQueue(BrokerFixture.unique("anon1"));
        Queue q2 = session.createQueue(BrokerFixture.unique("anon2"));
        MessageProducer producer = session.createProducer(null);
        producer.send(q1, session.createTextMessage("one"));
        producer.send(q2, session.createTextMessage("two"));
        assertThat(((TextMessage) session.createConsumer(q1).receive(5000)).getText()).isEqualTo("one");
        assertThat(((TextMessage) session.createConsumer(q2).receive(5000)).getText()).isEqualTo("two");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void topicReachesEverySubscriber(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Topic topic = session.createTopic(BrokerFixture.unique("news"));
        MessageConsumer a = session.createConsumer(topic);
        MessageConsumer b = session.createConsumer(topic);
        MessageProducer producer = session.createProducer(topic);
        for (int i = 0; i < 5; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
        for (MessageConsumer c : List.of(a, b)) {
            for (int i = 0; i < 5; i++) {
                assertThat(((TextMessage) c.receive(5000)).getText()).isEqualTo("m" + i);
            }
            assertThat(c.receiveNoWait()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void manyMessagesFlowPastThePrefetchWindow(Transport transport) throws Exception {
        Connection connection = fixture.track(new org.ternmq.jms.TernConnectionFactory(
                fixture.url(transport) + "?prefetch=4").createConnection());
        connection.start();
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("many"));
        MessageProducer producer = session.createProducer(queue);
        MessageConsumer consumer = session.createConsumer(queue);
        for (int i = 0; i < 200; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("m" + i);
        }
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveNoWaitSeesAMessageWaitingOnTheBroker(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("nowait"));
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(consumer.receiveNoWait()).isNull();
        Connection other = fixture.connect(transport);
        Session otherSession = other.createSession();
        otherSession.createProducer(queue).send(otherSession.createTextMessage("x"));
        assertThat(consumer.receiveNoWait()).isNotNull();
        assertThat(consumer.receive(100)).isNull();
    }
}
