package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.format.RecordDescriptor;
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

    private static JournalConfig config(Path d, long epoch) {
        return JournalConfig.builder(d).set(JournalConfig.SEGMENT_SIZE, SEGMENT)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 16 << 10).set(JournalConfig.EPOCH, epoch).build();
    }

    /** The epoch stamp and the id of every frame in {@code frames} (whole frames, as shipped). */
    private static List<long[]> stampsAndIds(ByteBuffer frames) {
        ByteBuffer b = frames.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> out = new ArrayList<>();
        for (int at = b.position(); at + RecordDescriptor.HEADER_LENGTH <= b.limit(); ) {
            int length = b.getInt(at + RecordDescriptor.LENGTH_OFFSET);
            if (length < RecordDescriptor.HEADER_LENGTH) {
                break;
            }
            out.add(new long[] {RecordDescriptor.epochStampAt(b, at), b.getLong(at + RecordDescriptor.ID_OFFSET)});
            at += RecordDescriptor.aligned(length);
        }
        return out;
    }

    @Test
    void epochStampsAreTheLow15BitsWithTheTopBitSetAndZeroForNoEpoch() {
        assertThat(RecordDescriptor.epochStamp(0)).isZero();
        assertThat(RecordDescriptor.epochStamp(1)).isEqualTo((short) 0x8001);
        assertThat(RecordDescriptor.epochStamp(32_767)).isEqualTo((short) 0xFFFF);
        assertThat(RecordDescriptor.epochStamp(32_768)).isEqualTo((short) 0x8000);
        assertThat(RecordDescriptor.epochStamp(32_769)).isEqualTo((short) 0x8001);
        assertThatThrownBy(() -> RecordDescriptor.epochStamp(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JournalConfig.builder(dir).set(JournalConfig.EPOCH, -2L).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
    }

    /**
     * Every frame a journal writes carries the epoch it was opened with: records, control frames, and copies that
     * compaction relocates out of segments an earlier epoch wrote (the copy is this epoch's write, at this epoch's
     * positions).
     */
    @Test
    void everyFrameCarriesTheEpochOfTheJournalThatWroteItCompactedCopiesToo() throws Exception {
        Path live = dir.resolve("live");
        Map<Long, String> expected = new HashMap<>();
        RecoveryListener ignore = new RecoveryListener() {
            @Override
            public void onRecord(long id, byte userType, ByteBuffer payload) {
            }
        };
        List<long[]> first = new ArrayList<>();
        try (Journal journal = Journal.open(config(live, 3), ignore, (segment, position, frames) ->
                first.addAll(stampsAndIds(frames)))) {
            for (int i = 0; i < 30; i++) {
                long id = journal.nextId();
                String body = "kept-" + i + "-" + "k".repeat(500);
                journal.add(id, (byte) 1, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), false).join();
                expected.put(id, body);
            }
        }
        assertThat(first).isNotEmpty().allSatisfy(f -> assertThat((short) f[0]).isEqualTo((short) 0x8003));
        List<long[]> second = new ArrayList<>();
        try (Journal journal = Journal.open(config(live, 4), ignore, (segment, position, frames) ->
                second.addAll(stampsAndIds(frames)))) {
            for (int i = 0; i < 3000; i++) {
                long id = journal.nextId();
                journal.add(id, (byte) 1, ByteBuffer.wrap(new byte[400]), false).join();
                journal.delete(id, false).join();
            }
        }
        Set<Long> relocated = new HashSet<>();
        for (long[] f : second) {
            assertThat((short) f[0]).as("stamp of the frame of id %d written at epoch 4", f[1])
                    .isEqualTo((short) 0x8004);
            if (expected.containsKey(f[1])) {
                relocated.add(f[1]);
            }
        }
        assertThat(relocated).as("records of epoch 3 relocated by compaction at epoch 4").isNotEmpty();
        assertThat(recover(live)).isEqualTo(expected);
    }

    /**
     * A replica takes a frame only at a position the given epoch ranges say its epoch wrote; an unstamped frame (no
     * epoch) anywhere, and anything when the ranges are unknown.
     */
    @Test
    void framesStampedByAnotherEpochThanTheRangesSayAreRefusedAndNothingIsWritten() throws Exception {
        Path live = dir.resolve("live");
        List<Object[]> batches = new ArrayList<>();
        try (Journal journal = Journal.open(config(live, 5), new RecoveryListener() {
            @Override
            public void onRecord(long id, byte userType, ByteBuffer payload) {
            }
        }, (segment, position, frames) -> {
            ByteBuffer copy = ByteBuffer.allocate(frames.remaining());
            copy.put(frames.duplicate()).flip();
            batches.add(new Object[] {segment, position, copy});
        })) {
            for (int i = 0; i < 5; i++) {
                journal.add(journal.nextId(), (byte) 1, ByteBuffer.wrap(new byte[100]), true).join();
            }
        }
        // the batches, however the appender cut them, continue each other in one segment: one run of frames
        long segment = (Long) batches.get(0)[0];
        int position = (Integer) batches.get(0)[1];
        ByteBuffer frames = ByteBuffer.allocate(batches.stream().mapToInt(b -> ((ByteBuffer) b[2]).remaining()).sum());
        for (Object[] b : batches) {
            assertThat((Long) b[0]).isEqualTo(segment);
            assertThat((Integer) b[1]).isEqualTo(position + frames.position());
            frames.put(((ByteBuffer) b[2]).duplicate());
        }
        frames.flip();
        try (JournalReplica replica = JournalReplica.open(dir.resolve("backup"), SEGMENT)) {
            assertThatThrownBy(() -> replica.write(segment, position, frames.duplicate(), at -> 7))
                    .isInstanceOf(ReplicaEpochException.class)
                    .hasMessageContaining("carries epoch stamp 5")
                    .hasMessageContaining("says epoch 7 wrote that position");
            // the second range starts at the second frame: the first frame still fits, the second does not
            int firstLength = RecordDescriptor.aligned(frames.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0));
            long secondFrame = JournalReplica.pack(segment, position + firstLength);
            assertThatThrownBy(() -> replica.write(segment, position, frames.duplicate(),
                    at -> at < secondFrame ? 5 : 6)).isInstanceOf(ReplicaEpochException.class)
                    .hasMessageContaining("offset " + (position + firstLength));
            assertThat(replica.position()).isZero();
            replica.write(segment, position, frames.duplicate(), at -> JournalReplica.EpochRanges.UNKNOWN);
            assertThat(replica.position()).isNotZero();
        }
        try (JournalReplica replica = JournalReplica.open(dir.resolve("backup2"), SEGMENT)) {
            for (Object[] b : batches) {
                replica.write((Long) b[0], (Integer) b[1], ((ByteBuffer) b[2]).duplicate(), at -> 5);
            }
            replica.force();
        }
        assertThat(recover(dir.resolve("backup2"))).hasSize(5);
        // frames of a journal without an epoch carry no stamp and are taken whatever the ranges say
        Path plain = dir.resolve("plain");
        try (JournalReplica replica = JournalReplica.open(dir.resolve("backup3"), SEGMENT);
                Journal journal = Journal.open(config(plain, 0), new RecoveryListener() {
                    @Override
                    public void onRecord(long id, byte userType, ByteBuffer payload) {
                    }
                }, (seg, pos, f) -> {
                    try {
                        replica.write(seg, pos, f, at -> 9);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })) {
            journal.add(journal.nextId(), (byte) 1, ByteBuffer.wrap(new byte[100]), true).join();
            assertThat(replica.position()).isNotZero();
        }
    }
}
