package org.ternmq.store;

import java.io.IOException;
import java.nio.file.Path;

import org.ternmq.store.file.SegmentFile;

/** Opens a preallocated file as a {@link SegmentFile}; {@link IoMode} picks the implementation, tests inject faults. */
@FunctionalInterface
interface SegmentOpener {
    SegmentFile open(Path path) throws IOException;
}
