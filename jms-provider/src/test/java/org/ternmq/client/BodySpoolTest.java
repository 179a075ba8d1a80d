package org.ternmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.protocol.ErrorCode;

class BodySpoolTest {

    @TempDir
    Path dir;

    private static byte[] body(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 7 + i / 251);
        }
        return b;
    }

    /** Counts what is read from the application's stream. */
    private static final class Source extends ByteArrayInputStream {
        long read;

        Source(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(0, n);
            return n;
        }
    }

    @Test
    void aReplayAfterAnUploadCutShortGivesTheWholeBodyAndReadsTheSourceOnce() throws Exception {
        byte[] body = body(300_000);
        Source source = new Source(body);
        try (BodySpool spool = BodySpool.open(source, dir)) {
            byte[] first = spool.replay().readNBytes(70_001); // an upload cut after a few chunks
            assertThat(Arrays.equals(first, Arrays.copyOf(body, 70_001))).isTrue();
            assertThat(source.read).as("read from the application, no further than asked").isEqualTo(70_001);

            byte[] second = spool.replay().readAllBytes();
            assertThat(Arrays.equals(second, body)).as("the second upload, from the first byte").isTrue();
            byte[] third = spool.replay().readAllBytes();
            assertThat(Arrays.equals(third, body)).as("a third, all from the copy").isTrue();
            assertThat(source.read).as("each byte read from the application once").isEqualTo(body.length);
            assertThat(spool.kept()).isEqualTo(body.length);

            InputStream single = spool.replay();
            assertThat(single.read()).isEqualTo(body[0] & 0xFF);
            assertThat(single.read(new byte[0], 0, 0)).isZero();
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing left in the directory").isEmpty();
        }
    }

    @Test
    void anEmptyBodyReplaysEmpty() throws Exception {
        try (BodySpool spool = BodySpool.open(new ByteArrayInputStream(new byte[0]), dir)) {
            assertThat(spool.replay().read()).isEqualTo(-1);
            assertThat(spool.replay().readAllBytes()).isEmpty();
        }
    }

    @Test
    void aDirectoryThatCannotHoldTheCopyIsRefusedNamingTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> BodySpool.open(new ByteArrayInputStream(body(10)), file))
                .isInstanceOfSatisfying(ClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_ALLOCATION))
                .hasMessageContaining(file.toString()).hasMessageContaining("spoolDirectory");
    }

    @Test
    void aFailingSourceIsReportedAndWhatWasKeptStillReplays() throws Exception {
        byte[] body = body(1000);
        InputStream failing = new InputStream() {
            private int position;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position >= 500) {
                    throw new IOException("the application's disk went away");
                }
                int n = Math.min(len, 500 - position);
                System.arraycopy(body, position, b, off, n);
                position += n;
                return n;
            }
        };
        try (BodySpool spool = BodySpool.open(failing, dir)) {
            InputStream first = spool.replay();
            assertThat(first.readNBytes(500)).hasSize(500);
            assertThatThrownBy(() -> first.read(new byte[10], 0, 10)).isInstanceOf(IOException.class)
                    .hasMessageContaining("disk went away");
            assertThat(Arrays.equals(spool.replay().readNBytes(500), Arrays.copyOf(body, 500))).isTrue();
        }
    }
}
