package org.ternmq.store;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * What a journal has done since it was opened, for metrics: frames appended and their bytes, file writes, forces (and,
 * through an optional listener, how long each took), segments compacted, records read back.
 *
 * <p>Threads: the thread that holds the journal's writing role (the appender, or a caller writing its own batch,
 * {@link Journal#writeHere}) is the only writer of the appender's counters (volatile fields, one writer at a time);
 * reads come from any thread (a {@link LongAdder}). Any thread may read.
 */
public final class JournalStats {

    private volatile long appends;
    private volatile long appendedBytes;
    private volatile long writes;
    private volatile long forces;
    private volatile long compactions;
    private volatile long callerBatches;
    private final LongAdder reads = new LongAdder();
    private volatile LongConsumer forceNanosListener = nanos -> { };

    /** Frames written (records and control frames, compaction's relocations included). */
    public long appends() {
        return appends;
    }

    /** Bytes of the frames written, aligned as on disk. */
    public long appendedBytes() {
        return appendedBytes;
    }

    /**
     * Writes of frames to segment files: one per batch of frames gathered together (one {@code pwrite} in
     * {@link IoMode#CHANNEL}), more when a batch fills the gather buffer or rolls the head segment.
     */
    public long writes() {
        return writes;
    }

    /** Forces of written data to the device (one per batch that needed it, however many files were dirty). */
    public long forces() {
        return forces;
    }

    /** Segments compacted (their live frames relocated) since the journal was opened. */
    public long compactions() {
        return compactions;
    }

    /** Batches written and forced by the thread that queued them ({@link Journal#writeHere}), not by the appender. */
    public long callerBatches() {
        return callerBatches;
    }

    /** Records read back by id (paging in, history), since the journal was opened. */
    public long reads() {
        return reads.sum();
    }

    /** Hands the duration of each later force, in nanoseconds, to {@code listener} (on the thread that forces). */
    public void onForce(LongConsumer listener) {
        this.forceNanosListener = listener == null ? nanos -> { } : listener;
    }

    // ---- updates, appender thread only (reads: any thread)

    void appended(int alignedBytes) {
        appends++;
        appendedBytes += alignedBytes;
    }

    void wrote() {
        writes++;
    }

    void forced(long nanos) {
        forces++;
        forceNanosListener.accept(nanos);
    }

    void compacted() {
        compactions++;
    }

    void callerBatch() {
        callerBatches++;
    }

    void read() {
        reads.increment();
    }
}
