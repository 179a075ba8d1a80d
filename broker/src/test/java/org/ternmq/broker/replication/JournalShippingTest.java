package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.SyncPolicy;

/**
 * Journal shipping between a live broker and a backup in this JVM (each with its own data directory, talking over
 * TCP on the replication port): what a sync send was answered for is on the backup's disk, so a broker started on
 * the backup's data directory has it; a backup that was away catches up from its position; too few in-sync backups
 * make a sync broker refuse persistent sends; a backup of another cluster is refused.
 */
class JournalShippingTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;

    @TempDir
    Path dir;


    private BrokerConfig config(String name) {
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    private static ReplicationConfig replication(String cluster, int port, ReplicationConfig.Mode mode) {
        return new ReplicationConfig(cluster, "127.0.0.1", port, mode, 1, 2000, SEGMENT, 0);
    }

    private EmbeddedBroker live(ReplicationConfig.Mode mode) throws Exception {
        EmbeddedBroker live = EmbeddedBroker.startLive(config("live"), replication("c1", 0, mode));
        open.add(live);
        return live;
    }

    private ReplicaFollower backup(String cluster, EmbeddedBroker live) throws Exception {
        return backup(cluster, live, "backup");
    }

    private ReplicaFollower backup(String cluster, EmbeddedBroker live, String name) throws Exception {
        ReplicaFollower f = ReplicaFollower.start(replication(cluster, live.replication().port(),
                ReplicationConfig.Mode.SYNC), config(name).journalDirectory(), SyncPolicy.DATA);
        open.add(f);
        return f;
    }

    private static void send(EmbeddedBroker broker, String queue, int from, int to) throws JMSException {
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = from; i < to; i++) {
                p.send(s.createTextMessage("m-" + i));
            }
        }
    }

    private static List<String> drain(EmbeddedBroker broker, String queue) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            c.start();
            MessageConsumer consumer = c.createSession(false, Session.AUTO_ACKNOWLEDGE)
                    .createConsumer(c.createSession(false, Session.AUTO_ACKNOWLEDGE).createQueue(queue));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    private static List<String> expected(int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add("m-" + i);
        }
        return l;
    }

    /** Starts a broker on the backup's data directory, as a promoted backup would, after closing the backup. */
    private EmbeddedBroker promote(ReplicaFollower follower) throws Exception {
        follower.close();
        open.remove(follower);
        EmbeddedBroker promoted = EmbeddedBroker.start(config("backup"));
        open.add(promoted);
        return promoted;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void whatASyncSendWasAnsweredForIsOnTheBackupsDisk() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.SYNC);
        ReplicaFollower backup = backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(live, "orders", 0, 300);
        // the live broker is not stopped: the backup alone must have it all (as after a kill of the live)
        EmbeddedBroker promoted = promote(backup);
        assertThat(drain(promoted, "orders")).containsExactlyElementsOf(expected(0, 300));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupThatWasAwayCatchesUpFromItsPosition() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC);
        ReplicaFollower backup = backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(live, "orders", 0, 100);
        backup.close();
        open.remove(backup);
        send(live, "orders", 100, 250); // async: the live broker carries on alone
        ReplicaFollower again = backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(live, "orders", 250, 300);
        long livePosition = live.replication().published();
        await().atMost(Duration.ofSeconds(10)).until(() -> again.acknowledgedPosition() >= livePosition);
        EmbeddedBroker promoted = promote(again);
        assertThat(drain(promoted, "orders")).containsExactlyElementsOf(expected(0, 300));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withTooFewInSyncBackupsPersistentSendsAreRefused() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.SYNC);
        assertThatThrownBy(() -> send(live, "orders", 0, 1)).isInstanceOf(JMSException.class)
                .hasMessageContaining("replication=sync needs 1 in-sync backup(s) and 0 is/are in sync");
        ReplicaFollower backup = backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(live, "orders", 0, 10);
        backup.close();
        open.remove(backup);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 0);
        assertThatThrownBy(() -> send(live, "orders", 10, 11)).isInstanceOf(JMSException.class)
                .hasMessageContaining("in-sync");
        // a commit is refused before anything is written: its outcome is known, the transaction rolls back
        try (Connection c = new TernConnectionFactory(live.tcpUrl()).createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(tx.createQueue("orders"));
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT); // a persistent one is refused at once
            p.send(tx.createTextMessage("in a refused commit"));
            assertThatThrownBy(tx::commit).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                    .hasMessageContaining("commit refused: replication=sync needs 1 in-sync backup(s)");
            tx.rollback();
        }
        // acknowledgements wait for backups too: consuming needs a backup back in sync
        backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        assertThat(drain(live, "orders")).containsExactlyElementsOf(expected(0, 10));
    }

    /**
     * A transacted consumer whose commits this broker refuses (no backup in sync) and that rolls back each time is
     * not failing on its message: those rollbacks are not charged against {@code max-delivery-attempts}, so the
     * message outlives the outage instead of going to the dead-letter queue. It still comes again flagged
     * redelivered, with a growing {@code JMSXDeliveryCount}; the application's own rollbacks still count. The same
     * for an XA branch whose prepare the broker refuses.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rollbacksOfCommitsTheBrokerRefusedAreNotChargedAsFailedAttempts() throws Exception {
        EmbeddedBroker live = afterFiveRefusedCommits();
        // the same for an XA branch whose prepare the broker refuses (XA_RBROLLBACK: it rolled the branch back)
        jakarta.jms.XAConnection xc = new org.ternmq.jms.TernXAConnectionFactory(live.tcpUrl()).createXAConnection();
        try (xc) {
            xc.start();
            jakarta.jms.XASession xa = xc.createXASession();
            javax.transaction.xa.XAResource r = xa.getXAResource();
            MessageConsumer consumer = xa.createConsumer(xa.createQueue("orders"));
            for (int attempt = 6; attempt <= 8; attempt++) {
                javax.transaction.xa.Xid xid = new org.ternmq.protocol.XidValue(0x7E25, ("refused-" + attempt)
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {1});
                r.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
                Message m = consumer.receive(5000);
                assertThat(m).as("XA delivery %d during the outage", attempt).isNotNull();
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(attempt);
                r.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
                assertThatThrownBy(() -> r.prepare(xid)).isInstanceOf(javax.transaction.xa.XAException.class)
                        .satisfies(e -> assertThat(((javax.transaction.xa.XAException) e).errorCode)
                                .isEqualTo(javax.transaction.xa.XAException.XA_RBROLLBACK));
            }
        }
        try (Connection c = new TernConnectionFactory(live.tcpUrl()).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            backup("c1", live);
            await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
            applicationRollsBackTwice(tx, consumer, 9, "after the outage");
        }
        assertThat(drain(live, "DLQ")).containsExactly("m-0");
    }

    /**
     * The application's own rollbacks count: m-0 comes as delivery {@code count}, its first rollback is allowed (two
     * attempts), the second dead-letters it.
     */
    private static void applicationRollsBackTwice(Session tx, MessageConsumer consumer, int count, String first)
            throws JMSException {
        Message m = consumer.receive(5000);
        assertThat(m).as(first).isNotNull();
        assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(count);
        tx.rollback();
        assertThat(consumer.receive(5000)).as("the application's first failure is allowed").isNotNull();
        tx.rollback();
        assertThat(consumer.receive(1000)).as("its second sends the message to the DLQ").isNull();
        tx.commit();
    }

    /** A broker whose queue "orders" allows two delivery attempts. */
    private BrokerConfig twoAttempts(String name) {
        org.ternmq.broker.policy.PolicyRepository policies = new org.ternmq.broker.policy.PolicyRepository(List.of(
                new org.ternmq.broker.policy.PolicyRepository.Entry(
                        org.ternmq.broker.policy.WildcardPattern.parse("orders"),
                        java.util.Map.of(org.ternmq.broker.policy.PolicySetting.MAX_DELIVERY_ATTEMPTS, 2))));
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name)).policies(policies)
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    /**
     * A sync live broker (two attempts allowed on "orders") that lost its only backup after m-0 was sent, and whose
     * commits of m-0's first five deliveries it refused.
     */
    private EmbeddedBroker afterFiveRefusedCommits() throws Exception {
        EmbeddedBroker live = EmbeddedBroker.startLive(twoAttempts("live"),
                replication("c1", 0, ReplicationConfig.Mode.SYNC));
        open.add(live);
        withoutBackup(live);
        rollBackRefusedCommits(live, 1, 5);
        return live;
    }

    /** Sends m-0 to "orders" while a backup is in sync, then takes the backup away: commits are refused after. */
    private void withoutBackup(EmbeddedBroker live) throws Exception {
        ReplicaFollower backup = backup("c1", live);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(live, "orders", 0, 1);
        backup.close();
        open.remove(backup);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 0);
    }

    /** Deliveries {@code from} to {@code to} of m-0 to a transacted consumer whose commit the broker refuses. */
    private static void rollBackRefusedCommits(EmbeddedBroker live, int from, int to) throws JMSException {
        try (Connection c = new TernConnectionFactory(live.tcpUrl()).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            for (int attempt = from; attempt <= to; attempt++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("delivery %d during the outage", attempt).isNotNull();
                assertThat(((TextMessage) m).getText()).isEqualTo("m-0");
                assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(attempt);
                assertThat(m.getJMSRedelivered()).isEqualTo(attempt > 1);
                assertThatThrownBy(tx::commit).isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                        .hasMessageContaining("commit refused");
                if (attempt == to) {
                    consumer.close(); // the last comes back to the queue, not delivered again: stored as it is
                }
                tx.rollback();
            }
        }
    }

    /**
     * The deliveries that came back uncharged are stored with the delivery count and shipped with the journal: a
     * backup that catches up after the outage and is then promoted (the live broker gone) does not charge them
     * either, so the message is not dead-lettered on its first delivery there.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void unchargedRollbacksOutliveAFailover() throws Exception {
        EmbeddedBroker live = afterFiveRefusedCommits();
        // a new backup catches up with everything, including the stored delivery state; then the live broker dies
        ReplicaFollower backup = ReplicaFollower.start(replication("c1", live.replication().port(),
                ReplicationConfig.Mode.SYNC), twoAttempts("promoted").journalDirectory(), SyncPolicy.DATA);
        open.add(backup);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        live.close();
        open.remove(live);
        backup.close();
        open.remove(backup);
        EmbeddedBroker promoted = EmbeddedBroker.start(twoAttempts("promoted"));
        open.add(promoted);
        try (Connection c = new TernConnectionFactory(promoted.tcpUrl()).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("orders"));
            applicationRollsBackTwice(tx, consumer, 6, "delivered by the promoted backup, not dead-lettered");
        }
        assertThat(drain(promoted, "DLQ")).containsExactly("m-0");
    }

    /**
     * With two backups, one that leaves the in-sync set may still be named by ZooKeeper for a moment and be elected
     * if the live broker dies then: a sync send is not answered until the set is recorded without it.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupThatLeftIsWaitedForUntilTheInSyncSetIsRecordedWithoutIt() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.SYNC);
        backup("c1", live, "backup-a");
        ReplicaFollower b = backup("c1", live, "backup-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 2);
        java.util.Set<String> both = live.replication().inSyncNodes();
        live.replication().recordedInSync(both);
        send(live, "orders", 0, 10);

        b.close();
        open.remove(b);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        java.util.concurrent.CompletableFuture<Void> sent = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                send(live, "orders", 10, 11);
            } catch (JMSException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(sent).as("answered while ZooKeeper still names the backup that left").isNotDone();

        java.util.Set<String> left = new java.util.TreeSet<>(live.replication().inSyncNodes());
        assertThat(both).containsAll(left).hasSize(2);
        live.replication().recordedInSync(left);
        sent.get(10, TimeUnit.SECONDS);
        assertThat(drain(live, "orders")).containsExactlyElementsOf(expected(0, 11));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupOfAnotherClusterIsRefusedAndWritesNothing() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC);
        send(live, "orders", 0, 5);
        ReplicaFollower stranger = backup("c2", live);
        assertThat(stranger.fatal().get(10, TimeUnit.SECONDS)).contains("cluster 'c1', not 'c2'");
        assertThat(stranger.acknowledgedPosition()).isZero();
        assertThat(live.replication().inSyncCount()).isZero();
    }
}
