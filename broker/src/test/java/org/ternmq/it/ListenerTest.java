package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.it.BrokerFixture.Transport;

class ListenerTest extends IntegrationTestBase {

    private static void send(Session session, Queue queue, int count) throws JMSException {
        MessageProducer producer = session.createProducer(queue);
        for (int i = 0; i < count; i++) {
            producer.send(session.createTextMessage("m" + i));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenerGetsEveryMessageInOrderOneAtATime(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("listen"));
        MessageConsumer a = session.createConsumer(queue);
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        a.setMessageListener(m -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            try {
                received.add(((TextMessage) m).getText());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            } finally {
                concurrent.decrementAndGet();
            }
        });
        Session producerSession = connection.createSession();
        send(producerSession, queue, 50);
        assertThat(received).isEmpty(); // not started yet
        connection.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 50);
        assertThat(received).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThatThrownBy(a::receiveNoWait).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void stopWaitsForTheRunningListenerAndHoldsDelivery(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("stop"));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        session.createConsumer(queue).setMessageListener(m -> {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        });
        Session producerSession = connection.createSession();
        send(producerSession, queue, 1);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread releaser = new Thread(() -> {
            await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            release.countDown();
        });
        releaser.start();
        connection.stop();
        assertThat(finished.get()).isEqualTo(1); // stop returned only after the listener
        send(producerSession, queue, 1);
        assertThat(finished.get()).isEqualTo(1);
        connection.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.get() == 2);
        releaser.join();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenerMayNotCloseOrStopItsOwnConnectionOrSession(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("selfclose"));
        MessageConsumer consumer = session.createConsumer(queue);
        List<Class<?>> errors = new CopyOnWriteArrayList<>();
        AtomicReference<Boolean> consumerClosed = new AtomicReference<>();
        consumer.setMessageListener(m -> {
            for (ThrowingRunnable r : List.<ThrowingRunnable>of(connection::close, connection::stop, session::close)) {
                try {
                    r.run();
                    errors.add(Void.class);
                } catch (Exception e) {
                    errors.add(e.getClass());
                }
            }
            try {
                consumer.close(); // allowed: returns without waiting for this listener
                consumerClosed.set(true);
            } catch (JMSException e) {
                consumerClosed.set(false);
            }
        });
        send(connection.createSession(), queue, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> consumerClosed.get() != null);
        assertThat(errors).containsExactly(IllegalStateException.class, IllegalStateException.class,
                IllegalStateException.class);
        assertThat(consumerClosed.get()).isTrue();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientAcknowledgeListenerWithRecover(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
        Queue queue = session.createQueue(BrokerFixture.unique("lrecover"));
        List<Integer> counts = new CopyOnWriteArrayList<>();
        session.createConsumer(queue).setMessageListener(m -> {
            try {
                int count = m.getIntProperty("JMSXDeliveryCount");
                counts.add(count);
                if (count == 1) {
                    session.recover();
                } else {
                    m.acknowledge();
                }
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        send(connection.createSession(), queue, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> counts.size() == 2);
        assertThat(counts).containsExactly(1, 2);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void autoAcknowledgeListenerThatThrowsGetsTheMessageAgain(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        Queue queue = session.createQueue(BrokerFixture.unique("lthrow"));
        List<Boolean> redelivered = new CopyOnWriteArrayList<>();
        session.createConsumer(queue).setMessageListener(m -> {
            try {
                redelivered.add(m.getJMSRedelivered());
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
            if (redelivered.size() == 1) {
                throw new RuntimeException("test: first attempt fails");
            }
        });
        send(connection.createSession(), queue, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> redelivered.size() == 2);
        assertThat(redelivered).containsExactly(false, true);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingTheSessionWaitsForItsListener(Transport transport) throws Exception {
        Connection connection = fixture.started(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("lclose"));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        session.createConsumer(queue).setMessageListener(m -> {
            entered.countDown();
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            finished.incrementAndGet();
        });
        send(connection.createSession(), queue, 1);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        session.close();
        assertThat(finished.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void receiveBlocksWhileStoppedAndReturnsNullWhenClosed(Transport transport) throws Exception {
        Connection connection = fixture.connect(transport);
        Session session = connection.createSession();
        Queue queue = session.createQueue(BrokerFixture.unique("stopped"));
        send(session, queue, 1);
        MessageConsumer consumer = session.createConsumer(queue);
        assertThat(consumer.receive(200)).isNull(); // stopped: nothing handed out
        assertThat(consumer.receiveNoWait()).isNull();
        AtomicReference<Message> result = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread receiver = new Thread(() -> {
            try {
                result.set(consumer.receive());
            } catch (JMSException e) {
                result.set(null);
            }
            done.countDown();
        });
        receiver.start();
        connection.start();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(result.get()).isNotNull();

        CountDownLatch nullReturned = new CountDownLatch(1);
        Thread blocked = new Thread(() -> {
            try {
                if (consumer.receive() == null) {
                    nullReturned.countDown();
                }
            } catch (JMSException e) {
                // not expected
            }
        });
        blocked.start();
        // waiting inside the client's receive: parked (an event loop reads), or reading the socket itself (directIo)
        await().atMost(Duration.ofSeconds(5)).until(() -> java.util.Arrays.stream(blocked.getStackTrace())
                .anyMatch(f -> f.getClassName().endsWith(".ClientConsumer") && f.getMethodName().equals("receive")));
        consumer.close();
        assertThat(nullReturned.await(10, TimeUnit.SECONDS)).isTrue();
        receiver.join();
        blocked.join();
    }
}
