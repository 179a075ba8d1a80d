package org.ternmq.store.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment written with positional {@link FileChannel} writes (one {@code pwrite} per call) and
 * forced with {@link FileChannel#force}. Reads are positional reads, safe from any thread.
 *
 * <p>Threads: see {@link SegmentFile}. The int buffer used by {@link #readInt} belongs to the
 * appender; other threads use {@link #read}.
 */
public final class ChannelSegmentFile implements SegmentFile {
    private final FileChannel channel;
    private final int capacity;
    private final ByteBuffer intBuffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

    /** Opens an existing, preallocated file for reading and writing. */
    public ChannelSegmentFile(Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.capacity = Math.toIntExact(channel.size());
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void write(int position, ByteBuffer src) throws IOException {
        checkRange(position, src.remaining());
        // One pwrite: the length is not ordered last within it, which only matters to an in-memory
        // scanner; readers of this journal find records through the index and wait until the journal
        // has written what it points at (WrittenMark).
        ByteBuffer b = src.duplicate();
        long at = position;
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
    }

    @Override
    public void read(int position, ByteBuffer dst) throws IOException {
        checkRange(position, dst.remaining());
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException("segment ends before position " + at);
            }
            at += n;
        }
    }

    @Override
    public int readInt(int position) throws IOException {
        intBuffer.clear();
        read(position, intBuffer);
        return intBuffer.getInt(0);
    }

    @Override
    public void force(boolean metadata) throws IOException {
        channel.force(metadata);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void checkRange(int position, int length) {
        if (position < 0 || length < 0 || position > capacity - length) {
            throw new IndexOutOfBoundsException("position " + position + " length " + length + " capacity " + capacity);
        }
    }
}
