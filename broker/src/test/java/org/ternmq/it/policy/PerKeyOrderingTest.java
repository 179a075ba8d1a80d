package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ordered consumption per key with parallelism, Tern's answer to Kafka's partitions and RocketMQ's ordered
 * messages: the key goes in {@code JMSXGroupID}, and however many consumers share the queue, each key's
 * messages arrive in order at one consumer at a time while the keys spread over all consumers.
 *
 * <p>1,000 keys, 5 messages each (more with {@code -Dtern.perkey.messages}), sent interleaved (key 0..999,
 * then again) by one transacted producer; 8 consumers on their own connections, each waiting
 * {@value #WORK_MICROS} µs per message as an application waiting on its database would. The test asserts
 * order per key, exactly-once delivery and that every consumer did its share; the time it took goes to
 * {@code target/per-key-ordering.txt} (measured, not asserted: see docs/performance.md), with a
 * single-consumer baseline beside it when {@code -Dtern.perkey.messages} is given.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PerKeyOrderingTest extends PolicyTestBase {

    private static final int KEYS = 1_000;
    /** Messages per key: 5 in the default suite, more with {@code -Dtern.perkey.messages=N} for a longer measurement. */
    private static final int PER_KEY = Integer.getInteger("tern.perkey.messages", 5);
    private static final int WORK_MICROS = 500;
    private static final boolean MEASURE = System.getProperty("tern.perkey.messages") != null;

    @Test
    void eightConsumersKeepEveryKeysOrderAndShareTheKeys() throws Exception {
        start();
        Run eight = run("ordered.eight", 8);
        // the single-consumer baseline only when measuring (it takes most of the time)
        Run one = MEASURE ? run("ordered.one", 1) : null;

        for (Run r : one == null ? List.of(eight) : List.of(one, eight)) {
            assertThat(r.received.get()).as("%d consumers: messages received", r.consumers).isEqualTo(KEYS * PER_KEY);
            assertThat(r.outOfOrder).as("%d consumers: out-of-order deliveries", r.consumers).isEmpty();
            assertThat(r.keysOnMoreThanOneConsumer()).as("keys that moved between consumers").isZero();
        }
        for (int c = 0; c < 8; c++) {
            // round-robin assignment gives each consumer 125 keys; allow for keys given while one was busy
            assertThat(eight.perConsumer.get(c)).as("messages of consumer %d of 8", c).isGreaterThan(KEYS * PER_KEY / 16);
        }
        report(one, eight);
    }

    /** One run: {@code consumers} consumers attached first, then the interleaved keys sent. */
    private Run run(String queueName, int consumers) throws Exception {
        Run r = new Run(consumers);
        CountDownLatch done = new CountDownLatch(KEYS * PER_KEY);
        List<Connection> opened = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            Connection conn = broker.connect();
            opened.add(conn);
            Session s = conn.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer mc = s.createConsumer(s.createQueue(queueName));
            int me = c;
            mc.setMessageListener(m -> {
                try {
                    String key = m.getStringProperty("JMSXGroupID");
                    int seq = m.getIntProperty("seq");
                    r.observe(me, key, seq);
                    LockSupport.parkNanos(WORK_MICROS * 1_000L);
                } catch (Exception e) {
                    r.outOfOrder.add("listener failed: " + e);
                }
                done.countDown();
            });
            conn.start();
        }
        long start = System.nanoTime();
        Connection producerConnection = broker.connect();
        Session ps = producerConnection.createSession(true, Session.SESSION_TRANSACTED);
        Queue q = ps.createQueue(queueName);
        MessageProducer p = ps.createProducer(q);
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int seq = 0; seq < PER_KEY; seq++) {
            for (int k = 0; k < KEYS; k++) {
                TextMessage m = ps.createTextMessage("key " + k + " #" + seq);
                m.setStringProperty("JMSXGroupID", "key-" + k);
                m.setIntProperty("seq", seq);
                p.send(m);
            }
            ps.commit();
        }
        assertThat(done.await(150, TimeUnit.SECONDS)).as("all %d messages delivered to %d consumers", KEYS * PER_KEY,
                consumers).isTrue();
        r.nanos = System.nanoTime() - start;
        producerConnection.close();
        for (Connection c : opened) {
            c.close();
        }
        return r;
    }

    private void report(Run one, Run eight) throws IOException {
        Path out = Path.of("target", "per-key-ordering.txt");
        Files.createDirectories(out.getParent());
        String text = String.format("keys %d x %d messages, %d µs of waiting per message%n", KEYS, PER_KEY, WORK_MICROS)
                + (one == null ? "" : String.format("1 consumer:  %.0f msg/s (%.1f s)%n", one.rate(), one.nanos / 1e9))
                + String.format("8 consumers: %.0f msg/s (%.1f s), per consumer %s%n", eight.rate(), eight.nanos / 1e9,
                        eight.perConsumer.values());
        Files.writeString(out, text);
        System.out.print(text);
    }

    /** What one run saw: per key the last sequence number and the consumer, per consumer a count. */
    private static final class Run {
        final int consumers;
        final Map<String, int[]> lastByKey = new ConcurrentHashMap<>(); // {last seq, consumer, consumers seen}
        final Map<Integer, Integer> perConsumer = new HashMap<>();
        final List<String> outOfOrder = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger received = new AtomicInteger();
        long nanos;

        Run(int consumers) {
            this.consumers = consumers;
            for (int c = 0; c < consumers; c++) {
                perConsumer.put(c, 0);
            }
        }

        synchronized void observe(int consumer, String key, int seq) {
            received.incrementAndGet();
            perConsumer.merge(consumer, 1, Integer::sum);
            int[] last = lastByKey.get(key);
            int expected = last == null ? 0 : last[0] + 1;
            if (seq != expected) {
                outOfOrder.add(key + ": got #" + seq + " after #" + (expected - 1));
            }
            if (last == null) {
                lastByKey.put(key, new int[] {seq, consumer, 0});
            } else {
                if (last[1] != consumer) {
                    last[2]++;
                    last[1] = consumer;
                }
                last[0] = seq;
            }
        }

        synchronized long keysOnMoreThanOneConsumer() {
            return lastByKey.values().stream().filter(v -> v[2] > 0).count();
        }

        double rate() {
            return KEYS * PER_KEY / (nanos / 1e9);
        }
    }
}
