package org.ternmq.broker.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.ternmq.broker.replication.ClosingTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.replication.ReplicationConfig;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.SyncPolicy;

/**
 * Candidates in this JVM against curator-test's in-process ZooKeeper: the first of a fresh cluster becomes live at
 * epoch 1 and the other follows it; when the live one leaves, the backup takes over at epoch 2 with every message;
 * a broker not in the recorded in-sync set never becomes live; a live broker fences itself when ZooKeeper goes away;
 * an unreachable ZooKeeper is a clear start-up error; an epoch is taken only by the latch holder.
 */
class CandidateTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;
    private static final long SESSION = 1500;

    @TempDir
    Path dir;
    private TestingServer zk;

    @BeforeEach
    void startZooKeeper() throws Exception {
        // tickTime 100 ms: the server grants session timeouts from 200 ms on
        zk = new TestingServer(new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, -1, 100, -1), true);
        open.add(zk);
    }


    private BrokerConfig config(String name, int port) {
        return BrokerConfig.builder().name(name).tcpPort(port).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    private Candidate candidate(String name, int port, int replicationPort) throws Exception {
        Candidate c = new Candidate(config(name, port), new ReplicationConfig("c1", "127.0.0.1", replicationPort,
                ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0),
                new ZooKeeperSettings(zk.getConnectString(), "/tern/c1", SESSION, 5000), null);
        open.add(c);
        c.start();
        return c;
    }

    private CuratorFramework client() {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        c.start();
        open.add(c);
        return c;
    }

    private static void send(String url, int from, int to) throws JMSException {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = from; i < to; i++) {
                p.send(s.createTextMessage("m-" + i));
            }
        }
    }

    private static List<String> drain(String url) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theBackupTakesOverAtTheNextEpochWithEveryMessage() throws Exception {
        Candidate a = candidate("a", 62011, 62012);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() != null);
        Candidate b = candidate("b", 62013, 62014);
        EmbeddedBroker liveA = a.liveBroker();
        await().atMost(Duration.ofSeconds(10)).until(() -> liveA.replication().inSyncCount() == 1);
        ClusterRegistry registry = new ClusterRegistry(client(), "/tern/c1");
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.inSync().nodes().equals(Set.of(a.node(), b.node())));
        assertThat(registry.epoch()).isEqualTo(1);
        assertThat(registry.live().node()).isEqualTo(a.node());
        send(liveA.tcpUrl(), 0, 100);

        a.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.liveBroker() != null);
        assertThat(registry.epoch()).isEqualTo(2);
        assertThat(registry.live().node()).isEqualTo(b.node());
        assertThat(registry.inSync().nodes()).containsExactly(b.node());
        assertThat(b.liveBroker().replication().epoch()).isEqualTo(2);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("m-" + i);
        }
        assertThat(drain(b.liveBroker().tcpUrl())).isEqualTo(expected);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aPartitionBetweenTheBrokersChangesNoRoleAndLosesNothing() throws Exception {
        Candidate a = candidate("a", 62061, 62062);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() != null);
        Candidate b = candidate("b", 62063, 62064);
        EmbeddedBroker liveA = a.liveBroker();
        await().atMost(Duration.ofSeconds(10)).until(() -> liveA.replication().inSyncCount() == 1);
        List<String> answered = new ArrayList<>();
        int refused = 0;
        try (Connection c = new TernConnectionFactory(liveA.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            int n = 0;
            for (int round = 0; round < 3; round++) {
                liveA.replication().disconnectBackups(); // the test hook: the replication link drops
                long cutOffUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < cutOffUntil || liveA.replication().inSyncCount() == 0) {
                    try {
                        p.send(s.createTextMessage("m-" + n));
                        answered.add("m-" + n); // b caught up again meanwhile
                    } catch (JMSException e) {
                        assertThat(e.getMessage()).contains("in-sync"); // sync: never answered without b
                        refused++;
                        Thread.sleep(10);
                    }
                    n++;
                }
                for (int i = 0; i < 20; i++, n++) {
                    p.send(s.createTextMessage("m-" + n));
                    answered.add("m-" + n);
                }
            }
        }
        assertThat(answered).isNotEmpty();
        assertThat(a.liveBroker()).as("a stays live").isSameAs(liveA);
        assertThat(b.liveBroker()).as("b never becomes live").isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> liveA.replication().inSyncCount() == 1);
        ClusterRegistry registry = new ClusterRegistry(client(), "/tern/c1");
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.inSync().nodes().size() == 2);
        assertThat(registry.epoch()).isEqualTo(1);

        a.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.liveBroker() != null);
        List<String> onB = drain(b.liveBroker().tcpUrl());
        assertThat(onB).containsAll(answered);
        assertThat(onB).doesNotHaveDuplicates();
        System.out.printf("partition: %d sends answered, %d refused while b was cut off%n", answered.size(), refused);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBrokerOutsideTheRecordedInSyncSetNeverBecomesLive() throws Exception {
        CuratorFramework client = client();
        client.create().creatingParentsIfNeeded().forPath("/tern/c1/in-sync",
                "epoch=7\nnodes=someone-else\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Candidate a = candidate("a", 62021, 62022);
        Thread.sleep(2 * SESSION); // a fresh cluster's first broker is live within one session timeout
        assertThat(a.liveBroker()).isNull();
        assertThat(new ClusterRegistry(client, "/tern/c1").epoch()).isZero();
    }

    /**
     * The broker that leads after a failover cannot open its client port: it must give the in-sync set back, else it
     * holds it alone, takes a new epoch on every attempt, and no broker of the former set can ever become live.
     */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aBrokerThatCannotBecomeLiveGivesTheInSyncSetBack() throws Exception {
        Candidate a = candidate("a", 62081, 62082);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() != null);
        Candidate b = candidate("b", 62083, 62084);
        ClusterRegistry registry = new ClusterRegistry(client(), "/tern/c1");
        await().atMost(Duration.ofSeconds(20)).until(() -> registry.inSync().nodes().equals(Set.of(a.node(), b.node())));
        send(a.liveBroker().tcpUrl(), 0, 50);
        String nodeA = a.node();
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 62083)); // b's client port
            a.close();
            open.remove(a);
            await().atMost(Duration.ofSeconds(20)).until(() -> registry.epoch() >= 2); // b led and tried
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.inSync().nodes().contains(nodeA));
            assertThat(b.liveBroker()).isNull();

            Candidate again = candidate("a", 62081, 62082); // a's data directory, back
            await().atMost(Duration.ofSeconds(30)).until(() -> again.liveBroker() != null);
            assertThat(drain(again.liveBroker().tcpUrl())).hasSize(50);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLiveBrokerFencesItselfWhenZooKeeperGoesAway() throws Exception {
        Candidate a = candidate("a", 62031, 62032);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() != null);
        EmbeddedBroker live = a.liveBroker();
        // sync without a backup refuses persistent work already; fencing is told apart by its reason
        assertThat(live.replication().shortage()).contains("in-sync");
        zk.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().isFenced());
        assertThat(live.replication().refusal()).contains("ZooKeeper");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() == null);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anUnreachableZooKeeperIsAClearStartUpError() throws Exception {
        int port = zk.getPort();
        zk.stop();
        Candidate c = new Candidate(config("a", 62041), new ReplicationConfig("c1", "127.0.0.1", 62042,
                ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0),
                new ZooKeeperSettings("127.0.0.1:" + port, "/tern/c1", SESSION, 1000), null);
        open.add(c);
        assertThatThrownBy(c::start).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("cannot reach ZooKeeper at 127.0.0.1:" + port + " within 1000 ms");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBrokerOfAnotherClusterOnTheSameZnodeIsRefusedForGood() throws Exception {
        Candidate a = candidate("a", 62071, 62072);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.liveBroker() != null);
        Candidate other = new Candidate(config("other", 62073), new ReplicationConfig("c2", "127.0.0.1", 62074,
                ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0),
                new ZooKeeperSettings(zk.getConnectString(), "/tern/c1", SESSION, 5000), null);
        open.add(other);
        other.start();
        assertThat(other.fatal().get(20, TimeUnit.SECONDS))
                .contains("this live broker belongs to cluster 'c1', not 'c2'");
        assertThat(a.liveBroker().replication().inSyncCount()).isZero();
        assertThat(other.liveBroker()).isNull();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void onlyTheHolderOfItsLatchNodeTakesAnEpoch() throws Exception {
        CuratorFramework client = client();
        ClusterRegistry registry = new ClusterRegistry(client, "/tern/c1");
        client.create().creatingParentsIfNeeded().forPath("/tern/c1/leader/mine");
        assertThat(registry.nextEpoch("/tern/c1/leader/mine")).isEqualTo(1);
        assertThat(registry.nextEpoch("/tern/c1/leader/mine")).isEqualTo(2);
        assertThatThrownBy(() -> registry.nextEpoch("/tern/c1/leader/gone"))
                .isInstanceOf(org.apache.zookeeper.KeeperException.class);
        assertThat(registry.epoch()).isEqualTo(2);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void twoCandidatesOnOneDataDirectoryAreRefused() throws Exception {
        candidate("a", 62051, 62052);
        Candidate second = new Candidate(config("a", 62053), new ReplicationConfig("c1", "127.0.0.1", 62054,
                ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0),
                new ZooKeeperSettings(zk.getConnectString(), "/tern/c1", SESSION, 5000), null);
        open.add(second);
        assertThatThrownBy(second::start).isInstanceOf(org.ternmq.store.JournalLockedException.class);
    }
}
