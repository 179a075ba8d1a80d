package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Connections that fail without either side being told (a partition, a paused process, a machine gone: TCP reports
 * none of them for hours), made by a {@link TcpProxy} that stops relaying without closing anything, or that resets
 * only the client's side. Heartbeats make each side find out within the connection TTL; a client that reconnects
 * to the same broker takes over what its old connection held there at once.
 */
class SilentConnectionTest extends PolicyTestBase {

    /** Pings after 250 ms of silence, dead after 1.5 s (room for a loaded machine); requests wait far longer. */
    private static final String HEARTBEATS = "heartbeat=250&connectionTtl=1500&requestTimeout=120000";
    private static final String FAILOVER = "&failover=true&reconnectDelay=50&maxReconnectDelay=200&reconnectAttempts=100";

    @Test
    void aClientFindsItsBrokerSilentAndFailsOverAndItsSendGoesThrough() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection client = new TernConnectionFactory(proxy.url() + "?" + HEARTBEATS + FAILOVER)
                        .createConnection()) {
            Session session = client.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue("silent"));
            producer.send(session.createTextMessage("before"));
            proxy.freeze();
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
                try {
                    producer.send(session.createTextMessage("during"));
                } catch (JMSException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            // without heartbeats it would wait for the request timeout (two minutes) and fail
            send.get(20, TimeUnit.SECONDS);
        }
        assertThat(drain("silent")).containsExactly("before", "during");
    }

    @Test
    void withoutFailoverTheExceptionListenerHearsWhyWithinTheTtl() throws Exception {
        start();
        LinkedBlockingQueue<JMSException> heard = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection client = new TernConnectionFactory(proxy.url() + "?" + HEARTBEATS).createConnection()) {
            client.setExceptionListener(heard::add);
            client.createSession(Session.AUTO_ACKNOWLEDGE).close();
            proxy.freeze();
            JMSException e = heard.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("the listener heard the loss").isNotNull();
            assertThat(e.getMessage()).contains("connection to the broker lost").contains("connectionTtl 1500 ms");
        }
    }

    @Test
    void theBrokerClosesASilentClientsConnectionAndItsUnacknowledgedMessageGoesToAnother() throws Exception {
        start();
        Connection direct = broker.connect();
        direct.start();
        Session setup = direct.createSession(Session.AUTO_ACKNOWLEDGE);
        send(setup, setup.createQueue("held"), "m");
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection client = new TernConnectionFactory(proxy.url() + "?" + HEARTBEATS).createConnection()) {
            client.start();
            Session s = client.createSession(Session.CLIENT_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("held")).receive(5000);
            assertThat(text(m)).isEqualTo("m"); // and never acknowledged
            proxy.freeze(); // the broker hears nothing more, and is told nothing

            Session other = direct.createSession(Session.AUTO_ACKNOWLEDGE);
            Message again = other.createConsumer(other.createQueue("held")).receive(20_000);
            assertThat(delivery(again)).as("given to another consumer once the broker closed the silent connection")
                    .isEqualTo("m/2/true");
        }
    }

    @Test
    void aClientThatReconnectsToTheSameBrokerTakesItsClientIdBackAtOnce() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection client = new TernConnectionFactory(proxy.url() + "?heartbeat=0&clientId=kept" + FAILOVER)
                        .createConnection()) {
            client.start();
            Session session = client.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer durable = session.createDurableSubscriber(session.createTopic("news"), "reader");
            MessageProducer producer = session.createProducer(session.createTopic("news"));
            proxy.cutClients(); // the broker still has the old connection, with the client id and the subscriber
            producer.send(session.createTextMessage("after")); // waits for the failover
            assertThat(text(durable.receive(10_000))).isEqualTo("after");
            assertThat(client.getClientID()).isEqualTo("kept");
        }
    }

    /** Everything {@code queue} holds now, received on a connection of its own. */
    private java.util.List<String> drain(String queue) throws JMSException {
        try (Connection c = broker.connect()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            java.util.List<String> texts = new java.util.ArrayList<>();
            for (Message m = consumer.receive(1000); m != null; m = consumer.receive(300)) {
                texts.add(text(m));
            }
            return texts;
        }
    }
}
