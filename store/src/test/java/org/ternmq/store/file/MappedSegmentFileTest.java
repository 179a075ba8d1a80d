package org.ternmq.store.file;

import java.io.IOException;
import java.nio.file.Path;

/** The {@link SegmentFile} contract on {@link MappedSegmentFile}. */
class MappedSegmentFileTest extends SegmentFileContract {
    @Override
    SegmentFile open(Path path) throws IOException {
        return new MappedSegmentFile(path);
    }
}
