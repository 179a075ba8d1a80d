package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.ternmq.store.file.SegmentFile;

/** A {@link SegmentOpener} that counts forces, writes and int reads and can be told to fail forces and writes. */
final class FaultyFiles implements SegmentOpener {
    final AtomicInteger forces = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    /** Reads of a single int: the frame lengths the journal's state asks the files for. */
    final AtomicInteger readInts = new AtomicInteger();
    final AtomicBoolean failForces = new AtomicBoolean();
    final AtomicBoolean failWrites = new AtomicBoolean();
    /** Writes left before every later write fails; negative for never. */
    final AtomicInteger writesBeforeFailure = new AtomicInteger(-1);
    private final IoMode mode;

    FaultyFiles(IoMode mode) {
        this.mode = mode;
    }

    @Override
    public SegmentFile open(Path path) throws IOException {
        SegmentFile file = mode.open(path);
        return new SegmentFile() {
            @Override
            public int capacity() {
                return file.capacity();
            }

            @Override
            public void write(int position, ByteBuffer src) throws IOException {
                if (failWrites.get() || writesBeforeFailure.getAndUpdate(n -> n < 0 ? n : n - 1) == 0) {
                    failWrites.set(true);
                    throw new IOException("injected write failure");
                }
                writes.incrementAndGet();
                file.write(position, src);
            }

            @Override
            public void read(int position, ByteBuffer dst) throws IOException {
                file.read(position, dst);
            }

            @Override
            public int readInt(int position) throws IOException {
                readInts.incrementAndGet();
                return file.readInt(position);
            }

            @Override
            public void force(boolean metadata) throws IOException {
                if (failForces.get()) {
                    throw new IOException("injected force failure (EIO)");
                }
                forces.incrementAndGet();
                file.force(metadata);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
