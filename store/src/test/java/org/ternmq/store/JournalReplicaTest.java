package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.format.SegmentDescriptor;

class JournalReplicaTest {

    private static final int SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    private static JournalConfig config(Path d) {
        return JournalConfig.builder(d).set(JournalConfig.SEGMENT_SIZE, SEGMENT).set(JournalConfig.MAX_PAYLOAD_SIZE, 16 << 10).build();
    }

    private static Map<Long, String> recover(Path d) throws IOException {
        Map<Long, String> records = new HashMap<>();
        try (Journal j = Journal.open(config(d), new RecoveryListener() {
            @Override
            public void onRecord(long id, byte userType, ByteBuffer payload) {
                records.put(id, StandardCharsets.UTF_8.decode(payload).toString());
            }
        })) {
            return records;
        }
    }

    @Test
    void aReplicaFedEveryBatchRecoversToTheLiveJournalsState() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        Map<Long, String> expected = new HashMap<>();
        try (JournalReplica replica = JournalReplica.open(backup, SEGMENT)) {
            ReplicationListener ship = (segment, position, frames) -> {
                try {
                    replica.write(segment, position, frames);
                    replica.force();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            try (Journal journal = Journal.open(config(live), new RecoveryListener() {
                @Override
                public void onRecord(long id, byte userType, ByteBuffer payload) {
                }
            }, ship)) {
                for (int i = 0; i < 1000; i++) { // several segments, with deletes so some get reclaimed
                    long id = journal.nextId();
                    String body = "record-" + i + "-" + "x".repeat(i % 600);
                    journal.add(id, (byte) 1, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), i % 50 == 0).join();
                    expected.put(id, body);
                    if (i % 3 == 0) {
                        journal.delete(id, false).join();
                        expected.remove(id);
                    }
                }
            }
            assertThat(replica.position()).isNotZero();
        }
        assertThat(JournalReplica.segmentSequences(backup).size()).isGreaterThan(2);
        assertThat(recover(backup)).isEqualTo(expected);
    }

    /**
     * The live journal's removals reach the replica in order with the frames: the replica holds no more segments
     * than the live journal (the one being written aside), and recovers to its state, including records written at
     * the start and relocated by compaction since.
     */
    @Test
    void aReplicaToldOfEveryRemovalKeepsNoMoreSegmentsThanTheLiveJournal() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        Map<Long, String> expected = new HashMap<>();
        int liveSegments;
        try (JournalReplica replica = JournalReplica.open(backup, SEGMENT)) {
            ReplicationListener ship = new ReplicationListener() {
                @Override
                public void onBatch(long segment, int position, ByteBuffer frames) {
                    try {
                        replica.write(segment, position, frames);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public void onSegmentsRemoved(long oldestKept) {
                    try {
                        replica.reclaim(oldestKept);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            try (Journal journal = Journal.open(config(live), new RecoveryListener() {
                @Override
                public void onRecord(long id, byte userType, ByteBuffer payload) {
                }
            }, ship)) {
                for (int i = 0; i < 3000; i++) {
                    long id = journal.nextId();
                    String body = "record-" + i + "-" + "x".repeat(i % 600);
                    journal.add(id, (byte) 1, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), false).join();
                    if (i % 100 == 0) {
                        expected.put(id, body); // kept for good: compaction must move it along
                    } else {
                        journal.delete(id, false).join();
                    }
                }
                liveSegments = JournalReplica.segmentSequences(live).size();
                assertThat(replica.segmentCount()).isLessThanOrEqualTo(liveSegments + 1);
                assertThat(replica.oldestSequence()).isGreaterThan(1);
            }
        }
        assertThat(liveSegments).isLessThan(5);
        assertThat(recover(backup)).isEqualTo(expected);
    }

    @Test
    void truncateDropsTheTailAfterAPositionAndTheReplicaContinuesFromThere() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        Map<Long, String> expected = new HashMap<>();
        long cut;
        try (JournalReplica replica = JournalReplica.open(backup, SEGMENT)) {
            ReplicationListener ship = (segment, position, frames) -> {
                try {
                    replica.write(segment, position, frames);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            long[] at = new long[1];
            try (Journal journal = Journal.open(config(live), new RecoveryListener() {
                @Override
                public void onRecord(long id, byte userType, ByteBuffer payload) {
                }
            }, ship)) {
                for (int i = 0; i < 400; i++) {
                    long id = journal.nextId();
                    String body = "record-" + i + "-" + "y".repeat(500);
                    journal.add(id, (byte) 1, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), true).join();
                    if (i < 150) {
                        expected.put(id, body);
                        at[0] = replica.position();
                    }
                }
            }
            cut = at[0];
            assertThat(JournalReplica.sequenceOf(replica.position())).isGreaterThan(JournalReplica.sequenceOf(cut));
            replica.truncate(cut);
            assertThat(replica.position()).isEqualTo(cut);
        }
        try (JournalReplica reopened = JournalReplica.open(backup, SEGMENT)) {
            assertThat(reopened.position()).isEqualTo(cut);
        }
        assertThat(recover(backup)).isEqualTo(expected);
    }

    @Test
    void truncateToNothingEmptiesTheReplica() throws Exception {
        try (JournalReplica replica = JournalReplica.open(dir, SEGMENT)) {
            ByteBuffer frames = ByteBuffer.allocate(0);
            replica.write(1, SegmentDescriptor.HEADER_LENGTH, frames);
            replica.truncate(0);
            assertThat(replica.position()).isZero();
            assertThat(JournalReplica.segmentSequences(dir)).isEmpty();
        }
    }

    @Test
    void framesThatLeaveAGapAreRefusedAndTheReplicaReopensAtItsEnd() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        long end;
        try (JournalReplica replica = JournalReplica.open(backup, SEGMENT)) {
            try (Journal journal = Journal.open(config(live), new RecoveryListener() {
                @Override
                public void onRecord(long id, byte userType, ByteBuffer payload) {
                }
            }, (segment, position, frames) -> {
                try {
                    replica.write(segment, position, frames);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            })) {
                journal.add(journal.nextId(), (byte) 1, ByteBuffer.wrap(new byte[100]), true).join();
            }
            end = replica.position();
            long segment = JournalReplica.sequenceOf(end);
            assertThatThrownBy(() -> replica.write(segment, JournalReplica.positionOf(end) + 8, ByteBuffer.allocate(32)))
                    .isInstanceOf(ReplicaGapException.class).hasMessageContaining("leave a gap");
            assertThatThrownBy(() -> replica.write(segment + 1, SegmentDescriptor.HEADER_LENGTH + 8, ByteBuffer.allocate(32)))
                    .isInstanceOf(ReplicaGapException.class);
            replica.force();
        }
        try (JournalReplica again = JournalReplica.open(backup, SEGMENT)) {
            assertThat(again.position()).isEqualTo(end);
        }
    }

    @Test
    void aJournalAndAReplicaNeverShareADirectory() throws Exception {
        try (JournalReplica replica = JournalReplica.open(dir, SEGMENT)) {
            assertThatThrownBy(() -> Journal.open(config(dir), new RecoveryListener() {
                @Override
                public void onRecord(long id, byte userType, ByteBuffer payload) {
                }
            })).isInstanceOf(JournalLockedException.class);
            assertThatThrownBy(() -> JournalReplica.open(dir, SEGMENT)).isInstanceOf(JournalLockedException.class);
        }
    }
}
