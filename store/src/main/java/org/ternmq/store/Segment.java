package org.ternmq.store;

import java.nio.file.Path;

import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * One segment of the journal and its bookkeeping: where writing stopped and how much of it is live.
 *
 * <p>Threads: the fields are owned by the appender thread (or the opening thread during recovery,
 * before the appender starts). Other threads only use {@link #file} for reads, under
 * {@link SegmentSet}'s read lock.
 */
final class Segment {
    final long sequence;
    /** The format version in its header ({@link SegmentDescriptor#VERSION} for new ones). */
    final int version;
    final SegmentFile file;
    Path path;
    /** The next free byte; frames lie in [header, writePosition). */
    int writePosition;
    /** Whether an END_OF_SEGMENT frame closes the segment. */
    boolean ended;
    /** Frames that replay still needs: current versions, pending transactional changes, prepares. */
    int liveCount;
    long liveBytes;

    Segment(long sequence, int version, Path path, SegmentFile file, int writePosition) {
        this.sequence = sequence;
        this.version = version;
        this.path = path;
        this.file = file;
        this.writePosition = writePosition;
    }

    int capacity() {
        return file.capacity();
    }

    @Override
    public String toString() {
        return "Segment{" + sequence + ", write=" + writePosition + ", live=" + liveCount + "/" + liveBytes + "B"
                + (ended ? ", ended" : "") + (version != SegmentDescriptor.VERSION ? ", v" + version : "") + "}";
    }
}
