package org.ternmq.jms.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What JMSProducer.send does to the message and the classic producer, against in-memory fakes. */
class TernJMSProducerSendTest {

    private final FakeConnection connection = new FakeConnection();
    private final JMSContext context = TernJMSContext.create(connection, JMSContext.AUTO_ACKNOWLEDGE);
    private final Queue queue = new FakeQueue("q");
    private final JMSConsumer consumer = context.createConsumer(queue);
    private final JMSProducer producer = context.createProducer();

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void producerPropertiesAndHeadersOverrideTheMessages() throws Exception {
        FakeQueue replyTo = new FakeQueue("replies");
        TextMessage message = context.createTextMessage("body");
        message.setStringProperty("p", "from message");
        message.setStringProperty("kept", "yes");
        message.setJMSType("message type");
        producer.setProperty("p", "from producer").setProperty("n", 5).setJMSType("producer type")
                .setJMSCorrelationID("cid").setJMSReplyTo(replyTo);

        producer.send(queue, message);

        Message received = consumer.receive();
        assertThat(received.getStringProperty("p")).isEqualTo("from producer");
        assertThat(received.getObjectProperty("n")).isEqualTo(5);
        assertThat(received.getStringProperty("kept")).isEqualTo("yes");
        assertThat(received.getJMSType()).isEqualTo("producer type");
        assertThat(received.getJMSCorrelationID()).isEqualTo("cid");
        assertThat(received.getJMSReplyTo()).isEqualTo(replyTo);
    }

    @Test
    void headersNotSetOnTheProducerLeaveTheMessagesAlone() throws Exception {
        TextMessage message = context.createTextMessage("body");
        message.setJMSType("mine");
        message.setJMSCorrelationID("my-cid");

        producer.send(queue, message);

        Message received = consumer.receive();
        assertThat(received.getJMSType()).isEqualTo("mine");
        assertThat(received.getJMSCorrelationID()).isEqualTo("my-cid");
    }

    @Test
    void correlationIdBytesAreStampedWhenSetLast() throws Exception {
        producer.setJMSCorrelationID("string").setJMSCorrelationIDAsBytes(new byte[] {7});

        producer.send(queue, "x");

        Message received = consumer.receive();
        assertThat(received.getJMSCorrelationIDAsBytes()).containsExactly(7);
        assertThat(received.getJMSCorrelationID()).isNull();
    }

    @Test
    void sendOptionsReachTheClassicProducer() throws Exception {
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(7).setTimeToLive(60_000)
                .setDeliveryDelay(30_000).setDisableMessageID(true).setDisableMessageTimestamp(true);
        long before = System.currentTimeMillis();

        producer.send(queue, "options");

        Message received = consumer.receive();
        assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(received.getJMSPriority()).isEqualTo(7);
        assertThat(received.getJMSExpiration()).isGreaterThanOrEqualTo(before + 60_000);
        assertThat(received.getJMSDeliveryTime()).isGreaterThanOrEqualTo(before + 30_000);
        assertThat(received.getJMSMessageID()).isNull();
        assertThat(received.getJMSTimestamp()).isZero();
    }

    @Test
    void optionsOfOneProducerDoNotLeakIntoAnotherOnTheSameContext() throws Exception {
        producer.setDisableMessageID(true).setDeliveryDelay(30_000).setPriority(9);
        JMSProducer plain = context.createProducer();
        long before = System.currentTimeMillis();

        plain.send(queue, "plain");

        Message received = consumer.receive();
        assertThat(received.getJMSMessageID()).startsWith("ID:");
        assertThat(received.getJMSPriority()).isEqualTo(4);
        assertThat(received.getJMSDeliveryTime()).isLessThan(before + 30_000);
        assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
    }

    @Test
    void eachBodyKindIsSentAsItsMessageType() throws Exception {
        Map<String, Object> map = new HashMap<>();
        map.put("k", 1);

        producer.send(queue, "text").send(queue, map).send(queue, new byte[] {1, 2})
                .send(queue, new StringBuilder("obj"));

        assertThat(consumer.receive()).isInstanceOf(TextMessage.class);
        MapMessage mapMessage = (MapMessage) consumer.receive();
        assertThat(mapMessage.getObject("k")).isEqualTo(1);
        assertThat(consumer.receiveBody(byte[].class)).containsExactly(1, 2);
        ObjectMessage objectMessage = (ObjectMessage) consumer.receive();
        assertThat(objectMessage.getObject()).hasToString("obj");
    }

    @Test
    void nullBodiesSendEmptyMessagesOfTheRightType() throws Exception {
        producer.send(queue, (String) null).send(queue, (Map<String, Object>) null).send(queue, (byte[]) null)
                .send(queue, (java.io.Serializable) null);

        assertThat(((TextMessage) consumer.receive()).getText()).isNull();
        assertThat(consumer.receive()).isInstanceOf(MapMessage.class);
        assertThat(((BytesMessage) consumer.receive()).getBodyLength()).isZero();
        assertThat(((ObjectMessage) consumer.receive()).getObject()).isNull();
    }

    @Test
    void aNullMessageIsAFormatErrorAndANullDestinationAnInvalidOne() {
        assertThatThrownBy(() -> producer.send(queue, (Message) null))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.send(null, context.createMessage()))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> producer.send(null, "text")).isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThat(connection.queue(queue)).isEmpty();
    }

    @Test
    void aMapWithAnInvalidValueIsAFormatError() {
        Map<String, Object> map = new HashMap<>();
        map.put("bad", new ArrayList<String>());

        assertThatThrownBy(() -> producer.send(queue, map)).isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(connection.queue(queue)).isEmpty();
    }

    @Test
    void stampingPropertiesOnAReceivedMessageIsNotWriteable() {
        producer.send(queue, "first");
        Message received = consumer.receive();
        producer.setProperty("p", 1);

        assertThatThrownBy(() -> producer.send(queue, received))
                .isInstanceOf(MessageNotWriteableRuntimeException.class);
    }

    @Test
    void sendingOnAClosedContextIsAnIllegalState() {
        context.close();

        assertThatThrownBy(() -> producer.send(queue, "late"))
                .isInstanceOf(jakarta.jms.IllegalStateRuntimeException.class);
    }

    @Test
    @Timeout(10)
    void anAsyncSendCompletesOnAnotherThread() throws Exception {
        CompletableFuture<String> completedOn = new CompletableFuture<>();
        TextMessage message = context.createTextMessage("async");

        producer.setAsync(listener(completedOn)).send(queue, message);

        String thread = completedOn.get(5, TimeUnit.SECONDS);
        assertThat(thread).isNotEqualTo(Thread.currentThread().getName());
        assertThat(consumer.receiveBody(String.class)).isEqualTo("async");
    }

    @Test
    @Timeout(10)
    void anAsyncFailureReachesTheListenerAsARuntimeException() throws Exception {
        CompletableFuture<String> completed = new CompletableFuture<>();
        producer.send(queue, "creates the classic producer");
        FakeProducer classic = connection.sessions.get(0).producers.get(0);
        classic.failNextAsyncSend = new InvalidDestinationException("gone", "FAKE-GONE");

        producer.setAsync(listener(completed)).send(queue, "doomed");

        assertThat(completed).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOf(InvalidDestinationRuntimeException.class)
                .withMessage("gone");
    }

    private static CompletionListener listener(CompletableFuture<String> result) {
        return new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                result.complete(Thread.currentThread().getName());
            }

            @Override
            public void onException(Message message, Exception exception) {
                result.completeExceptionally(exception);
            }
        };
    }
}
