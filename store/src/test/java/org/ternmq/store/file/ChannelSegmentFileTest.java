package org.ternmq.store.file;

import java.io.IOException;
import java.nio.file.Path;

/** The {@link SegmentFile} contract on {@link ChannelSegmentFile}. */
class ChannelSegmentFileTest extends SegmentFileContract {
    @Override
    SegmentFile open(Path path) throws IOException {
        return new ChannelSegmentFile(path);
    }
}
