package org.ternmq.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

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

    /** How many zero bytes {@link #writeZeros} writes between two forces. */
    int ZERO_CHUNK = 1 << 20;

    /**
     * Creates {@code path} holding {@code capacity} zero bytes, written (not a sparse hole) and forced,
     * so later forces never have to allocate blocks or update the file size. As fast as the disk goes: for
     * a caller that waits for the file.
     */
    static void preallocate(Path path, int capacity) throws IOException {
        preallocate(path, capacity, false);
    }

    /** {@link #preallocate(Path, int)}, {@code paced} as in {@link #writeZeros}. */
    static void preallocate(Path path, int capacity, boolean paced) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeZeros(ch, capacity, paced);
            ch.force(true);
        }
    }

    /**
     * Writes {@code size} zero bytes from the start of {@code ch}, {@link #ZERO_CHUNK} at a time. {@code paced}, each
     * chunk is forced and followed by a pause twice as long as it took; else nothing is forced (the caller forces
     * once, at the end, when it waits for the file itself and nobody else's forces queue behind it).
     *
     * <p>Files are zeroed beside the appender (a segment made ready, a removed one zeroed again), and a force
     * waits for whatever the disk was given before it. Measured with {@code tern-perf disk-probe --rate 1000}
     * (a 1 KiB write + fdatasync every millisecond) beside 32 MiB fills on this project's 2-core machines: one
     * force at the end of the fill gave the probe p99 19 ms and max 54 ms (quiet: 1.6 and 7 ms); a force per
     * MiB back to back, p99 14-27 ms; per 4 MiB with 10 ms pauses, p99 8 ms; per MiB with 5 ms pauses, p99
     * 2.2-3.1 ms, max 4-8 ms, as quiet. A paced 32 MiB takes about a quarter of a second, well ahead of the
     * fastest the journal fills a segment.
     */
    static void writeZeros(FileChannel ch, long size, boolean paced) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, ZERO_CHUNK));
        for (long at = 0; at < size; ) {
            long started = System.nanoTime();
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            while (zeros.hasRemaining()) {
                at += ch.write(zeros, at);
            }
            if (paced) {
                ch.force(false);
                if (at < size) {
                    // interrupted (closing): the next write fails with ClosedByInterruptException, as without a pause
                    LockSupport.parkNanos(Math.max(1_000_000L, 2 * (System.nanoTime() - started)));
                }
            }
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
