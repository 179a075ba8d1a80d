package org.ternmq.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link SegmentFile#writeZeros}: a recycled segment's old bytes are all gone, whatever its size. */
class WriteZerosTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void overwritesEveryByteOfAFileThatIsNotAWholeNumberOfChunks(boolean paced) throws IOException {
        int size = 2 * SegmentFile.ZERO_CHUNK + 12_345;
        byte[] old = new byte[size];
        Arrays.fill(old, (byte) 0x5A);
        Path p = Files.write(dir.resolve("old.seg"), old);

        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            SegmentFile.writeZeros(ch, ch.size(), paced);
        }

        byte[] now = Files.readAllBytes(p);
        assertThat(now).hasSize(size);
        assertThat(now).containsOnly(0);
    }

    @Test
    void preallocatesAFileSmallerThanAChunk() throws IOException {
        Path p = dir.resolve("small.seg");
        SegmentFile.preallocate(p, 4096, true);
        assertThat(Files.readAllBytes(p)).hasSize(4096).containsOnly(0);
    }
}
