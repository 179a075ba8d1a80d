package org.ternmq.it.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import jakarta.jms.Session;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.crash.ChildBroker;

/**
 * Network partitions made with network namespaces ({@link TestNetwork}): candidate brokers, each a child JVM in a
 * namespace of its own, a real ZooKeeper server and the clients (this JVM) on the bridge between them, sync
 * replication, two producers and a transacted consumer that fail over ({@code heartbeat=250&connectionTtl=1500}).
 * Nothing is killed and no side is told: packets stop.
 * <ul>
 * <li>Two brokers cut off from each other only (both still reach ZooKeeper and the clients): no role changes, the
 *     backup leaves the in-sync set (sync sends are refused meanwhile, not answered without it), and once the
 *     partition heals it catches up and joins the set again.</li>
 * <li>The live broker of three cut off from everything: its ZooKeeper session expires, it fences itself, a backup
 *     takes over (with the third in sync, so sync sends go on), the clients find their connection silent and fail
 *     over to it; when the old live broker is back on the network it rejoins as a backup. (With two brokers the
 *     new live broker would have no backup in sync, and a sync send would wait for the old one's return.)</li>
 * </ul>
 * Both end with every send that returned consumed exactly once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NetworkPartitionTest {

    private static final int CLIENT_PORT = 61616;
    private static final int REPLICATION_PORT = 61617;
    private static final int ZOOKEEPER_PORT = 62181;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private TestNetwork net;
    private ChildZooKeeper zk;
    private ChildBroker[] brokers = new ChildBroker[0];
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Workers workers = new Workers();
    private final AtomicReference<Throwable> failed = workers.failed;
    private final Ledger ledger = new Ledger();
    private final AtomicInteger sends = ledger.sends;
    /** When the live broker was cut off (System.nanoTime), 0 before; and when a send begun after that returned. */
    private final AtomicLong cutAt = new AtomicLong();
    private final AtomicLong firstSendAfterCut = new AtomicLong();

    @BeforeEach
    void network() throws Exception {
        assumeTrue(TestNetwork.available(), "this machine does not let the test create network namespaces");
        try {
            net = TestNetwork.create(3);
        } catch (java.io.IOException e) {
            assumeTrue(false, "this machine does not let the test build its network: " + e.getMessage());
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        workers.close();
        for (ChildBroker b : brokers) {
            if (b != null) {
                b.close();
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (zk != null) {
            zk.close();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    void brokersCutOffFromEachOtherChangeNoRoleAndLoseNothing() throws Exception {
        CuratorFramework watcher = cluster(2);
        load();
        int live = live();
        int backup = 1 - live;
        int before = sends.get();

        net.partition(0, 1);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < until) {
            assertThat(listens(live)).as("the live broker stays live").isTrue();
            assertThat(listens(backup)).as("the backup stays a backup").isFalse();
            Thread.sleep(250);
        }
        assertThat(inSyncRecorded(watcher)).as("the unreachable backup left the in-sync set").isEqualTo(1);
        int duringPartition = sends.get() - before;

        net.heal(0, 1);
        await("the backup caught up and is in sync again").atMost(Duration.ofSeconds(60))
                .until(() -> inSyncRecorded(watcher) == 2 || failed.get() != null);
        int healed = sends.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() > healed + 100 || failed.get() != null);
        assertThat(live()).as("no role changed").isEqualTo(live);
        System.out.printf("NetworkPartitionTest brokers apart: %d sends returned in the 6 s of the partition, %d refused"
                + " in all%n", duringPartition, ledger.refused.get());
        assertExactlyOnce();
    }

    @Test
    void aLiveBrokerOfThreeCutOffFromEverythingIsReplacedAndRejoinsAsABackup() throws Exception {
        CuratorFramework watcher = cluster(3);
        load();
        int old = live();
        int before = sends.get();

        net.isolate(old);
        long isolated = System.nanoTime();
        cutAt.set(isolated); // a send begun from here on can only return from the broker that takes over
        await("another broker took over and the clients followed").atMost(Duration.ofSeconds(60))
                .until(() -> (live() >= 0 && live() != old && sends.get() > before + 100) || failed.get() != null);
        assertThat(firstSendAfterCut.get()).as("a send begun after the cut returned").isNotZero();
        long tookOver = TimeUnit.NANOSECONDS.toMillis(firstSendAfterCut.get() - isolated);
        int now = live();

        net.rejoin(old);
        await("the old live broker stepped down and follows the new one").atMost(Duration.ofSeconds(60))
                .until(() -> (!listens(old) && inSyncRecorded(watcher) == 3) || failed.get() != null);
        int back = sends.get();
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() > back + 100 || failed.get() != null);
        assertThat(live()).as("the broker that took over is still live, and only it").isEqualTo(now);
        for (int i = 0; i < 3; i++) {
            assertThat(listens(i)).as("broker " + i + " listens").isEqualTo(i == now);
        }
        System.out.printf("NetworkPartitionTest live broker isolated: the first send begun after the cut returned %d ms"
                + " after it (load %s), %d refused in all%n", tookOver, ZooKeeperFailoverTest.loadAverage(),
                ledger.refused.get());
        assertExactlyOnce();
    }

    // ---- the cluster ---------------------------------------------------------------------------------------------

    /** ZooKeeper on the bridge, {@code n} candidate brokers in namespaces; returns once one is live and all in sync. */
    private CuratorFramework cluster(int n) throws Exception {
        zk = new ChildZooKeeper(dir.resolve("zk"), net.hubAddress(), ZOOKEEPER_PORT).start();
        brokers = new ChildBroker[n];
        for (int i = 0; i < n; i++) {
            brokers[i] = new ChildBroker(CLIENT_PORT, dir.resolve("data-" + i), dir.resolve("logs-" + i),
                    "--host", net.address(i), "--allow-anonymous", "true", "--zookeeper", zk.connectString(),
                    "--zookeeper-session-timeout", "2s", "--cluster", "zkt",
                    "--replication-port", Integer.toString(REPLICATION_PORT), "--replication", "sync")
                    .prefix(net.exec(i)).start();
        }
        CuratorFramework watcher = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100));
        watcher.start();
        closeables.add(watcher);
        await().atMost(Duration.ofSeconds(60)).until(() -> live() >= 0 && inSyncRecorded(watcher) == n);
        return watcher;
    }

    private static int inSyncRecorded(CuratorFramework watcher) {
        return ZooKeeperFailoverTest.inSyncRecorded(watcher);
    }

    private String url() {
        StringBuilder hosts = new StringBuilder();
        for (int i = 0; i < brokers.length; i++) {
            hosts.append(i == 0 ? "" : ",").append(net.address(i)).append(':').append(CLIENT_PORT);
        }
        return "tern://" + hosts + "?failover=true&reconnectDelay=50&maxReconnectDelay=100&reconnectAttempts=-1"
                + "&heartbeat=250&connectionTtl=1500&connectTimeout=1000";
    }

    /** Whether broker {@code i} accepts clients (only a live broker listens on its client port). */
    private boolean listens(int i) {
        return ZooKeeperFailoverTest.listens(net.address(i), CLIENT_PORT, 300);
    }

    private int live() {
        return ZooKeeperFailoverTest.live(brokers.length, this::listens);
    }

    // ---- the load and its account ----------------------------------------------------------------------------------

    /** Two producers of persistent messages and a consumer committing every 10, then 100 sends returned. */
    private void load() throws Exception {
        for (int p = 0; p < 2; p++) {
            String prefix = "p" + p + "-";
            Connection c = workers.connect(url());
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("np.orders"));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            workers.start("producer-" + p, ledger.producer(workers, s, producer, prefix,
                    ZooKeeperFailoverTest::refusedDuringFailover, cutAt, firstSendAfterCut));
        }
        Connection cc = workers.connect(url());
        cc.start();
        Session tx = cc.createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = tx.createConsumer(tx.createQueue("np.orders"));
        workers.start("consumer", ledger.transactedConsumer(workers, tx, consumer,
                ZooKeeperFailoverTest::refusedDuringFailover, 100)); // refused: not again at once
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.get() >= 100 || failed.get() != null);
        assertThat(failed.get()).as("what a client met").isNull();
    }

    /** Stops the load, reads what is left, and checks every returned send was consumed exactly once. */
    private void assertExactlyOnce() throws Exception {
        workers.stop(30_000);
        assertThat(failed.get()).as("what a client met").isNull();
        workers.closeConnections(); // what the consumer held unacknowledged goes back to the queue
        // the DLQ is read too: rollbacks of commits the broker refused are not charged as attempts, but the consumer's
        // own rollbacks (a commit that failed in another way) are, and a message that went there is not lost
        Ledger.Reconciled end = ledger.reconcile(url(), "np.orders", "DLQ");
        System.out.printf("NetworkPartitionTest: %d sends returned, %d committed, %d left (%d of them dead-lettered), %d"
                + " in doubt, %d lost%n", ledger.returned.size(), ledger.committed.size(), end.left.size(),
                end.perQueue.getOrDefault("DLQ", 0), ledger.inDoubt.size(), end.missing.size());
        end.assertExactlyOnce();
    }
}
