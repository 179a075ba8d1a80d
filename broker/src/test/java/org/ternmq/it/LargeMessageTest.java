package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import java.io.IOException;
import java.io.OutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.message.TernMessage;

/** Large messages on an embedded broker, both transports: streamed both ways, by size, and bad input. */
class LargeMessageTest extends IntegrationTestBase {

    private static final long MIB = 1024 * 1024;

    private Connection connect(Transport transport, String options) throws JMSException {
        Connection c = fixture.track(new org.ternmq.jms.TernConnectionFactory(fixture.url(transport)
                + "?maxMessageSize=" + (1L << 40) + (options.isEmpty() ? "" : "&" + options)).createConnection());
        c.start();
        return c;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStreamedBodyIsSentInChunksAndSavedIntoAStream(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("large"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        long size = 20 * MIB + 17;
        BytesMessage sent = PatternStream.message(session, size);
        sent.setStringProperty("kind", "big");
        session.createProducer(queue).send(sent);

        MessageConsumer consumer = session.createConsumer(queue, "kind = 'big'");
        BytesMessage received = (BytesMessage) consumer.receive(10_000);
        assertThat(received).isNotNull();
        assertThat(received.getStringProperty("kind")).isEqualTo("big");
        PatternStream.Check check = new PatternStream.Check();
        received.setObjectProperty("JMS_TERN_SaveStream", check);
        check.assertPattern(size);
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyOverTheThresholdTravelsLargeAndReadsAsUsual(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=4096");
        Queue queue = new TernQueue(BrokerFixture.unique("bysize"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(queue);
        byte[] body = new PatternStream(100_000).readAllBytes();
        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(body);
        producer.send(bytes);
        StreamMessage stream = session.createStreamMessage();
        stream.writeString("x".repeat(50_000));
        stream.writeInt(42);
        producer.send(stream);
        producer.send(session.createTextMessage("y".repeat(30_000)));

        MessageConsumer consumer = session.createConsumer(queue);
        BytesMessage b = (BytesMessage) consumer.receive(5000);
        assertThat(b.getBodyLength()).isEqualTo(body.length);
        assertThat(b.getBody(byte[].class)).isEqualTo(body);
        StreamMessage s = (StreamMessage) consumer.receive(5000);
        assertThat(s.readString()).hasSize(50_000);
        assertThat(s.readInt()).isEqualTo(42);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).hasSize(30_000);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOutputStreamIsWrittenAsynchronously(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("async"));
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        BytesMessage sent = PatternStream.message(session, 3 * MIB);
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.send(sent);

        BytesMessage received = (BytesMessage) session.createConsumer(queue).receive(5000);
        PatternStream.Check check = new PatternStream.Check();
        received.setObjectProperty("JMS_TERN_OutputStream", check);
        assertThat(((TernMessage) received).waitForBody(10_000)).isTrue();
        received.acknowledge();
        check.assertPattern(3 * MIB);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStreamThatFailsMidSendStoresNothingAndTheConnectionGoesOn(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("failing"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(queue);
        BytesMessage sent = session.createBytesMessage();
        sent.setObjectProperty("JMS_TERN_InputStream", new PatternStream(10 * MIB, 1 * MIB + 5));

        assertThatThrownBy(() -> producer.send(sent)).isInstanceOf(JMSException.class)
                .hasMessageContaining("body stream failed").hasMessageContaining("disk unplugged");

        producer.send(session.createTextMessage("after"));
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("after");
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBodyOverTheMaximumFailsOnTheClientNamingTheLimit(Transport transport) throws Exception {
        Connection connection = fixture.track(new org.ternmq.jms.TernConnectionFactory(fixture.url(transport)
                + "?maxMessageSize=1000000&largeMessageSize=65536").createConnection());
        connection.start();
        Queue queue = new TernQueue(BrokerFixture.unique("over"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(queue);
        BytesMessage sent = PatternStream.message(session, 2 * MIB);
        assertThatThrownBy(() -> producer.send(sent)).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                .hasMessageContaining("maximum message size of 1000000");
        producer.send(session.createTextMessage("after"));
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(((TextMessage) consumer.receive(5000)).getText()).isEqualTo("after");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wrongStreamTypesAreMessageFormatErrors(Transport transport) throws Exception {
        Connection connection = connect(transport, "");
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        BytesMessage bytes = session.createBytesMessage();
        assertThatThrownBy(() -> bytes.setObjectProperty("JMS_TERN_InputStream", "not a stream"))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("java.io.InputStream");
        TextMessage text = session.createTextMessage("t");
        assertThatThrownBy(() -> text.setObjectProperty("JMS_TERN_InputStream", new PatternStream(1)))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("BytesMessage and StreamMessage");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOutputStreamThatFailsGivesAJmsExceptionAndTheMessageComesBack(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("badout"));
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        BytesMessage sent = PatternStream.message(session, 2 * MIB);
        session.createProducer(queue).send(sent);
        session.commit();

        MessageConsumer consumer = session.createConsumer(queue);
        BytesMessage received = (BytesMessage) consumer.receive(5000);
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("full");
            }
        };
        assertThatThrownBy(() -> received.setObjectProperty("JMS_TERN_SaveStream", failing))
                .isInstanceOf(JMSException.class).hasMessageContaining("full");
        session.rollback();

        BytesMessage again = (BytesMessage) consumer.receive(5000);
        assertThat(again.getJMSRedelivered()).isTrue();
        PatternStream.Check check = new PatternStream.Check();
        again.setObjectProperty("JMS_TERN_SaveStream", check);
        session.commit();
        check.assertPattern(2 * MIB);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRolledBackLargeSendIsNeverDelivered(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("txlarge"));
        Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = session.createProducer(queue);
        BytesMessage first = PatternStream.message(session, MIB);
        producer.send(first);
        session.rollback();
        BytesMessage second = PatternStream.message(session, MIB + 1);
        producer.send(second);
        session.commit();

        MessageConsumer consumer = session.createConsumer(queue);
        BytesMessage received = (BytesMessage) consumer.receive(5000);
        assertThat(received.getBodyLength()).isEqualTo(MIB + 1);
        session.commit();
        assertThat(consumer.receive(200)).isNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerSavesTheBodyAndJmsContextSendsAStream(Transport transport) throws Exception {
        org.ternmq.jms.TernConnectionFactory factory = new org.ternmq.jms.TernConnectionFactory(fixture.url(transport)
                + "?maxMessageSize=" + (1L << 40) + "&largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("listener"));
        java.util.concurrent.CompletableFuture<PatternStream.Check> saved = new java.util.concurrent.CompletableFuture<>();
        try (jakarta.jms.JMSContext context = factory.createContext()) {
            context.createConsumer(queue).setMessageListener(m -> {
                try {
                    PatternStream.Check check = new PatternStream.Check();
                    m.setObjectProperty("JMS_TERN_SaveStream", check);
                    saved.complete(check);
                } catch (JMSException e) {
                    saved.completeExceptionally(e);
                }
            });
            BytesMessage m = context.createBytesMessage();
            m.setObjectProperty("JMS_TERN_InputStream", new PatternStream(5 * MIB + 1));
            context.createProducer().send(queue, m);
            PatternStream.Check check = saved.get(10, java.util.concurrent.TimeUnit.SECONDS);
            check.assertPattern(5 * MIB + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAsynchronousWriteThatFailsIsReportedByWaitForBody(Transport transport) throws Exception {
        Connection connection = connect(transport, "largeMessageSize=65536");
        Queue queue = new TernQueue(BrokerFixture.unique("asyncfail"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        BytesMessage sent = PatternStream.message(session, MIB);
        session.createProducer(queue).send(sent);
        BytesMessage received = (BytesMessage) session.createConsumer(queue).receive(5000);
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("no space left");
            }
        };
        received.setObjectProperty("JMS_TERN_OutputStream", failing);
        assertThatThrownBy(() -> ((TernMessage) received).waitForBody(10_000)).isInstanceOf(JMSException.class)
                .hasMessageContaining("no space left");
        assertThatThrownBy(() -> received.setObjectProperty("JMS_TERN_SaveStream", new PatternStream.Check()))
                .isInstanceOf(jakarta.jms.IllegalStateException.class).hasMessageContaining("read already");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEmptyStreamIsALargeMessageWithAnEmptyBody(Transport transport) throws Exception {
        Connection connection = connect(transport, "");
        Queue queue = new TernQueue(BrokerFixture.unique("empty"));
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        BytesMessage sent = PatternStream.message(session, 0);
        session.createProducer(queue).send(sent);
        BytesMessage received = (BytesMessage) session.createConsumer(queue).receive(5000);
        PatternStream.Check check = new PatternStream.Check();
        received.setObjectProperty("JMS_TERN_SaveStream", check);
        assertThat(check.count).isZero();
    }
}
