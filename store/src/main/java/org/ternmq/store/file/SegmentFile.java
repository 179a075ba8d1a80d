package org.ternmq.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One preallocated, fixed-size segment file, seen as bytes at absolute positions.
 *
 * <p>Threads: {@link #write}, {@link #force} and {@link #close} are called by one thread (the journal's
 * appender); {@link #read} may be called by any number of threads at the same time as each other and
 * as writes to other positions. Closing while a read runs is the caller's business to prevent.
 *
 * <p>Two implementations share one contract test: {@link MappedSegmentFile} writes into a memory
 * mapping, {@link ChannelSegmentFile} writes with positional {@link FileChannel} calls.
 */
public interface SegmentFile extends AutoCloseable {

    /** Size of the file in bytes; positions run from 0 to {@code capacity() - 1}. */
    int capacity();

    /**
     * Writes all remaining bytes of {@code src} at {@code position} (src's position is not changed).
     * When {@code src} holds at least 4 bytes, its first 4 bytes (a record's length field) become
     * visible last, so a concurrent scanner never sees a length without the bytes it covers.
     */
    void write(int position, ByteBuffer src) throws IOException;

    /** Fills the remaining bytes of {@code dst} from {@code position}, advancing dst's position. */
    void read(int position, ByteBuffer dst) throws IOException;

    /** Reads the little-endian int at {@code position}. */
    int readInt(int position) throws IOException;

    /**
     * Makes every write so far durable: file data only ({@code metadata == false}, fdatasync) or data
     * and metadata ({@code true}, fsync).
     */
    void force(boolean metadata) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Creates {@code path} holding {@code capacity} zero bytes, written (not a sparse hole) and forced,
     * so later forces never have to allocate blocks or update the file size.
     */
    static void preallocate(Path path, int capacity) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(capacity, 1 << 20));
            long written = 0;
            while (written < capacity) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - written));
                written += ch.write(zeros, written);
            }
            ch.force(true);
        }
    }

    /** Forces a directory so that creations, renames and deletions inside it survive a power cut. */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Whether the whole file is the expected preallocated size. */
    static boolean hasCapacity(Path path, int capacity) throws IOException {
        return Files.size(path) == capacity;
    }
}
