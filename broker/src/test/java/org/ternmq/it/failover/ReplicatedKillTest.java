package org.ternmq.it.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.crash.ChildBroker;

/**
 * A live broker with replication and its backup, each a child JVM, under load from four producers and a transacted
 * consumer with failover URLs. The live broker is killed with SIGKILL; the backup is promoted the way the README
 * says to do it by hand without ZooKeeper (stopped, then a broker started on its data directory on the URL's other
 * port, with a new backup on a fresh data directory), and so on for each kill. With {@code replication=sync} every
 * send that returned is consumed exactly once in the end, also the messages of a commit the kill caught on its way
 * (the client asks the promoted broker whether it happened: done, or rolled back and delivered again); nothing
 * appears twice. A send refused while the new live broker had no backup in sync yet ({@code JMSException}, outcome
 * known: not stored) is simply not counted. The 20-kill and async
 * variants run with {@code -Psoak}; the async one reports what was lost.
 */
class ReplicatedKillTest {

    /** Client ports of the two alternating live brokers, and their replication ports. */
    private static final int[] PORTS = {63121, 63123};
    private static final int[] REPLICATION_PORTS = {63122, 63124};
    private static final String URL = "tern://127.0.0.1:" + PORTS[0] + ",127.0.0.1:" + PORTS[1]
            + "?failover=true&reconnectDelay=50&maxReconnectDelay=500&reconnectAttempts=-1";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private final List<ChildBroker> brokers = new ArrayList<>();
    private final Workers workers = new Workers();

    @AfterEach
    void cleanUp() throws Exception {
        workers.close();
        for (ChildBroker b : brokers) {
            b.close();
        }
    }

    private ChildBroker broker(int port, String data, String... args) throws Exception {
        ChildBroker b = new ChildBroker(port, dir.resolve(data), dir.resolve("logs-" + data), args);
        brokers.add(b);
        return b.start();
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void threeKillsOfTheSyncLiveBrokerLoseNoAcknowledgedMessage() throws Exception {
        run(3, "sync");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void twentyKillsOfTheSyncLiveBroker() throws Exception {
        run(20, "sync");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void twentyKillsOfTheAsyncLiveBrokerReportWhatWasLost() throws Exception {
        run(20, "async");
    }

    private ChildBroker live(int generation, String mode) throws Exception {
        int k = generation % 2;
        return broker(PORTS[k], "data-" + generation, "--replication-port", Integer.toString(REPLICATION_PORTS[k]),
                "--replication", mode);
    }

    private ChildBroker backupOf(int generation) throws Exception {
        return broker(63140 + generation % 50, "data-" + (generation + 1), "--backup-of",
                "127.0.0.1:" + REPLICATION_PORTS[generation % 2]);
    }

    private void run(int kills, String mode) throws Exception {
        ChildBroker live = live(0, mode);
        ChildBroker backup = backupOf(0);
        AtomicInteger refused = new AtomicInteger();

        Ledger ledger = new Ledger();
        AtomicReference<Throwable> failed = workers.failed;
        AtomicInteger sends = ledger.sends;
        AtomicLong lastSendNanos = new AtomicLong(System.nanoTime());
        for (int p = 0; p < 4; p++) {
            String prefix = "p" + p + "-";
            Connection c = workers.connect(URL);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("kill.orders"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            workers.start("producer-" + p, () -> {
                for (int i = 0; !workers.stopped(); i++) {
                    try {
                        producer.send(s.createTextMessage(prefix + i));
                    } catch (jakarta.jms.JMSException e) {
                        if (e.getMessage() == null || !e.getMessage().contains("in-sync")) {
                            throw e;
                        }
                        refused.incrementAndGet(); // the new live broker's backup is not in sync yet
                        Thread.sleep(20);
                        continue;
                    }
                    ledger.returned(prefix + i);
                    lastSendNanos.set(System.nanoTime());
                }
            });
        }
        Connection cc = workers.connect(URL);
        cc.start();
        Session tx = cc.createSession(true, Session.SESSION_TRANSACTED);
        Queue queue = tx.createQueue("kill.orders");
        MessageConsumer consumer = tx.createConsumer(queue);
        // refused while the new live broker had no backup in sync: written there or not
        workers.start("consumer", ledger.transactedConsumer(workers, tx, consumer,
                e -> e.getMessage() != null && e.getMessage().contains("in-sync"), 0));

        await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() >= 200 || failed.get() != null);
        List<Long> failoverMillis = new ArrayList<>();
        for (int generation = 0; generation < kills && failed.get() == null; generation++) {
            live.kill();
            long killed = System.nanoTime();
            int sentAtKill = sends.get();
            backup.stop(); // the backup's copy is closed cleanly, then a broker starts on it
            live = live(generation + 1, mode);
            backup = backupOf(generation + 1);
            await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() > sentAtKill || failed.get() != null);
            failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(lastSendNanos.get() - killed));
            await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() > sentAtKill + 150 || failed.get() != null);
        }
        workers.stop(30_000);
        assertThat(failed.get()).as("what a client met").isNull();
        workers.closeConnections(); // what the consumer had buffered goes back to the queue

        // what the consumer had not committed is still on the promoted broker
        Ledger.Reconciled end = ledger.reconcile(URL, "kill.orders");
        List<Long> sorted = new ArrayList<>(failoverMillis);
        java.util.Collections.sort(sorted);
        System.out.printf("ReplicatedKillTest replication=%s, %d kills: %d sends returned (%d refused while no backup"
                + " was in sync), %d committed, %d left, %d in doubt, %d in commits reported rolled back, %d lost; kill to"
                + " the first send returning on the"
                + " promoted broker (manual promotion included): median %d ms, max %d ms, each %s%n", mode, kills,
                ledger.returned.size(), refused.get(), ledger.committed.size(), end.left.size(), ledger.inDoubt.size(),
                ledger.rolledBack.size(), end.missing.size(),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), failoverMillis);
        if (mode.equals("sync")) {
            end.assertExactlyOnce();
        } else {
            end.assertNoneTwice();
        }
    }
}
