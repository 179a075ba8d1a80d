package org.ternmq.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.ternmq.protocol.ErrorCode;

/**
 * A large message's body that the application streams ({@code JMS_TERN_InputStream}), kept in a temporary file as
 * it is read, so that an upload a failover cut short can start again from the first byte: the application's stream
 * is read once, and never further than an upload has asked for. The file (readable by its owner only) is deleted
 * when the spool is closed; on Linux the JDK unlinks it as soon as it is open, so it goes with a JVM that dies too.
 *
 * <p>Used by one sending thread at a time; {@link #replay} streams are read one after the other, never at once.
 */
final class BodySpool implements AutoCloseable {
    private final InputStream source;
    private final Path directory;
    private final FileChannel file;
    /** Bytes read from the source, all of them in the file. */
    private long kept;
    private boolean sourceEnded;

    private BodySpool(InputStream source, Path directory, FileChannel file) {
        this.source = source;
        this.directory = directory;
        this.file = file;
    }

    /** A spool of {@code source} in a new file of {@code directory}; a directory it cannot write to is refused. */
    static BodySpool open(InputStream source, Path directory) throws ClientException {
        try {
            Path path = Files.createTempFile(directory, "tern-body-", ".spool");
            FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            return new BodySpool(source, directory, file);
        } catch (IOException | RuntimeException e) {
            throw new ClientException(ErrorCode.RESOURCE_ALLOCATION, "cannot keep a copy of a streamed message body"
                    + " (needed to send it again after a failover) in " + directory + ": " + e
                    + " (connection URL option spoolDirectory)", e);
        }
    }

    /** The body from its first byte: what was read before from the file, then the rest of the application's stream. */
    InputStream replay() {
        return new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (position < kept) {
                    int n = file.read(ByteBuffer.wrap(b, off, (int) Math.min(len, kept - position)), position);
                    if (n < 0) {
                        throw new IOException("the copy of the streamed body in " + directory + " ends at " + position
                                + " bytes, before the " + kept + " written to it");
                    }
                    position += n;
                    return n;
                }
                if (sourceEnded) {
                    return -1;
                }
                int n = source.read(b, off, len);
                if (n < 0) {
                    sourceEnded = true;
                    return -1;
                }
                keep(ByteBuffer.wrap(b, off, n));
                position += n;
                return n;
            }
        };
    }

    private void keep(ByteBuffer bytes) throws IOException {
        try {
            while (bytes.hasRemaining()) {
                kept += file.write(bytes, kept);
            }
        } catch (IOException e) {
            throw new IOException("cannot keep a copy of the streamed body (needed to send it again after a failover)"
                    + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of the body read from the application so far. */
    long kept() {
        return kept;
    }

    /** Deletes the file; the application's stream is the application's to close. */
    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            // nothing else to do with a file that cannot be closed: it is deleted already or with the JVM
        }
    }
}
