package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.file.SegmentFile;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SegmentPoolTest {

    private static final int SEGMENT_SIZE = 1 << 20;

    @TempDir
    Path dir;

    /**
     * Many segments removed at once (the chunks of a large message acknowledged) must not all stay as free
     * files: files still being zeroed count against the pool's size. Before, every one of them was kept.
     */
    @Test
    void aMassRecycleKeepsNoMoreThanThePoolSize() throws Exception {
        try (SegmentPool pool = new SegmentPool(dir, SEGMENT_SIZE, 2, path -> {
            throw new UnsupportedOperationException();
        })) {
            for (int i = 0; i < 6; i++) {
                Path segment = dir.resolve(SegmentPool.segmentName(i + 1));
                SegmentFile.preallocate(segment, SEGMENT_SIZE);
                pool.recycle(segment);
            }
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> count(".tmp") == 0);
            assertThat(count(".free")).isEqualTo(2);
            assertThat(count(".seg")).isZero();
        }
    }

    private long count(String suffix) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
