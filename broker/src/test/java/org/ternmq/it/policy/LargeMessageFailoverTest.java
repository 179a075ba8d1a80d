package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.api.Test;
import org.ternmq.it.PatternStream;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A large message (sent in chunks) whose connection fails over during its upload: a {@link TcpProxy} lets the
 * answers to the first chunks through, swallows the next, then cuts the connection (the new connection would get
 * only the chunks not answered yet if they were simply sent again). The application does not notice where the body
 * can be read again (it is uploaded again, and stored once); a transaction is doomed instead; a body streamed
 * from the application fails its send, saying why.
 */
class LargeMessageFailoverTest extends PolicyTestBase {

    private static final String OPTIONS = "?failover=true&reconnectDelay=50&maxReconnectDelay=200"
            + "&reconnectAttempts=100&largeMessageSize=16384&maxMessageSize=67108864";
    private static final int SIZE = 300 * 1024;

    private static byte[] body() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    private Connection client(TcpProxy proxy) throws JMSException {
        return new TernConnectionFactory(proxy.url() + OPTIONS).createConnection();
    }

    /** Sends {@code m} in the background once the proxy swallows answers, then cuts the connection under it. */
    private static CompletableFuture<Void> sendThroughACut(TcpProxy proxy, MessageProducer producer, Message m)
            throws InterruptedException {
        proxy.dropAnswersAfter(40); // the first chunks are answered, then answers stop coming back
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                producer.send(m);
            } catch (JMSException e) {
                throw new CompletionException(e);
            }
        });
        Thread.sleep(300);
        proxy.cut();
        return send;
    }

    @Test
    void aLargeSendCutDuringItsUploadIsUploadedAgainAndStoredOnce() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big"));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body());
            sendThroughACut(proxy, producer, m).get(30, TimeUnit.SECONDS); // without resuming: a JMSException
        }
        assertThat(Arrays.equals(theOnlyBody("big"), body())).as("the whole body, once").isTrue();
    }

    @Test
    void aTransactedLargeSendCutDuringItsUploadDoomsTheTransaction() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy)) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue("big-tx"));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body());
            sendThroughACut(proxy, producer, m).get(30, TimeUnit.SECONDS); // the send itself does not fail
            assertThatThrownBy(s::commit).isInstanceOf(TransactionRolledBackException.class);

            BytesMessage again = s.createBytesMessage();
            again.writeBytes(body());
            producer.send(again);
            s.commit(); // the session goes on
        }
        assertThat(theOnlyBody("big-tx")).as("only the committed one").isNotNull();
    }

    @Test
    void aLargeSendStreamedFromTheApplicationFailsSayingWhy() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big-stream"));
            BytesMessage m = s.createBytesMessage();
            m.setObjectProperty("JMS_TERN_InputStream", new PatternStream(SIZE));
            CompletableFuture<Void> send = sendThroughACut(proxy, producer, m);
            assertThatThrownBy(() -> send.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(JMSException.class).hasMessageContaining("cannot be read again");
            producer.send(PatternStream.message(s, SIZE)); // the connection carries on
        }
        assertThat(theOnlyBody("big-stream")).as("only the one sent after the failover").isNotNull();
    }

    @Test
    void aLargeMessageSentTwiceWithOneDuplicateIdIsStoredOnce() throws Exception {
        start(); // what a resend after a lost answer does: a second upload, the same duplicate id
        try (Connection c = new TernConnectionFactory(broker.vmUrl() + "?largeMessageSize=16384&maxMessageSize=67108864")
                .createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big-dup"));
            for (int i = 0; i < 2; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body());
                m.setStringProperty("JMS_TERN_DuplicateID", "upload-1");
                producer.send(m);
            }
        }
        assertThat(Arrays.equals(theOnlyBody("big-dup"), body())).as("stored once, whole").isTrue();
    }

    /** The body of the one message {@code queue} holds; fails when it holds none or more than one. */
    private byte[] theOnlyBody(String queue) throws JMSException {
        try (Connection direct = broker.connect()) {
            direct.start();
            Session s = direct.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            BytesMessage got = (BytesMessage) consumer.receive(5000);
            assertThat(got).as("a message on " + queue).isNotNull();
            byte[] read = new byte[(int) got.getBodyLength()];
            got.readBytes(read);
            assertThat(consumer.receive(500)).as("one message only on " + queue).isNull();
            return read;
        }
    }
}
