package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class AsyncSendTest extends IntegrationTestBase {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void completionsArriveInSendOrderOnAnotherThreadWithHeadersSet(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("async"));
        MessageProducer producer = session.createProducer(queue);
        List<String> completed = new CopyOnWriteArrayList<>();
        List<Boolean> idsSet = new CopyOnWriteArrayList<>();
        Thread sender = Thread.currentThread();
        List<Boolean> otherThread = new CopyOnWriteArrayList<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                try {
                    completed.add(((TextMessage) message).getText());
                    idsSet.add(message.getJMSMessageID() != null && message.getJMSDestination() != null);
                    otherThread.add(Thread.currentThread() != sender);
                } catch (JMSException e) {
                    throw new RuntimeException(e);
                }
            }

            @Override
            public void onException(Message message, Exception exception) {
                completed.add("failed");
            }
        };
        for (int i = 0; i < 20; i++) {
            producer.send(session.createTextMessage("m" + i), listener);
        }
        session.close(); // waits for the completions
        assertThat(completed).hasSize(20)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList());
        assertThat(idsSet).containsOnly(true);
        assertThat(otherThread).containsOnly(true);
        MessageConsumer consumer = connection.createSession().createConsumer(queue);
        for (int i = 0; i < 20; i++) {
            assertThat(consumer.receive(5000)).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void failureReachesOnExceptionAndCallbacksMayNotCloseTheirSession(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        TemporaryQueue temporary = session.createTemporaryQueue();
        temporary.delete();
        MessageProducer producer = session.createProducer(null);
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicReference<Exception> closeError = new AtomicReference<>();
        producer.send(temporary, session.createTextMessage("x"), new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                failure.set(new RuntimeException("unexpected success"));
            }

            @Override
            public void onException(Message message, Exception exception) {
                try {
                    session.close();
                } catch (JMSException e) {
                    closeError.set(e);
                }
                failure.set(exception);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(InvalidDestinationException.class);
        assertThat(closeError.get()).isInstanceOf(IllegalStateException.class);
    }
}
