package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * A former live broker that wrote a tail its backup never got (async replication, the link down) rejoins as a
 * backup of that backup, now live at the next epoch: told by epoch where its own epoch ended on the new live
 * broker, it drops its tail and copies what the new live broker wrote since, so a broker started on its directory
 * has exactly the new live broker's messages, none of the dropped tail. A live broker that meets a backup of a newer
 * epoch than its own fences itself: another broker was live since.
 */
class RejoinAfterFailoverTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;

    @TempDir
    Path dir;


    private BrokerConfig config(String name) {
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    private static ReplicationConfig replication(int port, long epoch) {
        return new ReplicationConfig("c1", "127.0.0.1", port, ReplicationConfig.Mode.ASYNC, 1, 2000, SEGMENT, epoch);
    }

    /** A live broker at {@code epoch}, its history extended the way an elected broker extends it. */
    private EmbeddedBroker live(String name, long epoch) throws Exception {
        Path journal = config(name).journalDirectory();
        long start = 0;
        if (java.nio.file.Files.exists(journal)) {
            try (JournalReplica copy = JournalReplica.open(journal, SEGMENT)) {
                start = copy.position();
            }
        }
        EpochHistory history = EpochHistory.load(journal).with(epoch, start);
        history.save(journal);
        EmbeddedBroker b = EmbeddedBroker.startLive(config(name), replication(0, epoch), s -> s.history(history));
        open.add(b);
        return b;
    }

    private ReplicaFollower follow(String name, EmbeddedBroker live) throws Exception {
        ReplicaFollower f = ReplicaFollower.start(replication(live.replication().port(), 0),
                config(name).journalDirectory(), SyncPolicy.DATA, null, name);
        open.add(f);
        return f;
    }

    private static void send(EmbeddedBroker broker, String prefix, int count) throws JMSException {
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(prefix + i + "-" + "z".repeat(200)));
            }
        }
    }

    private static List<String> drain(EmbeddedBroker broker) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("q"));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(((TextMessage) m).getText().split("-z")[0]);
            }
        }
        return texts;
    }

    private static void awaitCaughtUp(ReplicaFollower f, EmbeddedBroker live) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> f.acknowledgedPosition() == live.replication().published());
    }

    private void close(AutoCloseable c) throws Exception {
        c.close();
        open.remove(c);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLiveBrokerMetByABackupOfANewerEpochFencesItself() throws Exception {
        EmbeddedBroker stale = live("x", 3);
        EpochHistory.empty().with(5, 0).save(config("y").journalDirectory());
        ReplicaFollower newer = follow("y", stale);
        await().atMost(Duration.ofSeconds(10)).until(() -> stale.replication().isFenced());
        assertThat(stale.replication().refusal()).contains("a backup has seen epoch 5, newer than this live broker's 3");
        assertThat(newer.acknowledgedPosition()).isZero();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFormerLiveBrokerDropsTheTailTheNewLiveBrokerNeverHad() throws Exception {
        EmbeddedBroker x = live("x", 1);
        ReplicaFollower y = follow("y", x);
        send(x, "m-", 50);
        awaitCaughtUp(y, x);
        close(y);                 // the link is down...
        send(x, "tail-", 5);      // ...and x answers these (async): y never gets them
        close(x);                 // x goes away; y is elected at epoch 2

        EmbeddedBroker newLive = live("y", 2);
        send(newLive, "n-", 100); // more than x's tail: x's own end lies inside what y wrote since
        ReplicaFollower formerLive = follow("x", newLive);
        awaitCaughtUp(formerLive, newLive);
        close(formerLive);
        close(newLive);
        // every frame each side holds carries the epoch its history gives that position: epoch 1's, then epoch 2's
        for (String side : List.of("x", "y")) {
            Path journal = config(side).journalDirectory();
            EpochHistory history = EpochHistory.load(journal);
            Map<Long, Short> stamps = stamps(journal);
            assertThat(stamps.values()).as(side)
                    .contains(RecordDescriptor.epochStamp(1), RecordDescriptor.epochStamp(2));
            stamps.forEach((position, stamp) -> assertThat(stamp).as("%s: the frame at %s", side,
                    ReplicationDescriptor.describe(position)).isEqualTo(RecordDescriptor.epochStamp(
                            history.epochAt(position))));
        }

        EmbeddedBroker onX = EmbeddedBroker.start(config("x"));
        open.add(onX);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m-" + i);
        }
        for (int i = 0; i < 100; i++) {
            expected.add("n-" + i);
        }
        assertThat(drain(onX)).isEqualTo(expected);
        assertThat(EpochHistory.load(config("x").journalDirectory()).lastEpoch()).isEqualTo(2);
    }

    /** The epoch stamp of every valid frame of the journal in {@code directory}, by packed position. */
    private static Map<Long, Short> stamps(Path directory) throws java.io.IOException {
        Map<Long, Short> stamps = new TreeMap<>();
        for (long sequence : JournalReplica.segmentSequences(directory)) {
            ByteBuffer b = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(
                    directory.resolve(String.format("%010d.seg", sequence)))).order(ByteOrder.LITTLE_ENDIAN);
            int at = SegmentDescriptor.HEADER_LENGTH;
            while (at + RecordDescriptor.HEADER_LENGTH <= b.limit()) {
                int length = b.getInt(at + RecordDescriptor.LENGTH_OFFSET);
                if (length < RecordDescriptor.HEADER_LENGTH || at + length > b.limit()
                        || b.getInt(at + RecordDescriptor.CRC_OFFSET) != RecordDescriptor.crc(b, at, length)) {
                    break;
                }
                stamps.put(JournalReplica.pack(sequence, at), RecordDescriptor.epochStampAt(b, at));
                at += RecordDescriptor.aligned(length);
            }
        }
        return stamps;
    }
}
