package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The broker started as {@code bin/tern} starts it (a child JVM, default sync policy DATA) is killed with
 * SIGKILL at random moments under load from JMS producers and consumers in this JVM, and restarted on the
 * same data directory each time. The clients use nothing but the JMS API and treat a broken connection as
 * "outcome unknown" for what was in flight. At the end everything left is drained and compared with what
 * the clients know: every send that returned is there exactly once overall (consumed before, or left), no
 * message whose acknowledgement or commit returned ever comes back, nothing else appears.
 */
class BrokerKillTest {

    private static final String QUEUE = "crash.orders";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the child broker's logs
    Path dir;
    private ChildBroker broker;
    private final List<LoadWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final DeliveryLedger ledger = new DeliveryLedger();

    @AfterEach
    void killEverything() throws Exception {
        stopWorkers();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyReturnedSendSurvivesAndNoConsumedMessageComesBack() throws Exception {
        run(3, 3, 1, 40, 900, 42);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void manyKillsUnderHeavierLoad() throws Exception {
        run(30, 6, 2, 200, 3000, 4242);
    }

    /**
     * @param kills             how many times the broker is killed
     * @param producers         producer threads (every third one transacted)
     * @param consumersPerMode  consumer threads per mode (client-acknowledge, transacted)
     * @param sendsBetweenKills returned sends awaited after each restart before the random delay starts
     * @param maxDelayMillis    upper bound of the random delay before each kill
     */
    private void run(int kills, int producers, int consumersPerMode, int sendsBetweenKills, int maxDelayMillis,
                     long seed) throws Exception {
        Random random = new Random(seed);
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).start();
        for (int i = 0; i < producers; i++) {
            startWorker(new ProducerWorker("p" + i, broker, ledger, QUEUE, i % 3 == 2, seed + i));
        }
        for (int i = 0; i < consumersPerMode; i++) {
            startWorker(new ConsumerWorker("ca" + i, broker, ledger, QUEUE, false, seed + 100 + i));
            startWorker(new ConsumerWorker("ct" + i, broker, ledger, QUEUE, true, seed + 200 + i));
        }
        for (int k = 0; k < kills; k++) {
            awaitProgress(sendsBetweenKills);
            Thread.sleep(random.nextInt(maxDelayMillis)); // the random kill moment
            broker.killAndRestart();
        }
        awaitProgress(sendsBetweenKills); // the clients work with the last generation too
        stopWorkers();
        for (LoadWorker w : workers) {
            assertThat(w.unexpected()).as("worker %s failed", w.name).isNull();
        }
        List<String> unexplained = new ArrayList<>();
        workers.forEach(w -> unexplained.addAll(w.unexplainedFailures()));

        broker.stop(); // and a clean restart on top of the crashes
        broker.start();
        List<String> drained = drain();
        List<String> problems = ledger.check(drained);
        int lost = workers.stream().mapToInt(LoadWorker::connectionsLost).sum();
        System.out.printf("kill test: %d kills, %d sends returned, %d in doubt, %d consumed, %d left, "
                + "%d connections lost%n", kills, ledger.sentCount(), ledger.inDoubtSends(), ledger.consumedCount(),
                drained.size(), lost);

        assertThat(ledger.sentCount()).as("sends that returned").isGreaterThanOrEqualTo(kills * sendsBetweenKills);
        assertThat(ledger.consumedCount()).as("messages consumed during the run").isPositive();
        assertThat(lost).as("connections broken by the kills").isGreaterThanOrEqualTo(kills);
        assertThat(problems).as("violations (broker logs in %s)", broker.logDir()).isEmpty();
        assertThat(ledger.unflaggedRedeliveries()).as("messages received again without JMSRedelivered").isEmpty();
        assertThat(unexplained).as("client failures not caused by a kill").isEmpty();
    }

    private void startWorker(LoadWorker worker) {
        Thread t = new Thread(worker, "kill-test-" + worker.name);
        t.setDaemon(true);
        workers.add(worker);
        threads.add(t);
        t.start();
    }

    private void awaitProgress(int sends) {
        int target = ledger.sentCount() + sends;
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger.sentCount() >= target);
    }

    private void stopWorkers() throws InterruptedException {
        workers.forEach(LoadWorker::stop);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
        }
        threads.clear();
    }

    /** Takes every message left, checks each, acknowledges them all, and returns their uids in order. */
    private List<String> drain() throws Exception {
        List<String> uids = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(QUEUE));
            Message last = null;
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(2000)) {
                String uid = m.getStringProperty(ProducerWorker.UID);
                ledger.received(uid, ((TextMessage) m).getText(), m.getJMSRedelivered(),
                        m.getIntProperty("JMSXDeliveryCount"));
                uids.add(uid);
                last = m;
            }
            if (last != null) {
                last.acknowledge();
            }
            assertThat(consumer.receiveNoWait()).as("queue empty after the drain").isNull();
        }
        return uids;
    }
}
