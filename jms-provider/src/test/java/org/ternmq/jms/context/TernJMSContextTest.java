package org.ternmq.jms.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.CompletionListener;
import jakarta.jms.ExceptionListener;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JMSContext rules, checked against in-memory classic fakes. */
class TernJMSContextTest {

    private final FakeConnection connection = new FakeConnection();
    private final Queue queue = new FakeQueue("q");
    private JMSContext context;

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    private JMSContext open(int mode) {
        context = TernJMSContext.create(connection, mode);
        return context;
    }

    private FakeSession session() {
        assertThat(connection.sessions).hasSize(1);
        return connection.sessions.get(0);
    }

    // ---- modes and sharing ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {JMSContext.SESSION_TRANSACTED, JMSContext.AUTO_ACKNOWLEDGE,
            JMSContext.CLIENT_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE})
    void eachSessionModeIsKeptAndGivesASessionOfThatMode(int mode) {
        open(mode).createTextMessage("x");

        assertThat(context.getSessionMode()).isEqualTo(mode);
        assertThat(context.getTransacted()).isEqualTo(mode == JMSContext.SESSION_TRANSACTED);
        assertThat(session().mode).isEqualTo(mode);
    }

    @Test
    void anInvalidSessionModeIsRefusedAndTheOwnedConnectionClosed() {
        assertThatThrownBy(() -> TernJMSContext.create(connection, 17)).isExactlyInstanceOf(JMSRuntimeException.class);
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void createContextSharesTheConnectionWhichClosesWithTheLastContext() {
        open(JMSContext.AUTO_ACKNOWLEDGE).createMessage();
        JMSContext second = context.createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        JMSContext third = second.createContext(JMSContext.SESSION_TRANSACTED);
        second.createMessage();
        third.createMessage();

        assertThat(second.getSessionMode()).isEqualTo(JMSContext.CLIENT_ACKNOWLEDGE);
        assertThat(connection.sessions).hasSize(3);
        context.close();
        assertThat(connection.sessions.get(0).isClosed()).isTrue();
        assertThat(connection.isClosed()).isFalse();
        second.close();
        assertThat(connection.isClosed()).isFalse();
        third.close();
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void createContextRejectsABadModeWithoutLeakingAShare() {
        open(JMSContext.AUTO_ACKNOWLEDGE);

        assertThatThrownBy(() -> context.createContext(-3)).isExactlyInstanceOf(JMSRuntimeException.class);
        context.close();
        assertThat(connection.isClosed()).isTrue();
    }

    @Test
    void closingTwiceIsHarmlessAndEverythingElseThenFails() {
        open(JMSContext.CLIENT_ACKNOWLEDGE).createProducer();
        context.close();
        assertThatCode(context::close).doesNotThrowAnyException();

        assertThatThrownBy(context::acknowledge).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::createProducer).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.createConsumer(queue)).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.createTextMessage("x")).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.createContext(JMSContext.AUTO_ACKNOWLEDGE))
                .isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::start).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::getSessionMode).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(connection.isClosed()).isTrue();
    }

    // ---- client id and connection-level calls ---------------------------------------------------------------

    @Test
    void theClientIdCanBeSetRightAfterCreationBecauseTheSessionIsLazy() {
        open(JMSContext.AUTO_ACKNOWLEDGE).setClientID("me");

        assertThat(context.getClientID()).isEqualTo("me");
        assertThat(connection.sessions).isEmpty();
        assertThatThrownBy(() -> context.setClientID("again")).isInstanceOf(IllegalStateRuntimeException.class)
                .hasFieldOrPropertyWithValue("errorCode", "FAKE-ISE");
    }

    @Test
    void settingTheClientIdAfterUsingTheContextIsAnIllegalState() {
        open(JMSContext.AUTO_ACKNOWLEDGE).createProducer();

        assertThatThrownBy(() -> context.setClientID("late")).isInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void aDuplicateClientIdIsAnInvalidClientId() {
        connection.clientIdsInUse.add("taken");

        assertThatThrownBy(() -> open(JMSContext.AUTO_ACKNOWLEDGE).setClientID("taken"))
                .isInstanceOf(InvalidClientIDRuntimeException.class).hasMessageContaining("taken");
    }

    @Test
    void theExceptionListenerIsTheConnections() throws Exception {
        ExceptionListener listener = e -> { };
        open(JMSContext.AUTO_ACKNOWLEDGE).setExceptionListener(listener);

        assertThat(context.getExceptionListener()).isSameAs(listener);
        assertThat(connection.getExceptionListener()).isSameAs(listener);
    }

    @Test
    void autoStartStartsTheConnectionWhenAConsumerIsCreated() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        assertThat(context.getAutoStart()).isTrue();
        context.createProducer();
        assertThat(connection.isStarted()).isFalse();

        context.createConsumer(queue);
        assertThat(connection.isStarted()).isTrue();
    }

    @Test
    void withoutAutoStartTheConnectionWaitsForStart() {
        open(JMSContext.AUTO_ACKNOWLEDGE).setAutoStart(false);
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "hello");

        assertThat(context.getAutoStart()).isFalse();
        assertThat(connection.isStarted()).isFalse();
        assertThat(consumer.receiveNoWait()).isNull();
        context.start();
        assertThat(consumer.receiveBodyNoWait(String.class)).isEqualTo("hello");
        context.stop();
        assertThat(connection.isStarted()).isFalse();
    }

    // ---- transactions and acknowledgement -------------------------------------------------------------------

    @Test
    void commitAndRollbackNeedATransactedContext() {
        open(JMSContext.AUTO_ACKNOWLEDGE);

        assertThatThrownBy(context::commit).isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(context::rollback).isInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void recoverIsRefusedOnATransactedContext() {
        open(JMSContext.SESSION_TRANSACTED);

        assertThatThrownBy(context::recover).isInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void commitPublishesAndRollbackDiscardsTheTransactionsSends() throws Exception {
        open(JMSContext.SESSION_TRANSACTED);
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "first");
        assertThat(consumer.receiveNoWait()).isNull();

        context.commit();
        assertThat(consumer.receiveBodyNoWait(String.class)).isEqualTo("first");
        context.rollback();
        Message again = consumer.receiveNoWait();
        assertThat(again).isNotNull();
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(session().commits()).isEqualTo(1);
        assertThat(session().rollbacks()).isEqualTo(1);
    }

    @Test
    void acknowledgeCoversEverythingConsumedInClientMode() {
        open(JMSContext.CLIENT_ACKNOWLEDGE);
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "a").send(queue, "b");
        consumer.receive();
        consumer.receive();
        assertThat(session().unacknowledged()).hasSize(2);

        context.acknowledge();

        assertThat(session().unacknowledged()).isEmpty();
        context.recover();
        assertThat(consumer.receiveNoWait()).isNull();
    }

    @Test
    void recoverRedeliversWhatWasNotAcknowledged() throws Exception {
        open(JMSContext.CLIENT_ACKNOWLEDGE);
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "a").send(queue, "b");
        consumer.receive();
        consumer.receive();

        context.recover();

        Message first = consumer.receive();
        assertThat(first.getBody(String.class)).isEqualTo("a");
        assertThat(first.getJMSRedelivered()).isTrue();
        assertThat(consumer.receive().getBody(String.class)).isEqualTo("b");
        context.acknowledge();
        assertThat(session().unacknowledged()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {JMSContext.AUTO_ACKNOWLEDGE, JMSContext.DUPS_OK_ACKNOWLEDGE, JMSContext.SESSION_TRANSACTED})
    void acknowledgeIsANoOpOutsideClientMode(int mode) {
        open(mode);
        JMSConsumer consumer = context.createConsumer(queue);
        context.createProducer().send(queue, "a");
        consumer.receive();

        context.acknowledge();

        assertThat(session().acknowledgeCalls()).isZero();
    }

    // ---- consumers, browsers, destinations ------------------------------------------------------------------

    @Test
    void nullDestinationsAreInvalidDestinations() {
        open(JMSContext.AUTO_ACKNOWLEDGE);

        assertThatThrownBy(() -> context.createConsumer(null)).isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createDurableConsumer(null, "d"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createSharedConsumer(null, "s"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createSharedDurableConsumer(null, "s", null))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
        assertThatThrownBy(() -> context.createBrowser(null)).isInstanceOf(InvalidDestinationRuntimeException.class);
    }

    @Test
    void classicFailuresSurfaceAsTheirRuntimeTwins() {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        Topic topic = context.createTopic("t");

        assertThatThrownBy(() -> context.createConsumer(queue, "invalid selector"))
                .isInstanceOf(InvalidSelectorRuntimeException.class).hasFieldOrPropertyWithValue("errorCode", "FAKE-SEL");
        assertThatThrownBy(() -> context.createBrowser(queue, "invalid selector"))
                .isInstanceOf(InvalidSelectorRuntimeException.class);
        assertThatThrownBy(() -> context.createDurableConsumer(topic, "needs-client-id"))
                .isInstanceOf(IllegalStateRuntimeException.class);
        assertThatThrownBy(() -> context.unsubscribe("unknown"))
                .isInstanceOf(InvalidDestinationRuntimeException.class);
    }

    @Test
    void everyConsumerFactoryReachesTheSessionAndStartsTheConnection() {
        open(JMSContext.AUTO_ACKNOWLEDGE).setClientID("cid");
        context.setAutoStart(false);
        Topic topic = context.createTopic("t");

        context.createConsumer(topic, "a = 1", true).close();
        context.createSharedConsumer(topic, "shared").close();
        context.createSharedConsumer(topic, "shared", "b = 2").close();
        context.createDurableConsumer(topic, "d1").close();
        context.createDurableConsumer(topic, "d2", "c = 3", false).close();
        context.createSharedDurableConsumer(topic, "sd1").close();
        assertThat(connection.startCalls()).isZero();
        context.setAutoStart(true);
        JMSConsumer last = context.createSharedDurableConsumer(topic, "sd2", "d = 4");

        assertThat(last.getMessageSelector()).isEqualTo("d = 4");
        assertThat(session().consumers).hasSize(7);
        assertThat(session().durableSubscriptions).containsExactlyInAnyOrder("d1", "d2", "sd1", "sd2");
        assertThat(connection.startCalls()).isEqualTo(1);
        last.close();
        context.unsubscribe("d1");
        assertThat(session().durableSubscriptions).doesNotContain("d1");
    }

    @Test
    void destinationsAndBrowsersComeFromTheSession() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        context.createProducer().send(queue, "peek");

        QueueBrowser browser = context.createBrowser(queue, "x = 1");
        assertThat(browser.getMessageSelector()).isEqualTo("x = 1");
        assertThat(browser.getEnumeration().hasMoreElements()).isTrue();
        assertThat(context.createQueue("q2").getQueueName()).isEqualTo("q2");
        assertThat(context.createTopic("t2").getTopicName()).isEqualTo("t2");
        assertThat(context.createTemporaryQueue().getQueueName()).startsWith("temp-");
        assertThat(context.createTemporaryTopic().getTopicName()).startsWith("temp-");
    }

    @Test
    void everyMessageFactoryMethodGivesTheRightKindWithItsBody() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);

        assertThat(context.createTextMessage("t").getText()).isEqualTo("t");
        assertThat(context.createTextMessage().getText()).isNull();
        assertThat(context.createObjectMessage("o").getObject()).isEqualTo("o");
        assertThat(context.createObjectMessage().getObject()).isNull();
        assertThat(context.createBytesMessage().getBodyLength()).isZero();
        assertThat(context.createMapMessage()).isInstanceOf(jakarta.jms.MapMessage.class);
        assertThat(context.createStreamMessage()).isInstanceOf(jakarta.jms.StreamMessage.class);
        assertThat(context.createMessage().getBody(Object.class)).isNull();
    }

    // ---- calls from callbacks -------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void aMessageListenerMayNotStopAnyContextOfItsConnectionNorCloseItsOwn() throws Exception {
        open(JMSContext.AUTO_ACKNOWLEDGE);
        JMSContext sibling = context.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        JMSContext other = TernJMSContext.create(new FakeConnection(), JMSContext.AUTO_ACKNOWLEDGE);
        JMSConsumer consumer = context.createConsumer(queue);
        AtomicReference<Throwable> stopOwn = new AtomicReference<>();
        AtomicReference<Throwable> stopSibling = new AtomicReference<>();
        AtomicReference<Throwable> closeOwn = new AtomicReference<>();
        AtomicReference<Throwable> closeOther = new AtomicReference<>();
        consumer.setMessageListener(m -> {
            stopOwn.set(catching(context::stop));
            stopSibling.set(catching(sibling::stop));
            closeOwn.set(catching(context::close));
            closeOther.set(catching(other::close));
        });
        context.createProducer().send(queue, "go");

        FakeConsumer classic = session().consumers.get(0);
        CompletableFuture.supplyAsync(classic::deliverNext).get(5, TimeUnit.SECONDS);

        assertThat(stopOwn.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(stopSibling.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(closeOwn.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(closeOther.get()).isNull();
        assertThat(connection.isStarted()).isTrue();
        assertThat(session().isClosed()).isFalse();
        // outside the listener the same calls are fine
        sibling.stop();
        sibling.close();
    }

    @Test
    @Timeout(10)
    void aCompletionListenerMayNotCloseCommitOrRollBackItsContextButMayStopIt() {
        open(JMSContext.SESSION_TRANSACTED);
        AtomicReference<Throwable> close = new AtomicReference<>();
        AtomicReference<Throwable> commit = new AtomicReference<>();
        AtomicReference<Throwable> rollback = new AtomicReference<>();
        AtomicReference<Throwable> stop = new AtomicReference<>(new AssertionError("not called"));
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.createProducer().setAsync(new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                close.set(catching(context::close));
                commit.set(catching(context::commit));
                rollback.set(catching(context::rollback));
                stop.set(catching(context::stop));
                done.complete(null);
            }

            @Override
            public void onException(Message message, Exception exception) {
                done.completeExceptionally(exception);
            }
        }).send(queue, "async");

        done.join();
        assertThat(close.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(commit.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(rollback.get()).isInstanceOf(IllegalStateRuntimeException.class);
        assertThat(stop.get()).isNull();
        context.commit();
        assertThat(session().commits()).isEqualTo(1);
    }

    private static Throwable catching(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
