package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A plain TCP connection without failover has no event loop ({@code directIo}, the default): the thread that waits
 * reads the socket, the thread that sends writes it, and a watcher thread of the connection covers what nobody waits
 * for. These tests pin what that thread may not get wrong: several threads waiting on one connection, a message
 * listener fed while the application's threads are idle or busy sending, heartbeats of an idle connection, waits that
 * end because of another thread (close, start), the loss of the connection under a waiting thread, a flood of sends
 * nobody waits for, and no thread left once the connection is closed.
 */
class ClientWithoutEventLoopTest extends PolicyTestBase {

    private Connection connect(String options) throws JMSException {
        return new TernConnectionFactory(broker.tcpUrl() + (options.isEmpty() ? "" : "?" + options)).createConnection();
    }

    @Test
    void eightThreadsSendingSynchronouslyOnOneConnectionAllGetTheirAnswers() throws Exception {
        start();
        int threads = 8;
        int each = 200;
        try (Connection c = connect("")) {
            List<Thread> senders = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("shared"));
                Thread sender = new Thread(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < each; i++) {
                            p.send(s.createTextMessage(thread + ":" + i)); // persistent: each waits for its answer
                        }
                    } catch (Exception e) {
                        failures.add(e);
                    }
                });
                sender.start();
                senders.add(sender);
            }
            go.countDown();
            for (Thread sender : senders) {
                sender.join(40_000);
                assertThat(sender.isAlive()).as("a sender still waiting").isFalse();
            }
            assertThat(failures).isEmpty();
        }
        List<String> got = drain("shared");
        assertThat(got).hasSize(threads * each).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<String> mine = got.stream().filter(m -> m.startsWith(prefix)).toList();
            assertThat(mine).as("thread %d's messages, in its order", t)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void aListenerGetsMessagesWhileItsConnectionIsIdleAndWhileAnotherThreadSendsOnIt() throws Exception {
        start();
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        try (Connection c = connect(""); Connection other = broker.connect()) {
            Session listening = c.createSession(Session.AUTO_ACKNOWLEDGE);
            listening.createConsumer(listening.createQueue("heard")).setMessageListener(m -> heard.add(textOf(m)));
            c.start();
            Session otherSession = other.createSession(Session.AUTO_ACKNOWLEDGE);
            // the listener's connection is idle: its watcher reads
            send(otherSession, otherSession.createQueue("heard"), "idle-1", "idle-2");
            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("idle-1");
            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("idle-2");
            // a thread of the same connection sends synchronously, back to back: deliveries still come at once
            Session sending = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = sending.createProducer(sending.createQueue("elsewhere"));
            CompletableFuture<Void> busy = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        p.send(sending.createTextMessage("x"));
                    }
                } catch (JMSException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            send(otherSession, otherSession.createQueue("heard"), "busy");
            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo("busy");
            busy.get(30, TimeUnit.SECONDS);
        }
        assertThat(drain("elsewhere")).hasSize(300);
    }

    @Test
    void anIdleConnectionPingsTheBrokerAndOutlivesItsTtl() throws Exception {
        start();
        try (Connection c = connect("heartbeat=200&connectionTtl=1000")) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("idle");
            MessageConsumer consumer = s.createConsumer(q);
            Thread.sleep(3000); // three TTLs without a request: only the client's pings keep the broker from closing it
            send(s, q, "still here");
            assertThat(text(consumer.receive(5000))).isEqualTo("still here");
        }
    }

    @Test
    void aReceiveWaitingForEverReturnsWhenAnotherThreadClosesItsConsumer() throws Exception {
        start();
        try (Connection c = connect("")) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("never"));
            CompletableFuture<Message> waiting = receiveInBackground(consumer, 0);
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            consumer.close();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aReceiveOnAStoppedConnectionGetsTheMessageWhenAnotherThreadStartsIt() throws Exception {
        start();
        try (Connection c = connect("")) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("stopped");
            MessageConsumer consumer = s.createConsumer(q);
            send(s, q, "m");
            CompletableFuture<Message> waiting = receiveInBackground(consumer, 20_000);
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            c.start();
            assertThat(text(waiting.get(5, TimeUnit.SECONDS))).isEqualTo("m");
        }
    }

    @Test
    void whenTheConnectionIsCutUnderAWaitingReceiveTheListenerHearsAndTheReceiveEnds() throws Exception {
        start();
        LinkedBlockingQueue<JMSException> heard = new LinkedBlockingQueue<>();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection c = new TernConnectionFactory(proxy.url()).createConnection()) {
            c.setExceptionListener(heard::add);
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("cut"));
            MessageProducer producer = s.createProducer(s.createQueue("cut"));
            CompletableFuture<Message> waiting = receiveInBackground(consumer, 0);
            Thread.sleep(300);
            proxy.cut();
            JMSException e = heard.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("the exception listener heard the loss").isNotNull();
            assertThat(e.getMessage()).contains("connection to the broker lost");
            assertThat(completion(waiting)).as("the waiting receive ended").isNotEqualTo("still waiting");
            assertThatThrownBy(() -> producer.send(s.createTextMessage("after")))
                    .isInstanceOf(JMSException.class).hasMessageContaining("connection to the broker lost");
        }
    }

    @Test
    void anInterruptedReceiveReturnsNullAndAnInterruptedSendFailsYetTheConnectionStaysUsable() throws Exception {
        start();
        try (Connection c = connect("")) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("interrupted");
            MessageConsumer consumer = s.createConsumer(q);
            CompletableFuture<Message> received = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try {
                    received.complete(consumer.receive()); // holds the socket while it waits
                } catch (Throwable e) {
                    received.completeExceptionally(e);
                }
            });
            receiver.start();
            Thread.sleep(300);
            receiver.interrupt();
            assertThat(received.get(5, TimeUnit.SECONDS)).isNull();

            MessageProducer producer = s.createProducer(q);
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> producer.send(s.createTextMessage("interrupted")))
                        .isInstanceOf(JMSException.class).hasMessageContaining("interrupted");
            } finally {
                Thread.interrupted();
            }
            producer.send(s.createTextMessage("after"));
            List<String> got = new ArrayList<>();
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                got.add(text(m));
            }
            // the interrupted send was written before its wait was cut short: it arrives, once
            assertThat(got).containsExactly("interrupted", "after");
        }
    }

    @Test
    void tenThousandNonPersistentSendsNobodyWaitsForArriveAllInOrder() throws Exception {
        start();
        int n = 10_000;
        try (Connection c = connect(""); Connection reader = broker.connect()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("flood"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int i = 0; i < n; i++) {
                p.send(s.createTextMessage(Integer.toString(i))); // gathered into batches, written by the watcher
            }
            reader.start();
            Session rs = reader.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = rs.createConsumer(rs.createQueue("flood"));
            for (int i = 0; i < n; i++) {
                assertThat(text(consumer.receive(5000))).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void sendsNobodyWaitsForThroughASmallProducerWindowWaitForRoomAndOneBiggerThanTheWindowGoesAlone() throws Exception {
        start("producer-window=4096");
        try (Connection c = connect(""); Connection reader = broker.connect()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("window"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            // far within the request timeout (30 s), which a send waiting for room that never comes would take
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(15), () -> {
                for (int i = 0; i < 300; i++) {
                    // 2 KiB each, and every 50th 10 KiB: the sender waits for answers (reading them itself) to make room
                    jakarta.jms.BytesMessage m = s.createBytesMessage();
                    m.writeBytes(new byte[i % 50 == 49 ? 10 * 1024 : 2 * 1024]);
                    m.setIntProperty("i", i);
                    p.send(m);
                }
            });
            reader.start();
            Session rs = reader.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = rs.createConsumer(rs.createQueue("window"));
            for (int i = 0; i < 300; i++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("message %d", i).isNotNull();
                assertThat(m.getIntProperty("i")).isEqualTo(i);
            }
        }
    }

    @Test
    void theConnectionsThreadIsGoneOnceItIsClosed() throws Exception {
        start();
        String prefix = "tern-io-127.0.0.1:" + broker.tcpPort();
        Connection c = connect("");
        Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
        send(s, s.createQueue("t"), "m");
        assertThat(threadsNamed(prefix)).as("the watcher while the connection is open").hasSize(1);
        c.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!threadsNamed(prefix).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(threadsNamed(prefix)).as("threads left behind").isEmpty();
    }

    @Test
    void directIoFalseGivesTheConnectionAnEventLoopAndItWorksTheSame() throws Exception {
        start();
        String prefix = "tern-io-127.0.0.1:" + broker.tcpPort();
        try (Connection c = connect("directIo=false")) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("netty");
            send(s, q, "a", "b");
            MessageConsumer consumer = s.createConsumer(q);
            assertThat(text(consumer.receive(5000))).isEqualTo("a");
            assertThat(text(consumer.receive(5000))).isEqualTo("b");
            assertThat(threadsNamed(prefix)).isEmpty();
        }
        assertThatThrownBy(() -> connect("directIo=maybe")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option directIo must be true or false, not 'maybe'");
    }

    /** A {@code receive(timeoutMillis)} (0: for ever) on a thread of its own, which reads the socket while it waits. */
    private static CompletableFuture<Message> receiveInBackground(MessageConsumer consumer, long timeoutMillis) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return timeoutMillis == 0 ? consumer.receive() : consumer.receive(timeoutMillis);
            } catch (JMSException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static List<Thread> threadsNamed(String prefix) {
        List<Thread> found = new CopyOnWriteArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .forEach(found::add);
        return found;
    }

    private static String completion(CompletableFuture<Message> f) throws InterruptedException {
        try {
            Message m = f.get(10, TimeUnit.SECONDS);
            return "returned " + text(m);
        } catch (java.util.concurrent.TimeoutException e) {
            return "still waiting";
        } catch (java.util.concurrent.ExecutionException | JMSException e) {
            return "threw " + e;
        }
    }

    private static String textOf(Message m) {
        try {
            return text(m);
        } catch (JMSException e) {
            return "unreadable: " + e;
        }
    }

    /** Everything {@code queue} holds now, received on a connection of its own. */
    private List<String> drain(String queue) throws JMSException {
        try (Connection c = broker.connect()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            List<String> texts = new ArrayList<>();
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(text(m));
            }
            return texts;
        }
    }
}
