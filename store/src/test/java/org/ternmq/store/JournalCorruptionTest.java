package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.payload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;

/**
 * Damages a closed journal at a random offset inside a random record (garbage bytes, or a torn write
 * that zeroes everything after the offset in that segment), reopens it and checks that exactly the
 * records before the damaged one survive, with their payloads, and that the journal then works.
 */
class JournalCorruptionTest {
    @TempDir
    Path dir;

    /** A record frame as the replication hook saw it. */
    private record Frame(long id, long segment, int position, int length) {
    }

    static Stream<Arguments> shortCases() {
        return cases(12);
    }

    static Stream<Arguments> longCases() {
        return cases(300).skip(24);
    }

    private static Stream<Arguments> cases(int seeds) {
        List<Arguments> args = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            args.add(Arguments.of(seed, IoMode.values()[seed % 2], seed % 3 == 0));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "seed {0} on {1}, torn={2}")
    @MethodSource("shortCases")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void exactlyTheEarlierRecordsSurvive(int seed, IoMode mode, boolean torn) throws IOException {
        check(seed, mode, torn);
    }

    @ParameterizedTest(name = "seed {0} on {1}, torn={2}")
    @MethodSource("longCases")
    @Tag("soak")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void exactlyTheEarlierRecordsSurviveLong(int seed, IoMode mode, boolean torn) throws IOException {
        check(seed, mode, torn);
    }

    private void check(int seed, IoMode mode, boolean torn) throws IOException {
        Random random = new Random(seed);
        JournalConfig config = JournalConfig.builder(dir)
                .set(JournalConfig.IO_MODE, mode)
                .set(JournalConfig.SEGMENT_SIZE, 64 << 10)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                .build();
        List<Frame> frames = new ArrayList<>();
        ReplicationListener hook = (segment, position, bytes) -> {
            for (int at = 0; at < bytes.remaining(); ) {
                int length = bytes.getInt(at);
                byte type = bytes.get(at + RecordDescriptor.TYPE_OFFSET);
                if (type != RecordType.END_OF_SEGMENT.code() && type != RecordType.ID_BLOCK.code()) {
                    frames.add(new Frame(bytes.getLong(at + RecordDescriptor.ID_OFFSET), segment, position + at, length));
                }
                at += RecordDescriptor.aligned(length);
            }
        };
        int count = 50 + random.nextInt(250);
        try (Journal j = Journal.open(config, RecoveryListener.IGNORE, hook)) {
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int id = 0; id < count; id++) {
                fs.add(j.add(id, (byte) 0, payload(id, 0, random.nextInt(3000)), random.nextBoolean()));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
        }
        assertThat(frames).hasSize(count);

        Frame victim = frames.get(random.nextInt(count));
        int offset = victim.position + random.nextInt(victim.length);
        Path file = dir.resolve(SegmentPool.segmentName(victim.segment));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (torn) {
                ByteBuffer zeros = ByteBuffer.allocate((int) ch.size() - offset);
                ch.write(zeros, offset);
            } else {
                int n = Math.min(1 + random.nextInt(16), victim.position + victim.length - offset);
                ByteBuffer b = ByteBuffer.allocate(n);
                ch.read(b, offset);
                for (int i = 0; i < n; i++) {
                    b.put(i, (byte) (b.get(i) ^ (1 + random.nextInt(255))));
                }
                ch.write(b.flip(), offset);
            }
        }

        TestRecords.Collected c = new TestRecords.Collected();
        try (Journal j = Journal.open(config, c)) {
            assertThat(c.duplicates).isZero();
            List<Long> expected = frames.stream().filter(f -> f.id < victim.id).map(Frame::id).toList();
            assertThat(c.records.keySet()).as("survivors after damage to record %d", victim.id)
                    .containsExactlyInAnyOrderElementsOf(expected);
            for (long id : expected) {
                assertThat(c.records.get(id)).isEqualTo(bytes(id, 0, c.records.get(id).length));
            }
            j.add(100_000, (byte) 0, payload(100_000, 0, 2000), true).join();
            j.add(100_001, (byte) 0, payload(100_001, 0, 20), true).join();
        }
        TestRecords.Collected after = new TestRecords.Collected();
        Journal.open(config, after).close();
        assertThat(after.records).hasSize((int) victim.id + 2).containsKeys(100_000L, 100_001L);
    }
}
