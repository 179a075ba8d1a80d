package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.ternmq.store.file.SegmentFile;

/**
 * A read-ahead window over one segment file at a time, for the sequential passes of recovery (scan,
 * then delivery of live records in location order): reading a few MiB per call keeps a pass at a
 * handful of system calls per segment instead of two per frame. Used by one thread (the opening
 * thread); not thread-safe.
 */
final class ReadAhead {
    private ByteBuffer window;
    private SegmentFile file;
    private int start;
    private int end;

    ReadAhead(int size) {
        window = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A buffer holding bytes [position, position + length) of {@code file}, at index
     * {@link #indexOf(int) indexOf(position)}; valid until the next call.
     */
    ByteBuffer bytes(SegmentFile f, int position, int length) throws IOException {
        if (f == file && position >= start && position + length <= end) {
            return window;
        }
        if (window.capacity() < length) {
            window = ByteBuffer.allocateDirect(Integer.highestOneBit(length - 1) << 1).order(ByteOrder.LITTLE_ENDIAN);
        }
        int n = Math.min(window.capacity(), f.capacity() - position);
        window.clear().limit(n);
        f.read(position, window);
        window.clear();
        file = f;
        start = position;
        end = position + n;
        return window;
    }

    /** Where {@code position} of the current file sits in the buffer {@link #bytes} returned. */
    int indexOf(int position) {
        return position - start;
    }

    /** Forgets the window (the file's content changed or the file is closing). */
    void reset() {
        file = null;
        start = 0;
        end = 0;
    }
}
