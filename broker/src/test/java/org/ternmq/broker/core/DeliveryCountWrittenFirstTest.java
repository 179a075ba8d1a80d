package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.persistence.JournalStore;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.SyncPolicy;

/**
 * A delivery of a stored message leaves the broker only once the record counting it is in the journal's files: a
 * broker killed at any moment (what its files hold then is what a SIGKILL leaves) gives back every message an
 * application was shown with {@code JMSRedelivered} set. The journal is held in a force while a consumer asks for a
 * message, and the files are copied then, as a crash would leave them.
 */
@Timeout(60)
class DeliveryCountWrittenFirstTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path data;
    @TempDir
    Path crashed;

    /** How the client reaches the broker: TCP connections may be served on the agent's own thread, in-VM ones never. */
    enum Transport { TCP, IN_VM }

    private static BrokerConfig config(Path dataDirectory) {
        return BrokerConfig.builder().tcpPort(0).host("127.0.0.1").inVmName("count-first-" + NAMES.incrementAndGet())
                .dataDirectory(dataDirectory).journalSegmentSize(2 << 20).maxFrameLength(1 << 20)
                .syncPolicy(SyncPolicy.DATA)
                // the journal's own thread is held in its force while the agent serves the consumer: with the agent
                // writing a lone request's batch itself, the agent would be the one held
                .journalAgentWrites(false).build();
    }

    private static String url(EmbeddedBroker broker, Transport transport) {
        return transport == Transport.TCP ? broker.tcpUrl() : broker.vmUrl();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageIsShownOnlyOnceItsDeliveryCountIsWrittenSoACrashGivesItBackRedelivered(Transport transport)
            throws Exception {
        BrokerConfig config = config(data);
        JournalStore store = JournalStore.open(JournalConfig.builder(config.journalDirectory())
                .set(JournalConfig.SYNC_POLICY, config.syncPolicy())
                .set(JournalConfig.SEGMENT_SIZE, config.journalSegmentSize())
                .set(JournalConfig.MAX_PAYLOAD_SIZE, config.maxFrameLength()).build());
        AtomicBoolean holdForces = new AtomicBoolean();
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        boolean shownBeforeTheCrash;
        try (EmbeddedBroker broker = EmbeddedBroker.start(config, store);
             Connection c = new TernConnectionFactory(url(broker, transport)).createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createProducer(s.createQueue("counted")).send(s.createTextMessage("seen")); // stored and forced
            store.journalStats().onForce(nanos -> {
                if (holdForces.get()) {
                    forcing.countDown();
                    awaitQuietly(release);
                }
            });
            holdForces.set(true);
            // another persistent send: the journal writes it and is held in its force, so what comes next waits
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer otherProducer = other.createProducer(other.createQueue("other"));
            CompletableFuture<Void> otherSend = CompletableFuture.runAsync(() -> {
                try {
                    otherProducer.send(other.createTextMessage("elsewhere"));
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
                MessageConsumer consumer = s.createConsumer(s.createQueue("counted"));
                c.start();
                Message shown = consumer.receive(1000);
                shownBeforeTheCrash = shown != null;
                copyTree(data, crashed); // what a SIGKILL of the broker now would leave on disk
                holdForces.set(false);
                release.countDown();
                Message received = shown != null ? shown : consumer.receive(10_000);
                assertThat(received).as("delivered once the journal writes again").isNotNull();
                assertThat(((TextMessage) received).getText()).isEqualTo("seen");
                assertThat(received.getJMSRedelivered()).isFalse();
                otherSend.get(10, TimeUnit.SECONDS);
            } finally {
                release.countDown();
            }
        }
        try (EmbeddedBroker restarted = EmbeddedBroker.start(config(crashed));
             Connection c = new TernConnectionFactory(url(restarted, transport)).createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("counted"));
            c.start();
            Message again = consumer.receive(10_000);
            assertThat(again).isNotNull();
            assertThat(((TextMessage) again).getText()).isEqualTo("seen");
            // shown to the application before the crash, it must come back marked as possibly seen (and only then)
            assertThat(again.getJMSRedelivered()).as("JMSRedelivered after the crash").isEqualTo(shownBeforeTheCrash);
        }
        assertThat(shownBeforeTheCrash).as("delivered while the record counting it was not written").isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                try {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else if (!p.getFileName().toString().endsWith(".lock")) {
                        Files.copy(p, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
