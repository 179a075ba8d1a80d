package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.policy.PolicySetting;
import org.ternmq.broker.policy.WildcardPattern;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientSession;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.message.Address;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.store.SyncPolicy;

/**
 * {@code replication=} as a destination policy, on a live broker with one backup in this JVM: a sync destination's
 * persistent send waits for the backup (and is refused once the backup left the in-sync set) while an async
 * destination of the same broker carries on, whichever way the broker's own mode points.
 */
class PerDestinationReplicationTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;
    private static final long MAX_LAG = 2000;

    @TempDir
    Path dir;


    private BrokerConfig config(String name, String pattern, DestinationPolicy.Replication replication) {
        PolicyRepository policies = new PolicyRepository(List.of(new PolicyRepository.Entry(
                WildcardPattern.parse(pattern), Map.of(PolicySetting.REPLICATION, replication))));
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name)).policies(policies)
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    private static ReplicationConfig replication(int port, ReplicationConfig.Mode mode) {
        return new ReplicationConfig("c1", "127.0.0.1", port, mode, 1, MAX_LAG, SEGMENT, 0);
    }

    private EmbeddedBroker live(ReplicationConfig.Mode mode, String pattern, DestinationPolicy.Replication policy)
            throws Exception {
        EmbeddedBroker live = EmbeddedBroker.startLive(config("live", pattern, policy), replication(0, mode));
        open.add(live);
        return live;
    }

    private ReplicaFollower backup(EmbeddedBroker live) throws Exception {
        ReplicaFollower f = ReplicaFollower.start(replication(live.replication().port(), ReplicationConfig.Mode.SYNC),
                dir.resolve("backup").resolve("journal"), SyncPolicy.DATA);
        open.add(f);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        return f;
    }

    private Connection connect(EmbeddedBroker broker) throws JMSException {
        Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection();
        open.add(c);
        return c;
    }

    private static void send(Connection c, String queue, String text) throws JMSException {
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(text));
        }
    }

    private static CompletableFuture<Void> sendLater(Connection c, String queue, String text) {
        return CompletableFuture.runAsync(() -> {
            try {
                send(c, queue, text);
            } catch (JMSException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    private static List<String> drain(Connection c, String queue) throws JMSException {
        List<String> texts = new ArrayList<>();
        c.start();
        try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(300)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onAnAsyncBrokerASyncDestinationWaitsForItsBackupAndAnAsyncOneDoesNot() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC, "orders.#", DestinationPolicy.Replication.SYNC);
        ReplicaFollower backup = backup(live);
        Connection c = connect(live);
        send(c, "orders.eu", "before the pause");

        backup.pause(true);
        CompletableFuture<Void> syncSend = sendLater(c, "orders.eu", "during the pause");
        // an async destination is answered meanwhile, while the sync send still waits for the stalled backup
        send(c, "audit", "async 1");
        assertThat(syncSend).as("a sync destination's send waits for its backup").isNotDone();
        // once the backup has left the in-sync set the waiting send fails, and later ones are refused at once
        assertThatThrownBy(() -> syncSend.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JMSException.class).hasMessageContaining("in-sync");
        assertThat(live.replication().inSyncCount()).isZero();
        assertThatThrownBy(() -> send(c, "orders.eu", "refused")).isInstanceOf(JMSException.class)
                .hasMessageContaining("persistent messages to orders.eu are refused: replication=sync needs 1 "
                        + "in-sync backup(s) and 0 is/are in sync");
        send(c, "audit", "async 2");
        assertThat(drain(c, "audit")).containsExactly("async 1", "async 2");

        backup.pause(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        send(c, "orders.eu", "after the pause");
        assertThat(drain(c, "orders.eu")).contains("before the pause", "after the pause").doesNotContain("refused");
    }

    private static EncodedMessage persistentTo(String queue) {
        return new MessageEncoder().bodyType(BodyType.MESSAGE).persistent(true).destination(Address.queue(queue))
                .encode();
    }

    /**
     * Sends to a sync and to an async destination pipelined on one connection, so that the broker reads them in one
     * burst and stores them in one batch: each is answered at its own moment, the async one without waiting for
     * the stalled backup (before, the batch's wait for backups held it too, and it was refused once the backup left
     * the in-sync set).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void sendsReadTogetherAreAnsweredEachAsItsDestinationSays() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC, "orders.#", DestinationPolicy.Replication.SYNC);
        ReplicaFollower backup = backup(live);
        try (ClientConnection c = ClientConnection.connect(ConnectionUrl.parse(live.tcpUrl()), null, null)) {
            ClientSession syncSession = c.createSession(Session.AUTO_ACKNOWLEDGE);
            ClientSession asyncSession = c.createSession(Session.AUTO_ACKNOWLEDGE);
            syncSession.sendAsync(persistentTo("orders.eu")).get(10, TimeUnit.SECONDS);
            asyncSession.sendAsync(persistentTo("audit")).get(10, TimeUnit.SECONDS);

            backup.pause(true);
            List<CompletableFuture<Void>> syncSends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                syncSends.add(syncSession.sendAsync(persistentTo("orders.eu")));
                CompletableFuture<Void> async = asyncSession.sendAsync(persistentTo("audit"));
                // well within replica-max-lag (2 s): an answer held for the backup could not come this soon
                assertThat(async).as("async send %d", i).succeedsWithin(Duration.ofMillis(1000));
            }
            assertThat(syncSends).as("sync sends wait for the stalled backup").noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onASyncBrokerAnAsyncDestinationCarriesOnWithoutBackups() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.SYNC, "metrics.#", DestinationPolicy.Replication.ASYNC);
        Connection c = connect(live);
        // no backup at all: the broker's own mode (sync) refuses, the async destination is answered
        assertThatThrownBy(() -> send(c, "orders", "refused")).isInstanceOf(JMSException.class)
                .hasMessageContaining("replication=sync needs 1 in-sync backup(s) and 0 is/are in sync");
        send(c, "metrics.cpu", "m1");
        try (Session tx = c.createSession(true, Session.SESSION_TRANSACTED)) {
            MessageProducer p = tx.createProducer(null);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(tx.createQueue("metrics.cpu"), tx.createTextMessage("m2"));
            tx.commit(); // touches only the async destination
            p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            p.send(tx.createQueue("metrics.cpu"), tx.createTextMessage("not committed"));
            p.send(tx.createQueue("orders"), tx.createTextMessage("not committed"));
            assertThatThrownBy(tx::commit).as("a transaction touching a sync destination")
                    .isInstanceOf(jakarta.jms.ResourceAllocationException.class)
                    .hasMessageContaining("commit refused: replication=sync needs 1 in-sync backup(s)");
            tx.rollback();
        }
        // acknowledgements of the async destination are answered too: it can be consumed
        assertThat(drain(c, "metrics.cpu")).containsExactly("m1", "m2");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anXaBranchTouchingASyncDestinationIsRefusedAtPrepareWithoutBackupsAndOneOfAnAsyncDestinationCommits()
            throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC, "orders.#", DestinationPolicy.Replication.SYNC);
        jakarta.jms.XAConnection c = new org.ternmq.jms.TernXAConnectionFactory(live.tcpUrl()).createXAConnection();
        open.add(c);
        jakarta.jms.XASession xa = c.createXASession();
        javax.transaction.xa.XAResource r = xa.getXAResource();
        MessageProducer p = xa.createProducer(null);
        p.setDeliveryMode(DeliveryMode.PERSISTENT);

        javax.transaction.xa.Xid async = new org.ternmq.protocol.XidValue(0x7E25, "async".getBytes(), new byte[] {1});
        r.start(async, javax.transaction.xa.XAResource.TMNOFLAGS);
        p.send(xa.createQueue("audit"), xa.createTextMessage("xa audit"));
        r.end(async, javax.transaction.xa.XAResource.TMSUCCESS);
        assertThat(r.prepare(async)).isEqualTo(javax.transaction.xa.XAResource.XA_OK);
        r.commit(async, false);

        // a persistent send to the sync destination is refused at once; a branch that touches it otherwise (here
        // with a non-persistent message) is refused at prepare, before anything is written
        javax.transaction.xa.Xid sync = new org.ternmq.protocol.XidValue(0x7E25, "sync".getBytes(), new byte[] {1});
        r.start(sync, javax.transaction.xa.XAResource.TMNOFLAGS);
        p.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        p.send(xa.createQueue("orders.eu"), xa.createTextMessage("xa order"));
        r.end(sync, javax.transaction.xa.XAResource.TMSUCCESS);
        assertThatThrownBy(() -> r.prepare(sync)).isInstanceOf(javax.transaction.xa.XAException.class)
                .hasMessageContaining("replication=sync needs 1 in-sync backup(s)")
                .satisfies(e -> assertThat(((javax.transaction.xa.XAException) e).errorCode)
                        .isEqualTo(javax.transaction.xa.XAException.XA_RBROLLBACK));
        Connection plain = connect(live);
        assertThat(drain(plain, "audit")).containsExactly("xa audit");
    }

    /**
     * On an async broker, an XA branch that sends to a sync destination: its prepare and its commit are answered only
     * once the backup has them forced (they wait while the backup stalls); with no backup in sync its prepare fails
     * with {@code XA_RBROLLBACK} and the message is never delivered.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anXaBranchOfASyncDestinationOnAnAsyncBrokerIsPreparedAndCommittedOnlyOnceTheBackupHasIt() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC, "orders.#", DestinationPolicy.Replication.SYNC);
        ReplicaFollower backup = backup(live);
        jakarta.jms.XAConnection c = new org.ternmq.jms.TernXAConnectionFactory(live.tcpUrl()).createXAConnection();
        open.add(c);
        jakarta.jms.XASession xa = c.createXASession();
        javax.transaction.xa.XAResource r = xa.getXAResource();
        MessageProducer p = xa.createProducer(xa.createQueue("orders.eu"));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);

        javax.transaction.xa.Xid xid = new org.ternmq.protocol.XidValue(0x7E25, "waits".getBytes(), new byte[] {1});
        r.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
        p.send(xa.createTextMessage("xa order"));
        r.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
        backup.pause(true);
        CompletableFuture<Integer> prepared = CompletableFuture.supplyAsync(() -> {
            try {
                return r.prepare(xid);
            } catch (javax.transaction.xa.XAException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(500); // well within replica-max-lag: the backup is still in sync, only stalled
        assertThat(prepared).as("a prepare waits for the stalled backup").isNotDone();
        backup.pause(false);
        assertThat(prepared.get(10, TimeUnit.SECONDS)).isEqualTo(javax.transaction.xa.XAResource.XA_OK);
        long afterPrepare = live.replication().published();
        assertThat(backup.acknowledgedPosition()).as("the backup had the prepare forced when it was answered")
                .isGreaterThanOrEqualTo(afterPrepare);

        backup.pause(true);
        CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> {
            try {
                r.commit(xid, false);
            } catch (javax.transaction.xa.XAException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Thread.sleep(500);
        assertThat(committed).as("a commit waits for the stalled backup").isNotDone();
        backup.pause(false);
        committed.get(10, TimeUnit.SECONDS);
        assertThat(backup.acknowledgedPosition()).as("the backup had the commit forced when it was answered")
                .isGreaterThanOrEqualTo(live.replication().published());
        Connection plain = connect(live);
        assertThat(drain(plain, "orders.eu")).containsExactly("xa order");

        // a branch whose backup went away before its prepare: refused with XA_RBROLLBACK, never delivered
        javax.transaction.xa.Xid lost = new org.ternmq.protocol.XidValue(0x7E25, "alone".getBytes(), new byte[] {1});
        r.start(lost, javax.transaction.xa.XAResource.TMNOFLAGS);
        p.send(xa.createTextMessage("xa order without a backup"));
        r.end(lost, javax.transaction.xa.XAResource.TMSUCCESS);
        backup.close();
        open.remove(backup);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 0);
        assertThatThrownBy(() -> r.prepare(lost)).isInstanceOf(javax.transaction.xa.XAException.class)
                .hasMessageContaining("replication=sync needs 1 in-sync backup(s)")
                .satisfies(e -> assertThat(((javax.transaction.xa.XAException) e).errorCode)
                        .isEqualTo(javax.transaction.xa.XAException.XA_RBROLLBACK));
        assertThat(drain(plain, "orders.eu")).isEmpty();
        assertThat(live.management().getPreparedBranches()).as("branches left prepared").isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void noneIsNotWaitedForButStillReachesTheBackup() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.SYNC, "scratch", DestinationPolicy.Replication.NONE);
        ReplicaFollower backup = backup(live);
        Connection c = connect(live);
        backup.pause(true);
        send(c, "scratch", "s1"); // answered though the backup reads nothing
        backup.pause(false);
        long published = live.replication().published();
        // the journal is one stream: what was written for the destination is copied all the same
        await().atMost(Duration.ofSeconds(10)).until(() -> backup.acknowledgedPosition() >= published);
        assertThat(published).isPositive();
    }
}
