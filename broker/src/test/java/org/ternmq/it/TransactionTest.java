package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class TransactionTest extends IntegrationTestBase {

    private static String text(Message m) throws Exception {
        return ((TextMessage) m).getText();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendsAreVisibleOnlyAfterCommit(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
        assertThat(tx.getTransacted()).isTrue();
        assertThat(tx.getAcknowledgeMode()).isEqualTo(Session.SESSION_TRANSACTED);
        Queue queue = tx.createQueue(BrokerFixture.unique("txsend"));
        MessageProducer producer = tx.createProducer(queue);
        producer.send(tx.createTextMessage("dropped"));
        tx.rollback();
        producer.send(tx.createTextMessage("kept"));
        Session reader = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = reader.createConsumer(queue);
        assertThat(consumer.receiveNoWait()).isNull();
        tx.commit();
        assertThat(text(consumer.receive(5000))).isEqualTo("kept");
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void rolledBackReceivesAreRedeliveredWithHigherCount(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session setup = connection.createSession();
        Queue queue = setup.createQueue(BrokerFixture.unique("txrecv"));
        MessageProducer producer = setup.createProducer(queue);
        producer.send(setup.createTextMessage("a"));
        producer.send(setup.createTextMessage("b"));

        Session tx = connection.createSession(Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(queue);
        assertThat(text(consumer.receive(5000))).isEqualTo("a");
        tx.rollback();
        Message again = consumer.receive(5000);
        assertThat(text(again)).isEqualTo("a");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        Message b = consumer.receive(5000);
        assertThat(text(b)).isEqualTo("b");
        assertThat(b.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        tx.rollback();
        assertThat(consumer.receive(5000).getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(consumer.receive(5000).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        tx.commit();
        assertThat(consumer.receiveNoWait()).isNull();
        tx.close();
        Session check = connection.createSession();
        assertThat(check.createConsumer(queue).receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingATransactedSessionRollsBack(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session setup = connection.createSession();
        Queue queue = setup.createQueue(BrokerFixture.unique("txclose"));
        setup.createProducer(queue).send(setup.createTextMessage("a"));

        Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
        assertThat(text(tx.createConsumer(queue).receive(5000))).isEqualTo("a");
        tx.createProducer(queue).send(tx.createTextMessage("uncommitted"));
        tx.close();

        MessageConsumer consumer = setup.createConsumer(queue);
        Message a = consumer.receive(5000);
        assertThat(text(a)).isEqualTo("a");
        assertThat(a.getJMSRedelivered()).isTrue();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingTheConnectionRollsBack(Transport transport) throws Exception {
        Connection first = fixture.started(transport);
        Session setup = first.createSession();
        Queue queue = setup.createQueue(BrokerFixture.unique("txconn"));
        setup.createProducer(queue).send(setup.createTextMessage("a"));
        Session tx = first.createSession(true, Session.SESSION_TRANSACTED);
        assertThat(tx.createConsumer(queue).receive(5000)).isNotNull();
        first.close();

        Connection second = fixture.started(transport);
        Message a = second.createSession().createConsumer(queue).receive(5000);
        assertThat(text(a)).isEqualTo("a");
        assertThat(a.getJMSRedelivered()).isTrue();
    }
}
