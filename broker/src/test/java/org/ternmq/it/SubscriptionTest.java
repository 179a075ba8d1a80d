package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.TopicSubscriber;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class SubscriptionTest extends IntegrationTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void durableSubscriptionOutlivesItsConnectionUntilUnsubscribe(Transport transport) throws Exception {
        String clientId = BrokerFixture.unique("cid");
        String topicName = BrokerFixture.unique("durable");
        Connection first = fixture.connect(transport);
        first.setClientID(clientId);
        first.start();
        Session session = first.createSession();
        Topic topic = session.createTopic(topicName);
        TopicSubscriber subscriber = session.createDurableSubscriber(topic, "sub");
        assertThat(subscriber.getTopic()).isEqualTo(topic);
        MessageProducer producer = session.createProducer(topic);
        producer.send(session.createTextMessage("one"));
        assertThat(((TextMessage) subscriber.receive(5000)).getText()).isEqualTo("one");
        assertThatThrownBy(() -> session.unsubscribe("sub")).isInstanceOf(IllegalStateException.class);
        subscriber.close();
        producer.send(session.createTextMessage("while away"));
        first.close();

        Connection second = fixture.connect(transport);
        second.setClientID(clientId);
        second.start();
        Session session2 = second.createSession();
        MessageConsumer again = session2.createDurableConsumer(session2.createTopic(topicName), "sub");
        assertThat(((TextMessage) again.receive(5000)).getText()).isEqualTo("while away");
        again.close();
        session2.unsubscribe("sub");
        assertThatThrownBy(() -> session2.unsubscribe("sub")).isInstanceOf(InvalidDestinationException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unsharedDurableNeedsAClientId(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession();
        Topic topic = session.createTopic(BrokerFixture.unique("noid"));
        assertThatThrownBy(() -> session.createDurableSubscriber(topic, "x")).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sharedSubscriptionSplitsMessagesBetweenItsConsumers(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session s1 = connection.createSession();
        Session s2 = connection.createSession();
        Topic topic = s1.createTopic(BrokerFixture.unique("shared"));
        MessageConsumer a = s1.createSharedConsumer(topic, "shared-sub");
        MessageConsumer b = s2.createSharedConsumer(topic, "shared-sub");
        MessageConsumer everyone = s1.createConsumer(topic);
        MessageProducer producer = s1.createProducer(topic);
        for (int i = 0; i < 10; i++) {
            producer.send(s1.createTextMessage("m" + i));
        }
        int total = 0;
        for (int i = 0; i < 10; i++) {
            assertThat(everyone.receive(5000)).isNotNull();
        }
        while (a.receive(300) != null) {
            total++;
        }
        while (b.receive(300) != null) {
            total++;
        }
        assertThat(total).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sharedDurableSubscriptionKeepsMessages(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Topic topic = session.createTopic(BrokerFixture.unique("shareddurable"));
        String name = BrokerFixture.unique("sd");
        session.createSharedDurableConsumer(topic, name).close();
        session.createProducer(topic).send(session.createTextMessage("kept"));
        MessageConsumer consumer = session.createSharedDurableConsumer(topic, name);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("kept");
        consumer.close();
        session.unsubscribe(name);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void noLocalSkipsThisConnectionsOwnMessages(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Topic topic = session.createTopic(BrokerFixture.unique("nolocal"));
        MessageConsumer noLocal = session.createConsumer(topic, null, true);
        session.createProducer(topic).send(session.createTextMessage("mine"));
        Connection other = fixture.connect(transport);
        Session otherSession = other.createSession();
        otherSession.createProducer(topic).send(otherSession.createTextMessage("theirs"));
        assertThat(((TextMessage) noLocal.receive(5000)).getText()).isEqualTo("theirs");
        assertThat(noLocal.receiveNoWait()).isNull();
    }
}
