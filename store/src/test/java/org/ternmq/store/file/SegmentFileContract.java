package org.ternmq.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link SegmentFile} implementation must do; subclasses pick the implementation. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class SegmentFileContract {
    static final int CAPACITY = 1 << 16;

    @TempDir
    Path dir;

    abstract SegmentFile open(Path path) throws IOException;

    Path preallocated() throws IOException {
        Path p = dir.resolve("s.seg");
        SegmentFile.preallocate(p, CAPACITY);
        return p;
    }

    @Test
    void preallocatedFileIsAllZerosAndFullSize() throws IOException {
        Path p = preallocated();
        assertThat(Files.size(p)).isEqualTo(CAPACITY);
        assertThat(Files.readAllBytes(p)).containsOnly(0);
        assertThat(SegmentFile.hasCapacity(p, CAPACITY)).isTrue();
    }

    @Test
    void writtenBytesReadBackAndSurviveReopen() throws IOException {
        Path p = preallocated();
        ByteBuffer src = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 100; i++) {
            src.put(i, (byte) (i + 1));
        }
        src.putInt(0, 0x01020304);
        src.position(0);
        try (SegmentFile f = open(p)) {
            assertThat(f.capacity()).isEqualTo(CAPACITY);
            f.write(64, src);
            assertThat(src.position()).isZero();
            f.force(false);
            assertThat(f.readInt(64)).isEqualTo(0x01020304);
            ByteBuffer dst = ByteBuffer.allocate(100);
            f.read(64, dst);
            assertThat(dst.position()).isEqualTo(100);
            assertThat(dst.array()).isEqualTo(src.array());
        }
        try (SegmentFile f = open(p)) {
            ByteBuffer dst = ByteBuffer.allocateDirect(100);
            f.read(64, dst);
            assertThat(dst.flip()).isEqualTo(src.duplicate().position(0));
            f.force(true);
        }
        byte[] onDisk = Files.readAllBytes(p);
        assertThat(onDisk[64 + 4]).isEqualTo((byte) 5);
    }

    @Test
    void accessOutsideTheFileIsRefused() throws IOException {
        try (SegmentFile f = open(preallocated())) {
            assertThatThrownBy(() -> f.write(CAPACITY - 2, ByteBuffer.allocate(4))).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> f.read(-1, ByteBuffer.allocate(4))).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> f.readInt(CAPACITY - 3)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void concurrentReadersSeeWrittenBytes() throws Exception {
        try (SegmentFile f = open(preallocated())) {
            for (int block = 0; block < 64; block++) {
                ByteBuffer b = ByteBuffer.allocate(1024);
                for (int i = 0; i < 1024; i++) {
                    b.put(i, (byte) block);
                }
                f.write(block * 1024, b);
            }
            ExecutorService readers = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int r = 0; r < 4; r++) {
                    results.add(readers.submit(() -> {
                        ByteBuffer dst = ByteBuffer.allocate(1024);
                        for (int n = 0; n < 2000; n++) {
                            int block = n % 64;
                            dst.clear();
                            f.read(block * 1024, dst);
                            for (int i = 0; i < 1024; i++) {
                                if (dst.get(i) != (byte) block) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> result : results) {
                    assertThat(result.get()).isTrue();
                }
            } finally {
                readers.shutdown();
            }
        }
    }
}
