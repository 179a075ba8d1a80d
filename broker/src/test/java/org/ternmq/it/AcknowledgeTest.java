package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class AcknowledgeTest extends IntegrationTestBase {

    private static void sendTexts(Connection connection, Queue queue, String... texts) throws Exception {
        Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(queue);
        for (String t : texts) {
            p.send(s.createTextMessage(t));
        }
        s.close();
    }

    private static String text(Message m) throws Exception {
        return ((TextMessage) m).getText();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void autoAcknowledgeConsumesOnReceive(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new org.ternmq.jms.destination.TernQueue(BrokerFixture.unique("auto"));
        sendTexts(connection, queue, "a", "b");
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThat(text(session.createConsumer(queue).receive(5000))).isEqualTo("a");
        session.close();
        Session again = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = again.createConsumer(queue);
        Message b = consumer.receive(5000);
        assertThat(text(b)).isEqualTo("b");
        assertThat(b.getJMSRedelivered()).isFalse();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientAcknowledgeRedeliversWhatWasNotAcknowledged(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new org.ternmq.jms.destination.TernQueue(BrokerFixture.unique("client"));
        sendTexts(connection, queue, "a", "b", "c");
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(queue);
        Message a = consumer.receive(5000);
        Message b = consumer.receive(5000);
        b.acknowledge(); // acknowledges a and b, everything consumed so far
        Message c = consumer.receive(5000);
        assertThat(text(c)).isEqualTo("c");
        session.close();
        assertThatThrownBy(c::acknowledge).isInstanceOf(IllegalStateException.class);
        assertThat(text(a)).isEqualTo("a");

        Session again = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer2 = again.createConsumer(queue);
        Message redelivered = consumer2.receive(5000);
        assertThat(text(redelivered)).isEqualTo("c");
        assertThat(redelivered.getJMSRedelivered()).isTrue();
        assertThat(redelivered.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        redelivered.acknowledge();
        assertThat(consumer2.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void recoverRedeliversInOrder(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new org.ternmq.jms.destination.TernQueue(BrokerFixture.unique("recover"));
        sendTexts(connection, queue, "a", "b", "c");
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(text(consumer.receive(5000))).isEqualTo("a");
        assertThat(text(consumer.receive(5000))).isEqualTo("b");
        session.recover();
        Message a = consumer.receive(5000);
        assertThat(text(a)).isEqualTo("a");
        assertThat(a.getJMSRedelivered()).isTrue();
        assertThat(a.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        Message b = consumer.receive(5000);
        assertThat(text(b)).isEqualTo("b");
        Message c = consumer.receive(5000);
        assertThat(text(c)).isEqualTo("c");
        // c was buffered but never seen before the recover: its count is unchanged
        assertThat(c.getJMSRedelivered()).isFalse();
        assertThat(c.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        c.acknowledge();
        session.recover();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dupsOkConsumes(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new org.ternmq.jms.destination.TernQueue(BrokerFixture.unique("dups"));
        sendTexts(connection, queue, "a", "b");
        Session session = connection.createSession(false, Session.DUPS_OK_ACKNOWLEDGE);
        assertThat(session.getAcknowledgeMode()).isEqualTo(Session.DUPS_OK_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(text(consumer.receive(5000))).isEqualTo("a");
        assertThat(text(consumer.receive(5000))).isEqualTo("b");
        session.close();
        Session again = connection.createSession();
        assertThat(again.createConsumer(queue).receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingAConsumerReturnsItsUnseenMessages(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Queue queue = new org.ternmq.jms.destination.TernQueue(BrokerFixture.unique("closeconsumer"));
        sendTexts(connection, queue, "a", "b", "c");
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer first = session.createConsumer(queue);
        assertThat(text(first.receive(5000))).isEqualTo("a");
        first.close();
        assertThatThrownBy(() -> first.receive(10)).isInstanceOf(IllegalStateException.class);
        MessageConsumer second = session.createConsumer(queue);
        Message b = second.receive(5000);
        assertThat(text(b)).isEqualTo("b");
        assertThat(b.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(text(second.receive(5000))).isEqualTo("c");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void recoverOnTransactedSessionIsIllegal(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        assertThatThrownBy(session::recover).isInstanceOf(IllegalStateException.class);
        Session plain = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        assertThatThrownBy(plain::commit).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(plain::rollback).isInstanceOf(IllegalStateException.class);
    }
}
