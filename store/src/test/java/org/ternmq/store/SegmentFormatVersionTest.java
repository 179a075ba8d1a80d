package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.payload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * Format versions: segments of version 1 (before ID_BLOCK frames) are read, and a version-1 head is ended at
 * open so new frames only go into version-2 segments, which a version-1 reader refuses instead of taking
 * an ID_BLOCK frame for damage; a version newer than this build's is refused with a message naming it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SegmentFormatVersionTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder(dir).set(JournalConfig.SEGMENT_SIZE, 64 << 10)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10).build();
    }

    private List<Path> segments() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
    }

    /** Rewrites a segment header's version, with a matching header CRC, as an older or newer build would have. */
    private static void setVersion(Path segment, int version) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            h.putInt(SegmentDescriptor.VERSION_OFFSET, version);
            CRC32C crc = new CRC32C();
            crc.update(h.duplicate().position(0).limit(SegmentDescriptor.CRC_OFFSET));
            h.putInt(SegmentDescriptor.CRC_OFFSET, (int) crc.getValue());
            ch.write(h.flip(), 0);
        }
    }

    private static int version(Path segment) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer h = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(h, 0);
            return SegmentDescriptor.version(h.flip());
        }
    }

    @Test
    void aVersionOneHeadIsReadThenEndedAndNewFramesGoToAVersionTwoSegment() throws IOException {
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            j.add(5, (byte) 1, payload(5, 0, 300), true).join();
        }
        Path old = segments().get(0);
        setVersion(old, 1);

        long next;
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            next = j.nextId();
            assertThat(next).isGreaterThan(5);
            j.add(next, (byte) 1, payload(next, 0, 300), true).join();
        }
        List<Path> after = segments();
        assertThat(after).hasSize(2).startsWith(old);
        assertThat(version(old)).isEqualTo(1);
        assertThat(version(after.get(1))).isEqualTo(SegmentDescriptor.VERSION);

        TestRecords.Collected c = new TestRecords.Collected();
        Journal.open(config(), c).close();
        assertThat(c.records.keySet()).containsExactly(5L, next);
        assertThat(c.records.get(5L)).isEqualTo(bytes(5, 0, 300));
        assertThat(segments()).as("the version-1 segment ended: no third segment at the next open").hasSize(2);
    }

    @Test
    void aNewerVersionIsRefusedWithoutTouchingTheFile() throws IOException {
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            j.add(1, (byte) 1, payload(1, 0, 100), true).join();
        }
        Path segment = segments().get(0);
        setVersion(segment, SegmentDescriptor.VERSION + 1);
        byte[] before = Files.readAllBytes(segment);
        assertThatThrownBy(() -> Journal.open(config(), RecoveryListener.IGNORE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version " + (SegmentDescriptor.VERSION + 1))
                .hasMessageContaining("reads versions 1 to " + SegmentDescriptor.VERSION);
        assertThat(Files.readAllBytes(segment)).isEqualTo(before);
    }
}
