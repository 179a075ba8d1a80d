package org.ternmq.broker.ha;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.replication.ReplicationConfig;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.SyncPolicy;

/**
 * Runs the live path once in a candidate that is not live, so that its first activation runs compiled code instead of
 * loading classes and interpreting (measured at about a second on a loaded 2-core machine, against 0.15-0.3 s for an
 * activation in a JVM that had been live before). On a scratch data directory ({@code <data-dir>/warm-up}) it starts
 * what an activation starts ({@link EmbeddedBroker#startLive}: journal, replication source, store load, broker agent),
 * with an in-VM acceptor only, so it never accepts a client from outside this JVM; an in-VM client sends, receives
 * and acknowledges persistent messages, in plain, transacted and client-acknowledged sessions, and leaves a thousand;
 * the broker is stopped and started again on the same journal (recovery and store load of real records, as an
 * activation does), the rest is consumed, then everything is stopped and the scratch directory deleted.
 *
 * <p>The scratch journal uses small segments and {@code sync-policy ASYNC}: forcing thousands of small writes would
 * cost seconds of disk time and warm nothing more.
 *
 * <p>Threads: {@link #run} on one thread (the candidate's warm-up thread).
 */
final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    static final String DIRECTORY = "warm-up";
    private static final int ROUNDS = 3;
    private static final int MESSAGES_PER_ROUND = 1000;
    private static final int TRANSACTIONS_PER_ROUND = 20;
    private static final int LEFT = 1000;

    private WarmUp() {
    }

    /**
     * Warms up; a failure is logged and changes nothing else (the candidate then activates cold).
     *
     * @param stop asked between steps: true ends the warm-up early (the candidate is closing)
     * @return the milliseconds it took, or -1 when it failed
     */
    static long run(BrokerConfig config, ReplicationConfig replication, BooleanSupplier stop) {
        long started = System.nanoTime();
        long nonHeapBefore = nonHeapUsed();
        long rssBefore = residentBytes();
        Path scratch = config.dataDirectory().resolve(DIRECTORY);
        int[] messages = new int[1];
        try {
            delete(scratch); // left by a crash during an earlier warm-up
            BrokerConfig scratchConfig = scratchConfig(config, scratch);
            ReplicationConfig scratchReplication = new ReplicationConfig(replication.cluster() + "-warm-up",
                    "127.0.0.1", 0, ReplicationConfig.Mode.ASYNC, 1, replication.maxLagMillis(),
                    scratchConfig.journalSegmentSize(), 0);
            try (EmbeddedBroker broker = EmbeddedBroker.startLive(scratchConfig, scratchReplication)) {
                exercise(broker.vmUrl(), stop, messages);
                if (!stop.getAsBoolean()) {
                    leave(broker.vmUrl(), messages);
                }
            }
            // opened again on what it left: an activation recovers a journal full of records, not an empty one
            if (!stop.getAsBoolean()) {
                try (EmbeddedBroker broker = EmbeddedBroker.startLive(scratchConfig, scratchReplication)) {
                    take(broker.vmUrl());
                }
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("warm-up failed (the first activation will be slower): {}", e.toString());
            deleteQuietly(scratch);
            return -1;
        }
        deleteQuietly(scratch);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long rss = residentBytes();
        LOG.info("warm-up: ran the live path on a scratch journal ({} persistent messages sent and received) in {} ms; "
                + "non-heap memory (code cache, classes) +{} MiB, resident set {} MiB (+{} MiB); the first activation "
                + "runs warm", messages[0], millis, (nonHeapUsed() - nonHeapBefore) >> 20, rss >> 20,
                (rss - rssBefore) >> 20);
        return millis;
    }

    static BrokerConfig scratchConfig(BrokerConfig config, Path scratch) {
        int segment = Math.min(config.journalSegmentSize(), Math.max(4 << 20, config.maxFrameLength() + (1 << 20)));
        return BrokerConfig.builder().name(config.name() + "-warm-up").tcpPort(-1)
                .inVmName("tern-warm-up-" + UUID.randomUUID()).dataDirectory(scratch).allowAnonymous(true)
                .maxFrameLength(config.maxFrameLength()).producerWindow(config.producerWindow())
                .policies(config.policies()).syncPolicy(SyncPolicy.ASYNC).journalSegmentSize(segment)
                .journalIoMode(config.journalIoMode()).build();
    }

    private static void exercise(String url, BooleanSupplier stop, int[] messages) throws JMSException {
        String body = "w".repeat(1024);
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            Session clientAck = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue queue = plain.createQueue("tern.warm-up");
            MessageProducer producer = plain.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageConsumer consumer = plain.createConsumer(queue);
            Queue txQueue = tx.createQueue("tern.warm-up.tx");
            MessageProducer txProducer = tx.createProducer(txQueue);
            txProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageConsumer txConsumer = tx.createConsumer(txQueue);
            Queue ackQueue = clientAck.createQueue("tern.warm-up.ack");
            MessageProducer ackProducer = clientAck.createProducer(ackQueue);
            ackProducer.setDeliveryMode(DeliveryMode.PERSISTENT);
            MessageConsumer ackConsumer = clientAck.createConsumer(ackQueue);
            for (int round = 0; round < ROUNDS && !stop.getAsBoolean(); round++) {
                for (int i = 0; i < MESSAGES_PER_ROUND; i++) {
                    producer.send(plain.createTextMessage(body));
                }
                receive(consumer, MESSAGES_PER_ROUND);
                for (int t = 0; t < TRANSACTIONS_PER_ROUND; t++) {
                    for (int i = 0; i < 10; i++) {
                        txProducer.send(tx.createTextMessage(body));
                    }
                    tx.commit();
                    receive(txConsumer, 10);
                    tx.commit();
                }
                for (int i = 0; i < 100; i++) {
                    ackProducer.send(clientAck.createTextMessage(body));
                }
                Message last = null;
                for (int i = 0; i < 100; i++) {
                    Message m = ackConsumer.receive(5000);
                    last = m != null ? m : last;
                }
                if (last != null) {
                    last.acknowledge();
                }
                messages[0] += MESSAGES_PER_ROUND + 10 * TRANSACTIONS_PER_ROUND + 100;
            }
        }
    }

    /** Sends messages left in the scratch journal for the second start to recover. */
    private static void leave(String url, int[] messages) throws JMSException {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("tern.warm-up.left"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < LEFT; i++) {
                p.send(s.createTextMessage("left"));
            }
            messages[0] += LEFT;
        }
    }

    private static void take(String url) throws JMSException {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            receive(s.createConsumer(s.createQueue("tern.warm-up.left")), LEFT);
        }
    }

    private static void receive(MessageConsumer consumer, int n) throws JMSException {
        for (int i = 0; i < n; i++) {
            if (consumer.receive(5000) == null) {
                throw new JMSException("warm-up: message " + i + " of " + n + " did not come within 5 s");
            }
        }
    }

    /** The process's resident set (Linux: /proc/self/status), or 0 when it cannot be read. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: not reported
        }
        return 0;
    }

    private static long nonHeapUsed() {
        MemoryUsage u = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        return u.getUsed();
    }

    private static void deleteQuietly(Path scratch) {
        try {
            delete(scratch);
        } catch (IOException e) {
            LOG.warn("could not delete the warm-up directory {}: {}", scratch, e.toString());
        }
    }

    private static void delete(Path scratch) throws IOException {
        if (!Files.exists(scratch)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(scratch)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
