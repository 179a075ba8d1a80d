package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class TemporaryDestinationTest extends IntegrationTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestReplyThroughATemporaryQueue(Transport transport) throws Exception {
        Connection client = fixture.started(transport);
        Session session = client.createSession();
        TemporaryQueue replies = session.createTemporaryQueue();
        assertThat(replies.getQueueName()).isNotEmpty();
        MessageConsumer replyConsumer = session.createConsumer(replies);

        Connection server = fixture.started(transport);
        Session serverSession = server.createSession();
        TextMessage request = session.createTextMessage("ping");
        request.setJMSReplyTo(replies);
        // the server sees the request as sent (a real server would receive it first)
        Message received = request;
        serverSession.createProducer(received.getJMSReplyTo()).send(serverSession.createTextMessage("pong"));
        assertThat(((TextMessage) replyConsumer.receive(5000)).getText()).isEqualTo("pong");

        assertThatThrownBy(() -> serverSession.createConsumer(replies)).isInstanceOf(InvalidDestinationException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deleteIsRefusedWhileInUseAndMakesTheDestinationInvalid(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        TemporaryTopic topic = session.createTemporaryTopic();
        MessageConsumer consumer = session.createConsumer(topic);
        assertThatThrownBy(topic::delete).isInstanceOf(JMSException.class);
        session.createProducer(topic).send(session.createTextMessage("x"));
        assertThat(consumer.receive(5000)).isNotNull();
        consumer.close();
        topic.delete();
        assertThatThrownBy(() -> session.createProducer(topic).send(session.createTextMessage("y")))
                .isInstanceOf(InvalidDestinationException.class);
        assertThatThrownBy(() -> session.createConsumer(topic)).isInstanceOf(InvalidDestinationException.class);
    }
}
