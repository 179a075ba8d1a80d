package org.ternmq.store.file;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment mapped into memory once; writes are memory copies into the mapping, reads copy out of it.
 *
 * <p>Durability goes through {@link FileChannel#force} on the file rather than
 * {@link MappedByteBuffer#force}: on Linux fdatasync writes back the page cache pages dirtied through
 * the mapping too, and it measured faster than msync (docs/performance.md, "Store").
 *
 * <p>Threads: see {@link SegmentFile}. Reads use absolute bulk gets, which do not touch the shared
 * buffer's position, so concurrent readers need no lock. {@link #close} unmaps at once; the journal
 * makes sure no reader is inside the file then.
 */
public final class MappedSegmentFile implements SegmentFile {
    private final FileChannel channel;
    private final MappedByteBuffer mapped;
    private final int capacity;

    /** Opens and maps an existing, preallocated file. */
    public MappedSegmentFile(Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.capacity = Math.toIntExact(channel.size());
        this.mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
        mapped.order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void write(int position, ByteBuffer src) {
        int length = src.remaining();
        checkRange(position, length);
        int from = src.position();
        if (length < 4) {
            mapped.put(position, src, from, length);
            return;
        }
        mapped.put(position + 4, src, from + 4, length - 4);
        // Publish the length last (x86 keeps store order; elsewhere the CRC still rejects a torn frame).
        mapped.put(position, src, from, 4);
    }

    @Override
    public void read(int position, ByteBuffer dst) {
        int length = dst.remaining();
        checkRange(position, length);
        dst.put(dst.position(), mapped, position, length);
        dst.position(dst.position() + length);
    }

    @Override
    public int readInt(int position) {
        checkRange(position, 4);
        return mapped.getInt(position);
    }

    @Override
    public void force(boolean metadata) throws IOException {
        channel.force(metadata);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Unmapper.unmap(mapped);
    }

    private void checkRange(int position, int length) {
        if (position < 0 || length < 0 || position > capacity - length) {
            throw new IndexOutOfBoundsException("position " + position + " length " + length + " capacity " + capacity);
        }
    }

    /**
     * Releases a mapping now instead of at some later GC, so a removed segment's disk space and
     * address space come back at once. Uses {@code sun.misc.Unsafe.invokeCleaner} reflectively (module
     * jdk.unsupported); when that is missing the mapping is left to the GC.
     */
    static final class Unmapper {
        private static final Object UNSAFE;
        private static final Method INVOKE_CLEANER;

        static {
            Object unsafe = null;
            Method invoke = null;
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                Field f = type.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                unsafe = f.get(null);
                invoke = type.getMethod("invokeCleaner", ByteBuffer.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unsafe = null;
                invoke = null;
            }
            UNSAFE = unsafe;
            INVOKE_CLEANER = invoke;
        }

        private Unmapper() {
        }

        static void unmap(MappedByteBuffer buffer) {
            if (INVOKE_CLEANER == null) {
                return;
            }
            try {
                INVOKE_CLEANER.invoke(UNSAFE, buffer);
            } catch (ReflectiveOperationException e) {
                // left to the GC
            }
        }
    }
}
