package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.ternmq.store.JournalReplica;
import org.ternmq.store.SyncPolicy;

/**
 * A backup gives back the segments the live broker gave back: the live broker's removals (of segments made dead by
 * acknowledgements and by compaction) reach the backup in order with the stream, so the backup's data directory stays
 * as small as the live broker's, and a broker started on it has every message not yet consumed and none that was.
 */
class BackupReclaimTest extends ClosingTest {

    private static final int SEGMENT = 1 << 20;
    private static final String BODY = "x".repeat(8 << 10);

    @TempDir
    Path dir;

    private BrokerConfig config(String name) {
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(256 << 10).syncPolicy(SyncPolicy.DATA).build();
    }

    private static ReplicationConfig replication(int port, ReplicationConfig.Mode mode) {
        return new ReplicationConfig("c1", "127.0.0.1", port, mode, 1, 2000, SEGMENT, 0);
    }

    private static void send(Connection c, String queue, String prefix, int from, int to, String body)
            throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer p = s.createProducer(s.createQueue(queue));
        p.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int i = from; i < to; i++) {
            TextMessage m = s.createTextMessage(body);
            m.setStringProperty("name", prefix + i);
            p.send(m);
        }
        s.close();
    }

    private static List<String> drain(Connection c, String queue, int firstWaitMillis) throws JMSException {
        List<String> names = new ArrayList<>();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        for (Message m = consumer.receive(firstWaitMillis); m != null; m = consumer.receive(300)) {
            names.add(m.getStringProperty("name"));
        }
        s.close();
        return names;
    }

    private static int segmentFiles(Path journal) throws Exception {
        return JournalReplica.segmentSequences(journal).size();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBackupRemovesTheSegmentsTheLiveBrokerRemovedAndKeepsWhatIsLive() throws Exception {
        EmbeddedBroker live = EmbeddedBroker.startLive(config("live"), replication(0, ReplicationConfig.Mode.SYNC));
        open.add(live);
        ReplicaFollower backup = ReplicaFollower.start(replication(live.replication().port(),
                ReplicationConfig.Mode.SYNC), config("backup").journalDirectory(), SyncPolicy.DATA);
        open.add(backup);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);

        List<String> kept = new ArrayList<>();
        int mostOnBackup = 0;
        try (Connection c = new TernConnectionFactory(live.tcpUrl()).createConnection()) {
            c.start();
            send(c, "keep", "early-", 0, 20, "kept"); // in the first segment: compaction must move them along
            for (int i = 0; i < 20; i++) {
                kept.add("early-" + i);
            }
            for (int round = 0; round < 12; round++) { // about 1.6 MB a round: 19 MB through 1 MiB segments
                send(c, "flow", "r" + round + "-", 0, 200, BODY);
                assertThat(drain(c, "flow", 5000)).hasSize(200);
                mostOnBackup = Math.max(mostOnBackup, segmentFiles(config("backup").journalDirectory()));
            }
            send(c, "flow", "late-", 0, 30, BODY); // sent and never consumed
            send(c, "keep", "late-", 0, 20, "kept");
            for (int i = 0; i < 20; i++) {
                kept.add("late-" + i);
            }
        }
        Path liveJournal = config("live").journalDirectory();
        Path backupJournal = config("backup").journalDirectory();
        List<Long> liveSegments = JournalReplica.segmentSequences(liveJournal);
        assertThat(liveSegments.get(liveSegments.size() - 1)).as("segments the live broker wrote").isGreaterThan(15);
        long published = live.replication().published();
        await().atMost(Duration.ofSeconds(20)).until(() -> backup.acknowledgedPosition() >= published);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(segmentFiles(backupJournal))
                .as("segment files on the backup (the live broker has %d)", segmentFiles(liveJournal))
                .isLessThanOrEqualTo(segmentFiles(liveJournal) + 1));
        assertThat(segmentFiles(liveJournal)).as("segment files on the live broker").isLessThanOrEqualTo(6);
        assertThat(mostOnBackup).as("most segment files on the backup during the run").isLessThanOrEqualTo(8);
        assertThat(backup.reclaimedSegments()).isGreaterThan(10);

        // the backup alone, as after a kill of the live broker: every unconsumed message, none consumed
        backup.close();
        open.remove(backup);
        EmbeddedBroker promoted = EmbeddedBroker.start(config("backup"));
        open.add(promoted);
        try (Connection c = new TernConnectionFactory(promoted.tcpUrl()).createConnection()) {
            c.start();
            assertThat(drain(c, "keep", 3000)).containsExactlyElementsOf(kept);
            List<String> flow = drain(c, "flow", 3000);
            List<String> late = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                late.add("late-" + i);
            }
            assertThat(flow).containsExactlyElementsOf(late);
        }
    }
}
