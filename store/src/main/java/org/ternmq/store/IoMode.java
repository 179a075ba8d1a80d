package org.ternmq.store;

import java.io.IOException;
import java.nio.file.Path;

import org.ternmq.store.file.ChannelSegmentFile;
import org.ternmq.store.file.MappedSegmentFile;
import org.ternmq.store.file.SegmentFile;

/** How segment files are written. Both are covered by the same contract tests. */
public enum IoMode {
    /** Memory-mapped files; writes are copies into the mapping, forces are fdatasync on the file. */
    MAPPED,
    /** Positional {@code FileChannel} writes and reads. */
    CHANNEL;

    SegmentFile open(Path path) throws IOException {
        return this == MAPPED ? new MappedSegmentFile(path) : new ChannelSegmentFile(path);
    }
}
