package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.PatternStream;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Large messages through a broker in its own process with a small heap: a body many times the heap is sent
 * and received whole, both ends streaming; a send cut short by SIGKILL leaves nothing visible; a stored large
 * message survives a restart. The broker's peak resident size is read from {@code /proc} and printed. The
 * 2 GiB case (profile {@code soak}: {@code mvn -Psoak -pl broker test -Dtest='LargeMessageChildBrokerTest'}) takes
 * 20-45 s and 2.5 GiB of disk for a while on a 2-core machine.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class LargeMessageChildBrokerTest {

    private static final long MIB = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ChildBroker broker;

    @AfterEach
    void kill() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private Connection connect() throws JMSException {
        Connection c = new TernConnectionFactory(broker.url() + (broker.url().contains("?") ? "&" : "?")
                + "maxMessageSize=" + (1L << 40)).createConnection();
        c.start();
        return c;
    }

    @Test
    void threeHundredMibThroughASixtyFourMibBroker() throws Exception {
        roundTrip(300 * MIB, "-Xmx64m");
    }

    /** In the soak profile: a CI machine may not have the 2.5 GiB of free temporary disk it needs. */
    @Test
    @Tag("soak")
    void twoGibThroughATwoHundredFiftySixMibBroker() throws Exception {
        roundTrip(2048 * MIB, "-Xmx256m");
    }

    private void roundTrip(long size, String heap) throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).heap(heap).start();
        long started = System.nanoTime();
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = PatternStream.message(session, size);
            m.setLongProperty("size", size);
            session.createProducer(session.createQueue("large.q")).send(m);
        }
        long sent = System.nanoTime();
        PatternStream.Check check = new PatternStream.Check();
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            BytesMessage m = (BytesMessage) session.createConsumer(session.createQueue("large.q")).receive(30_000);
            assertThat(m).isNotNull();
            assertThat(m.getLongProperty("size")).isEqualTo(size);
            m.setObjectProperty("JMS_TERN_SaveStream", check);
            m.acknowledge();
        }
        long received = System.nanoTime();
        long peakRss = peakRssKib(broker.pid());
        System.out.printf("large message %d MiB, broker %s: send %.1f s, receive %.1f s, broker peak RSS %d MiB%n",
                size / MIB, heap, (sent - started) / 1e9, (received - sent) / 1e9, peakRss / 1024);
        check.assertPattern(size);
        assertThat(broker.isAlive()).isTrue();
        // consumed: its chunks are deleted and the journal gives their segments back (what is left: the head
        // segment, perhaps the one before it, at most two free ones and one being zeroed, of the default 32 MiB)
        org.awaitility.Awaitility.await().atMost(60, TimeUnit.SECONDS).ignoreExceptions()
                .untilAsserted(() -> assertThat(sizeOf(dir.resolve("data"))).isLessThan(5 * 32 * MIB));
    }

    private static long sizeOf(Path directory) throws java.io.IOException {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long peakRssKib(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void aSendCutShortBySigkillLeavesNothingAndItsChunksAreDropped() throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).heap("-Xmx64m").start();
        AtomicLong read = new AtomicLong();
        CompletableFuture<Void> killed = new CompletableFuture<>();
        PatternStream body = new PatternStream(200 * MIB) {
            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                if (read.get() > 50 * MIB && !killed.isDone()) {
                    try {
                        broker.kill();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    killed.complete(null);
                }
                int n = super.read(b, off, len);
                read.addAndGet(Math.max(n, 0));
                return n;
            }
        };
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = session.createBytesMessage();
            m.setObjectProperty("JMS_TERN_InputStream", body);
            assertThatThrownBy(() -> session.createProducer(session.createQueue("cut.q")).send(m))
                    .isInstanceOf(JMSException.class);
        }
        assertThat(killed).isDone();

        broker.start();
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(session.createConsumer(session.createQueue("cut.q")).receive(500)).isNull();
        }
        String log = Files.readString(broker.logDir().resolve("broker-2.log"));
        assertThat(log).containsPattern("deleted \\d+ records a crash left");
    }

    @Test
    void aStoredLargeMessageSurvivesARestartAndGoesOnceConsumed() throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).heap("-Xmx64m").start();
        long size = 40 * MIB + 3;
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            BytesMessage m = PatternStream.message(session, size);
            session.createProducer(session.createQueue("kept.q")).send(m);
        }
        broker.kill();
        broker.start();
        PatternStream.Check check = new PatternStream.Check();
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("kept.q"));
            BytesMessage m = (BytesMessage) consumer.receive(10_000);
            m.setObjectProperty("JMS_TERN_SaveStream", check);
        }
        check.assertPattern(size);

        // consumed: a second restart finds nothing, and no chunk of it is left to drop
        broker.stop();
        broker.start();
        try (Connection c = connect()) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(session.createConsumer(session.createQueue("kept.q")).receive(500)).isNull();
        }
        assertThat(Files.readString(broker.logDir().resolve("broker-3.log")))
                .doesNotContainPattern("deleted \\d+ records a crash left");
    }
}
