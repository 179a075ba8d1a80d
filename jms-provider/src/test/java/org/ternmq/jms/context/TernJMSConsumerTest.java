package org.ternmq.jms.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** JMSConsumer over a classic consumer: receive, receiveBody and its failure rules, listeners, close. */
class TernJMSConsumerTest {

    private final FakeConnection connection = new FakeConnection();
    private final Queue queue = new FakeQueue("q");
    private JMSContext context;
    private JMSConsumer consumer;
    private JMSProducer producer;

    @AfterEach
    void close() {
        context.close();
    }

    private void open(int mode) {
        context = TernJMSContext.create(connection, mode);
        consumer = context.createConsumer(queue);
        producer = context.createProducer();
    }

    private FakeSession session() {
        return connection.sessions.get(0);
    }

    @Test
    void receiveVariantsReturnMessagesInOrderThenNull() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, "1").send(queue, "2").send(queue, "3");

        assertThat(consumer.receive().getBody(String.class)).isEqualTo("1");
        assertThat(consumer.receive(100).getBody(String.class)).isEqualTo("2");
        assertThat(consumer.receiveNoWait().getBody(String.class)).isEqualTo("3");
        assertThat(consumer.receiveNoWait()).isNull();
        assertThat(consumer.receiveBody(String.class, 10)).isNull();
    }

    @Test
    void receiveBodyReturnsEachSupportedBody() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, "text").send(queue, new StringBuilder("sb")).send(queue, new byte[] {4})
                .send(queue, Map.<String, Object>of("k", "v"));

        assertThat(consumer.receiveBody(String.class)).isEqualTo("text");
        assertThat(consumer.receiveBody(Serializable.class, 10)).hasToString("sb");
        assertThat(consumer.receiveBodyNoWait(byte[].class)).containsExactly(4);
        assertThat(consumer.receiveBody(Map.class).get("k")).isEqualTo("v");
    }

    @Test
    void aWrongTypeInAutoModeIsAFormatErrorAndTheMessageComesBackFirstNotRedelivered() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, "text").send(queue, "next");

        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> consumer.receiveBodyNoWait(Integer.class))
                .isInstanceOf(MessageFormatRuntimeException.class);

        Message again = consumer.receive();
        assertThat(again.getBody(String.class)).isEqualTo("text");
        assertThat(again.getJMSRedelivered()).isFalse();
        assertThat(consumer.receiveBody(String.class)).isEqualTo("next");
    }

    @Test
    void aKeptMessageWaitsWhileTheConnectionIsStopped() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, "text");
        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class))
                .isInstanceOf(MessageFormatRuntimeException.class);

        try (JMSContext sibling = context.createContext(JMSContext.AUTO_ACKNOWLEDGE)) {
            sibling.stop();
            assertThat(consumer.receiveNoWait()).isNull();
            context.start();
            assertThat(consumer.receiveBodyNoWait(String.class)).isEqualTo("text");
        }
    }

    @Test
    void aWrongTypeInDupsOkModeAlsoKeepsTheMessage() {
        open(JMSContext.DUPS_OK_ACKNOWLEDGE);
        producer.send(queue, "text");

        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class, 5))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receiveBody(String.class)).isEqualTo("text");
    }

    @Test
    void aWrongTypeInClientModeConsumesTheMessageUntilRecover() throws Exception {
        open(JMSContext.CLIENT_ACKNOWLEDGE);
        producer.send(queue, "text").send(queue, "next");

        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receiveBody(String.class)).isEqualTo("next");
        assertThat(session().unacknowledged()).hasSize(2);

        context.recover();
        Message redelivered = consumer.receive();
        assertThat(redelivered.getBody(String.class)).isEqualTo("text");
        assertThat(redelivered.getJMSRedelivered()).isTrue();
    }

    @Test
    void aWrongTypeInATransactionConsumesTheMessageUntilRollback() {
        open(JMSContext.SESSION_TRANSACTED);
        producer.send(queue, "text");
        context.commit();

        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receiveNoWait()).isNull();
        context.rollback();
        assertThat(consumer.receiveBody(String.class)).isEqualTo("text");
    }

    @Test
    void streamAndPlainMessagesHaveNoBodyForReceiveBody() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        StreamMessage stream = context.createStreamMessage();
        stream.writeBoolean(true);
        producer.send(queue, stream);

        assertThatThrownBy(() -> consumer.receiveBody(Object.class))
                .isInstanceOf(MessageFormatRuntimeException.class).hasMessageContaining("StreamMessage");
        assertThat(consumer.receive()).isInstanceOf(StreamMessage.class);

        producer.send(queue, context.createMessage());
        assertThatThrownBy(() -> consumer.receiveBody(Object.class))
                .isInstanceOf(MessageFormatRuntimeException.class);
    }

    @Test
    void aMessageWithoutBodyIsAFormatErrorNotANullBody() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, (String) null);

        assertThatThrownBy(() -> consumer.receiveBody(String.class))
                .isInstanceOf(MessageFormatRuntimeException.class).hasMessageContaining("no body");
        producer.send(queue, context.createBytesMessage());
        consumer.receive();
        assertThatThrownBy(() -> consumer.receiveBody(byte[].class))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(consumer.receive()).isInstanceOf(BytesMessage.class);
    }

    @Test
    void anEmptySelectorReadsAsNone() {
        open(JMSContext.AUTO_ACKNOWLEDGE);

        assertThat(consumer.getMessageSelector()).isNull();
        assertThat(context.createConsumer(queue, "").getMessageSelector()).isNull();
        assertThat(context.createConsumer(queue, "a > 1").getMessageSelector()).isEqualTo("a > 1");
    }

    @Test
    @Timeout(10)
    void aListenerGetsTheMessagesAndIsReturnedAsGiven() throws Exception {
        open(JMSContext.CLIENT_ACKNOWLEDGE);
        CompletableFuture<Message> got = new CompletableFuture<>();
        MessageListener listener = got::complete;
        consumer.setMessageListener(listener);
        producer.send(queue, "to listener");

        FakeConsumer classic = session().consumers.get(0);
        CompletableFuture.runAsync(classic::deliverNext);

        assertThat(got.get(5, TimeUnit.SECONDS).getBody(String.class)).isEqualTo("to listener");
        assertThat(consumer.getMessageListener()).isSameAs(listener);
        assertThat(classic.getMessageListener()).isNotSameAs(listener);
        // the listener's message counts for the context's acknowledge
        context.acknowledge();
        assertThat(session().unacknowledged()).isEmpty();
        consumer.setMessageListener(null);
        assertThat(consumer.getMessageListener()).isNull();
        assertThat(classic.getMessageListener()).isNull();
    }

    @Test
    @Timeout(10)
    void aListenerMayCloseItsOwnConsumer() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        CompletableFuture<Throwable> closeResult = new CompletableFuture<>();
        consumer.setMessageListener(m -> {
            try {
                consumer.close();
                closeResult.complete(null);
            } catch (RuntimeException e) {
                closeResult.complete(e);
            }
        });
        producer.send(queue, "close yourself");

        FakeConsumer classic = session().consumers.get(0);
        CompletableFuture.runAsync(classic::deliverNext);

        assertThat(closeResult.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(classic.isClosed()).isTrue();
    }

    @Test
    void closeIsIdempotentAndReceivingAfterItIsAnIllegalState() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        producer.send(queue, "text");
        assertThatThrownBy(() -> consumer.receiveBody(Boolean.class))
                .isInstanceOf(MessageFormatRuntimeException.class);

        consumer.close();
        assertThatCode(consumer::close).doesNotThrowAnyException();

        assertThatThrownBy(consumer::receive).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> consumer.receiveBody(String.class))
                .isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(consumer::getMessageSelector).isInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void closingTheContextClosesItsConsumers() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        FakeConsumer classic = session().consumers.get(0);

        context.close();

        assertThat(classic.isClosed()).isTrue();
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatCode(consumer::close).doesNotThrowAnyException();
    }

    @Test
    void mapBodiesComeBackAsMaps() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        MapMessage message = context.createMapMessage();
        message.setInt("i", 10);
        producer.send(queue, message);

        assertThat(consumer.receiveBody(Map.class).get("i")).isEqualTo(10);
    }
}
