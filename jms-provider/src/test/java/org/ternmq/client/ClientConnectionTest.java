package org.ternmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.message.Address;
import org.ternmq.message.BodyType;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.CloseConsumer;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.Credit;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.Recover;
import org.ternmq.protocol.Send;
import org.ternmq.protocol.SetClientId;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientConnectionTest {

    private ScriptedBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new ScriptedBroker("scripted-" + UUID.randomUUID());
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
        // the shared client event loops end with the last connection
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("tern-client-")));
    }

    private static byte[] message() {
        return new MessageEncoder().bodyType(BodyType.MESSAGE).destination(Address.queue("q")).encode().bytes();
    }

    @Test
    void handshakeAndRequests() throws Exception {
        try (ClientConnection connection = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            assertThat(connection.connectionId()).isEqualTo("conn-1");
            assertThat(connection.serverName()).isEqualTo("scripted");
            connection.setClientId("me");
            assertThat(broker.received).anyMatch(p -> p instanceof SetClientId s && s.clientId().equals("me"));
        }
    }

    @Test
    void brokerErrorsArriveAsTypedCodes() throws Exception {
        broker.script = r -> new org.ternmq.protocol.ErrorResponse(r.correlationId(), ErrorCode.INVALID_CLIENT_ID, "taken");
        try (ClientConnection connection = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            assertThatThrownBy(() -> connection.setClientId("x")).isInstanceOf(ClientException.class)
                    .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(ErrorCode.INVALID_CLIENT_ID));
        }
    }

    @Test
    void refusedCredentialsAreASecurityError() {
        assertThatThrownBy(() -> ClientConnection.connect(ConnectionUrl.parse(broker.url()), "bad", "x"))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(ErrorCode.SECURITY));
        assertThatThrownBy(() -> new TernConnectionFactory(broker.url()).createConnection("bad", "x"))
                .isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void nobodyListeningIsAConnectionFailure() {
        assertThatThrownBy(() -> ClientConnection.connect(ConnectionUrl.parse("vm://nobody-" + UUID.randomUUID()), null, null))
                .isInstanceOf(ClientException.class)
                .satisfies(e -> assertThat(((ClientException) e).isConnectionFailure()).isTrue());
    }

    @Test
    void pendingRequestsFailAndTheListenerHearsWhenTheChannelDrops() throws Exception {
        broker.script = r -> r instanceof SetClientId ? null : new org.ternmq.protocol.Ok(r.correlationId());
        try (ClientConnection connection = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            AtomicReference<ClientException> heard = new AtomicReference<>();
            connection.setListener(heard::set);
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    connection.setClientId("never answered");
                    return null;
                } catch (ClientException e) {
                    return e;
                }
            });
            await().until(() -> broker.received.stream().anyMatch(p -> p instanceof SetClientId));
            broker.dropClients();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ClientException.class)
                    .satisfies(e -> assertThat(((ClientException) e).isConnectionFailure()).isTrue());
            await().until(() -> heard.get() != null);
            assertThatThrownBy(() -> connection.createSession(1)).isInstanceOf(ClientException.class);
        }
    }

    /**
     * The broker answers the restore's handshake and session, then closes (as one that is stopping may): the loss
     * comes while the restore still runs, and the send it resent on that channel must be sent again on the next.
     */
    @Test
    void aConnectionLostWhileItIsRestoredIsRestoredAgainAndTheWaitingSendIsAnswered() throws Exception {
        broker.script = r -> r instanceof Send ? null : new org.ternmq.protocol.Ok(r.correlationId());
        ConnectionUrl url = ConnectionUrl.parse(broker.url() + "?failover=true&reconnectDelay=10&reconnectAttempts=50");
        try (ClientConnection connection = ClientConnection.connect(url, null, null)) {
            ClientSession session = connection.createSession(1);
            CompletableFuture<Void> sent = session.sendAsync(
                    new MessageEncoder().bodyType(BodyType.MESSAGE).destination(Address.queue("q")).encode());
            await().until(() -> broker.received.stream().anyMatch(p -> p instanceof Send));
            java.util.concurrent.atomic.AtomicBoolean closeOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
            broker.closeAfter = r -> r instanceof CreateSession && closeOnce.getAndSet(false);
            broker.script = r -> new org.ternmq.protocol.Ok(r.correlationId());
            broker.dropClients();
            assertThat(sent).as("the send, answered on the channel after the one lost while restored")
                    .succeedsWithin(Duration.ofSeconds(10));
            assertThat(connection.failure()).isNull();
        }
    }

    @Test
    void creditsGoBackAsTheApplicationConsumes() throws Exception {
        try (ClientConnection connection = ClientConnection.connect(ConnectionUrl.parse(broker.url() + "?prefetch=4"), null, null)) {
            connection.setDeliveryStarted(true);
            ClientSession session = connection.createSession(2);
            ClientConsumer consumer = session.createConsumer(Address.queue("q"), null, false, null, false, false);
            for (int i = 1; i <= 4; i++) {
                broker.push(new Deliver(consumer.id(), i, 1, message()));
            }
            assertThat(consumer.receive(5000).deliveryId()).isEqualTo(1);
            assertThat(broker.received).noneMatch(p -> p instanceof Credit);
            assertThat(consumer.receive(5000).deliveryId()).isEqualTo(2);
            await().until(() -> broker.received.stream().anyMatch(p -> p instanceof Credit c && c.messages() == 2));
            assertThat(session.unacknowledgedCount()).isEqualTo(2);

            // recover lists the buffered deliveries the application never saw, and the watermark
            session.recover();
            Recover recover = (Recover) broker.received.stream().filter(p -> p instanceof Recover).findFirst().orElseThrow();
            assertThat(recover.unconsumed()).containsExactly(3, 4);
            assertThat(recover.lastReceived()).isEqualTo(4);
            assertThat(session.unacknowledgedCount()).isZero();
            assertThat(consumer.buffered()).isZero();

            broker.push(new Deliver(consumer.id(), 5, 1, message()));
            await().until(() -> consumer.buffered() == 1);
            consumer.close();
            CloseConsumer close = (CloseConsumer) broker.received.stream().filter(p -> p instanceof CloseConsumer)
                    .findFirst().orElseThrow();
            assertThat(close.unconsumed()).containsExactly(5);
            assertThat(consumer.receive(10)).isNull();
        }
    }

    @Test
    void jmsObjectsFollowTheClosedRules() throws Exception {
        Connection connection = new TernConnectionFactory(broker.url()).createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue("q"));
        session.close();
        session.close();
        assertThatThrownBy(session::createMessage).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(consumer::receiveNoWait).isInstanceOf(IllegalStateException.class);
        connection.close();
        connection.close();
        assertThatThrownBy(connection::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> connection.setClientID("x")).isInstanceOf(IllegalStateException.class);
    }
}
