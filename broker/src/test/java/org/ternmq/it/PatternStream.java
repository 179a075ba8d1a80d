package org.ternmq.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/** A body of a given size generated on the fly, and a sink that checks one, so no test holds a body whole. */
public class PatternStream extends InputStream {

    private final long size;
    private long position;
    private final long failAt;

    /** @param failAt the position at which reading throws, or -1 */
    public PatternStream(long size, long failAt) {
        this.size = size;
        this.failAt = failAt;
    }

    public PatternStream(long size) {
        this(size, -1);
    }

    static int byteAt(long i) {
        return (int) ((i * 31 + (i >>> 11)) & 0xFF);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failAt >= 0 && position >= failAt) {
            throw new IOException("disk unplugged at byte " + position);
        }
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - position);
        if (failAt >= 0) {
            n = (int) Math.min(n, failAt - position);
        }
        for (int k = 0; k < n; k++) {
            b[off + k] = (byte) byteAt(position + k);
        }
        position += n;
        return n;
    }

    /** Checks what is written against the pattern; counts bytes; keeps a CRC32 too. */
    public static final class Check extends OutputStream {
        public long count;
        public long firstMismatch = -1;
        final CRC32 crc = new CRC32();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int k = 0; k < len; k++) {
                if (firstMismatch < 0 && (b[off + k] & 0xFF) != byteAt(count + k)) {
                    firstMismatch = count + k;
                }
            }
            crc.update(b, off, len);
            count += len;
        }

        /** Asserts that exactly the first {@code size} bytes of the pattern were written here. */
        public void assertPattern(long size) {
            org.assertj.core.api.Assertions.assertThat(count).as("bytes written").isEqualTo(size);
            org.assertj.core.api.Assertions.assertThat(firstMismatch).as("first byte that differs from the pattern")
                    .isEqualTo(-1L);
        }
    }

    /** A {@code BytesMessage} of {@code session} whose body is the first {@code size} bytes of the pattern, streamed. */
    public static jakarta.jms.BytesMessage message(jakarta.jms.Session session, long size) throws jakarta.jms.JMSException {
        jakarta.jms.BytesMessage m = session.createBytesMessage();
        m.setObjectProperty("JMS_TERN_InputStream", new PatternStream(size));
        return m;
    }

    /** The CRC32 of the first {@code size} bytes of the pattern. */
    static long crcOf(long size) throws IOException {
        Check c = new Check();
        new PatternStream(size).transferTo(c);
        return c.crc.getValue();
    }
}
