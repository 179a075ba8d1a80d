package org.ternmq.store;

import java.io.IOException;
import java.nio.file.Path;

import org.ternmq.store.file.ChannelSegmentFile;
import org.ternmq.store.file.MappedSegmentFile;
import org.ternmq.store.file.SegmentFile;

/**
 * How segment files are written. Both are covered by the same contract tests. On the machines we
 * measured, a 1 KiB write plus a data force ran about 5x faster with {@link #CHANNEL} than with
 * {@link #MAPPED} (docs/performance.md, "Store"): a store into a page that the last force cleaned
 * faults and waits for the page's write-back, and the force itself must write-protect the mapped
 * pages again. Hence {@code CHANNEL} is the default.
 */
public enum IoMode {
    /** Memory-mapped files; writes are copies into the mapping, forces are fdatasync on the file. */
    MAPPED,
    /** Positional {@code FileChannel} writes and reads (one {@code pwrite} per batch of frames); the default. */
    CHANNEL;

    SegmentFile open(Path path) throws IOException {
        return this == MAPPED ? new MappedSegmentFile(path) : new ChannelSegmentFile(path);
    }
}
