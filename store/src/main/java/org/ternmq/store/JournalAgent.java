package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;
import org.ternmq.store.format.SegmentDescriptor;
import org.ternmq.store.index.RecordIndex;

/**
 * The journal's single writer. It owns the segments, the state and every file write: callers hand it
 * {@link Command}s through a queue ({@link Journal} is the proxy), it drains them in batches, gathers
 * the batch's frames in one buffer and writes them with one call (more only when the buffer fills or
 * the head segment rolls), forces once per batch when the sync policy asks for it, then completes the
 * futures.
 * Between batches it compacts: a bounded step of relocating live frames out of the oldest segment,
 * so compaction shares the one writer and never blocks appends for longer than a step.
 *
 * <p>Any error while writing, forcing, compacting or removing fences the journal: the error is
 * logged once at ERROR, every pending and later command fails with {@link StoreFencedException}, and
 * the agent keeps failing commands until it is closed.
 *
 * <p>Gathered frames are not in the file yet, but their index entries are published as they are
 * gathered (the appender's own decisions read the index). Readers on other threads wait for such
 * locations through {@link WrittenMark}; on this thread, everything that reads a file writes the
 * gathered frames out first ({@link #flush}), except the frame lengths {@link JournalState} needs,
 * which {@link #frameLength} serves from the buffer.
 *
 * <p>Threads: {@link #run} is the appender thread's body; {@link #fenceCause()},
 * {@link #isTerminated()} and {@link #writtenMark()} may be used from any thread. The writer is one at a time, not
 * always the same thread: a caller that queued a batch may write and force it itself ({@link #writeHere}) while the
 * appender is idle, holding the writing role the appender otherwise holds for each batch; everything below is moved
 * only by the role's holder.
 *
 * <p>Why one class past 500 lines: writing, forcing, compacting and removing all move the same
 * single-threaded state (the head, the gather buffer, the dirty list, the replication ranges);
 * split across classes that state would have to be shared or passed around, which is what the
 * single-writer design exists to avoid.
 */
final class JournalAgent implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalAgent.class);
    /** How long the appender waits at most, when idle, for a caller to give the writing role back. */
    private static final long ROLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How many bytes of frames are gathered before they are written even in the middle of a batch. */
    static final int GATHER_BYTES = 256 << 10;

    private final Path directory;
    private final BlockingQueue<Command> queue;
    private final SegmentSet segments;
    private final JournalState state;
    private final SegmentPool pool;
    private final ReplicationListener replication;
    private final SyncPolicy policy;
    private final boolean forceMetadata;
    private final int maxBatch;
    private final long asyncIntervalNanos;
    private final double compactionLiveRatio;
    /** Stamped into every frame written here: the writer's activation epoch ({@link RecordDescriptor#epochStamp}). */
    private final short epochStamp;
    private final int compactionMinSegments;
    /** Whether, and how long, the appender polls its queue before it parks ({@link JournalConfig#SPIN_MICROS}). */
    private final SpinGovernor spin;
    private final int compactionStepRecords;

    private final List<Command> batch = new ArrayList<>();
    private final List<Command> completeNow = new ArrayList<>();
    private final List<Command> completeAfterForce = new ArrayList<>();
    private final List<Segment> dirty = new ArrayList<>(4);
    private final List<Segment> replicationSegments = new ArrayList<>(2);
    private final List<Integer> replicationStarts = new ArrayList<>(2);
    private final ByteBuffer header = ByteBuffer.allocate(RecordDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    /**
     * Frames gathered for the head and not yet written: bytes [0, position) belong at {@link #gatheredFrom}
     * of {@link #gatheredFor}. Grows only for a frame bigger than it.
     */
    private ByteBuffer gather = ByteBuffer.allocateDirect(GATHER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private Segment gatheredFor;
    private int gatheredFrom;
    private final WrittenMark writtenMark = new WrittenMark();
    /** Lengths of the frames written last, so that releasing them reads nothing from the file. */
    private final RecentFrameLengths recentLengths = new RecentFrameLengths();

    private Segment head;
    private long nextSequence;
    private long nextAsyncForceNanos;
    private Segment compacting;
    private int compactionPosition;
    private Command closeCommand;

    /**
     * The writing role: whoever holds it (the appender, or a caller in {@link #writeHere}) is the only thread that
     * takes commands from the queue and moves the state below; taking and releasing it orders one holder's changes
     * before the next holder's reads.
     */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** The caller holding the writing role, or null. */
    private volatile Thread writer;
    /** The thread whose queued commands do not wake the appender ({@link #holdWakeups}), or null. */
    private volatile Thread holder;
    /** Whether the appender is parked, or about to park (queuing threads wake it). */
    private volatile boolean sleeping;
    /** A caller's batch held the close request: the appender ends its loop. */
    private volatile boolean closingElsewhere;
    private volatile Thread appenderThread;

    private volatile Throwable fenceCause;
    private volatile boolean terminated;
    private final JournalStats stats;

    JournalAgent(JournalConfig config, BlockingQueue<Command> queue, SegmentSet segments, JournalState state,
            SegmentPool pool, Segment head, long nextSequence, ReplicationListener replication, JournalStats stats) {
        this.directory = config.directory();
        this.stats = stats;
        this.queue = queue;
        this.segments = segments;
        this.state = state;
        this.pool = pool;
        this.head = head;
        this.nextSequence = nextSequence;
        this.replication = replication;
        this.policy = config.syncPolicy();
        this.forceMetadata = policy == SyncPolicy.DATA_AND_METADATA;
        this.maxBatch = config.get(JournalConfig.MAX_BATCH);
        this.asyncIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.get(JournalConfig.ASYNC_FLUSH_INTERVAL_MILLIS));
        this.compactionLiveRatio = config.get(JournalConfig.COMPACTION_LIVE_RATIO);
        this.epochStamp = RecordDescriptor.epochStamp(config.get(JournalConfig.EPOCH));
        this.compactionMinSegments = config.get(JournalConfig.COMPACTION_MIN_SEGMENTS);
        this.spin = new SpinGovernor(TimeUnit.MICROSECONDS.toNanos(config.get(JournalConfig.SPIN_MICROS)));
        this.compactionStepRecords = config.get(JournalConfig.COMPACTION_STEP_RECORDS);
        this.nextAsyncForceNanos = System.nanoTime() + asyncIntervalNanos;
        state.frameLengths(this::frameLength);
    }

    WrittenMark writtenMark() {
        return writtenMark;
    }

    Throwable fenceCause() {
        return fenceCause;
    }

    boolean isTerminated() {
        return terminated;
    }

    StoreFencedException fencedException() {
        Throwable cause = fenceCause;
        return new StoreFencedException("journal " + directory + " is fenced after an I/O error: " + cause, cause);
    }

    @Override
    public void run() {
        try {
            appenderThread = Thread.currentThread();
            guarded(this::upgradeHead);
            boolean closing = false;
            while (!closing && !closingElsewhere) {
                Command first = nextCommand();
                if (first == null) {
                    if (writing.compareAndSet(false, true)) {
                        try {
                            guarded(this::idleWork);
                        } finally {
                            writing.set(false);
                        }
                    } else {
                        awaitRole();
                    }
                    continue;
                }
                try {
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                    closing = process(batch);
                    batch.clear();
                    if (!closing) {
                        guarded(this::compactionStep);
                    }
                } finally {
                    writing.set(false);
                }
            }
            // An orderly close loses nothing, whatever the policy.
            guarded(this::forceDirty);
        } catch (Throwable t) {
            fence(t);
        } finally {
            terminate();
        }
    }

    private Command nextCommand() throws InterruptedException {
        long timeoutNanos;
        if (compacting != null) {
            timeoutNanos = 0;
        } else if (policy == SyncPolicy.ASYNC && !dirty.isEmpty()) {
            timeoutNanos = Math.max(0, nextAsyncForceNanos - System.nanoTime());
        } else {
            timeoutNanos = TimeUnit.SECONDS.toNanos(1);
        }
        if (timeoutNanos == 0) {
            return take();
        }
        long spinFor = spin.spinBefore(timeoutNanos);
        if (spinFor > 0) {
            long start = System.nanoTime();
            long now = start;
            do {
                Command c = take();
                if (c != null) {
                    spin.spun(now - start, true);
                    return c;
                }
                Thread.onSpinWait();
                now = System.nanoTime();
            } while (now - start < spinFor);
            spin.spun(now - start, false);
        }
        sleeping = true;
        try {
            if ((queue.peek() == null || writing.get()) && !closingElsewhere) {
                // nothing queued, or a caller writes it (and wakes this thread if it leaves commands behind)
                LockSupport.parkNanos(this, timeoutNanos);
            }
        } finally {
            sleeping = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return take();
    }

    /** The next command, with the writing role taken; null (role not taken) when none, or another thread writes. */
    private Command take() {
        if (queue.peek() == null || !writing.compareAndSet(false, true)) {
            return null;
        }
        Command c = queue.poll();
        if (c == null) {
            writing.set(false);
        }
        return c;
    }

    /** Waits briefly while a caller holds the writing role (its idle work, compaction, waits for the role). */
    private void awaitRole() {
        sleeping = true;
        try {
            if (writing.get() && !closingElsewhere) {
                LockSupport.parkNanos(this, ROLE_WAIT_NANOS);
            }
        } finally {
            sleeping = false;
        }
    }

    /** After a command was queued: wakes the appender if it sleeps, unless the queuing thread writes it itself. */
    void wake() {
        if (sleeping && holder != Thread.currentThread()) {
            unparkAppender();
        }
    }

    /** Wakes the appender, whoever holds wake-ups. */
    void wakeUp() {
        unparkAppender();
    }

    private void unparkAppender() {
        Thread t = appenderThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Commands the calling thread queues from now on do not wake the appender, until it calls {@link #writeHere}. */
    void holdWakeups() {
        holder = Thread.currentThread();
    }

    /** Ends {@link #holdWakeups} for the calling thread. */
    void holdWakeupsEnd() {
        if (holder == Thread.currentThread()) {
            holder = null;
        }
    }

    /** Whether {@code thread} holds the writing role now (it must not wait for a write, as the appender must not). */
    boolean writesOn(Thread thread) {
        return writer == thread;
    }

    /**
     * Writes the queued commands, as one batch of the appender would (forced as their policy says, futures completed
     * on this thread), when no other thread writes; else leaves them to the appender and wakes it. Returns whether it
     * wrote here. Ends {@link #holdWakeups}.
     */
    boolean writeHere() {
        holdWakeupsEnd();
        if (!writing.compareAndSet(false, true)) {
            unparkAppender();
            return false;
        }
        writer = Thread.currentThread();
        boolean wrote = false;
        try {
            Command first = queue.poll();
            if (first != null) {
                wrote = true;
                stats.callerBatch();
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (process(batch)) {
                    closingElsewhere = true; // the appender ends its loop and closes
                }
                batch.clear();
            }
        } finally {
            writer = null;
            writing.set(false);
        }
        if (closingElsewhere || queue.peek() != null) {
            unparkAppender();
        }
        return wrote;
    }

    private void idleWork() throws IOException {
        if (policy == SyncPolicy.ASYNC && !dirty.isEmpty() && System.nanoTime() - nextAsyncForceNanos >= 0) {
            forceDirty();
        }
        compactionStep();
    }

    /** Writes a batch and completes its futures; returns whether a close request was in it. */
    private boolean process(List<Command> commands) {
        boolean closing = false;
        for (Command c : commands) {
            if (c.isClose()) {
                closing = true;
                closeCommand = c;
            } else if (closing) {
                c.future.completeExceptionally(new IllegalStateException("journal " + directory + " is closed"));
            } else if (fenceCause != null) {
                c.future.completeExceptionally(fencedException());
            } else if (c.mark) {
                completeNow.add(c); // completed once the frames gathered ahead of it are written, before any force
            } else {
                String misuse = misuse(c);
                if (misuse != null) {
                    c.future.completeExceptionally(new IllegalStateException(misuse));
                    continue;
                }
                try {
                    boolean forced = (c.durable && policy.forcesBeforeCompletion()) || alwaysForced(c);
                    boolean wrote = write(c);
                    (wrote && forced ? completeAfterForce : completeNow).add(c);
                } catch (Throwable t) {
                    fence(t);
                    c.future.completeExceptionally(fencedException());
                }
            }
        }
        finishBatch();
        return closing;
    }

    private void finishBatch() {
        try {
            if (fenceCause == null) {
                flush();
                publishReplication();
                completeAll(completeNow);
                if (!completeAfterForce.isEmpty()) {
                    forceDirty();
                } else if (policy == SyncPolicy.ASYNC && System.nanoTime() - nextAsyncForceNanos >= 0) {
                    forceDirty();
                }
                completeAll(completeAfterForce);
                removeDeadSegments();
            }
        } catch (Throwable t) {
            fence(t);
        } finally {
            failAll(completeNow);
            failAll(completeAfterForce);
        }
    }

    private void completeAll(List<Command> commands) {
        for (Command c : commands) {
            c.future.complete(null);
        }
        commands.clear();
    }

    private void failAll(List<Command> commands) {
        for (Command c : commands) {
            c.future.completeExceptionally(fencedException());
        }
        commands.clear();
    }

    /**
     * Two-phase commit is forced whatever the sync policy: a prepare, and the commit or rollback of a prepared
     * transaction. A transaction manager forgets a branch once told it ended, and trusts a prepared one to
     * survive anything, so losing either to a power cut would leave a branch in doubt for good.
     */
    private boolean alwaysForced(Command c) {
        if (c.type == RecordType.PREPARE) {
            return true;
        }
        if (c.type == RecordType.COMMIT || c.type == RecordType.ROLLBACK) {
            PendingTransaction tx = state.transaction(c.id);
            return tx != null && tx.isPrepared();
        }
        return false;
    }

    /** Why a command cannot be applied to the current state, or {@code null}. Nothing is written for misuse. */
    private String misuse(Command c) {
        if (c.type.isTransactional() || c.type == RecordType.PREPARE) {
            PendingTransaction tx = state.transaction(c.transaction());
            if (tx != null && tx.isPrepared()) {
                return "transaction " + c.transaction() + " is prepared: it can only commit or roll back";
            }
        }
        return null;
    }

    /** Writes the command's frame and applies it; returns false when there was nothing to do. */
    private boolean write(Command c) throws IOException {
        switch (c.type) {
            case DELETE:
                if (state.index.get(c.id) == RecordIndex.ABSENT) {
                    return false;
                }
                break;
            case COMMIT:
                if (state.transaction(c.id) == null) {
                    return false;
                }
                writeSupersedingDeletes(state.transaction(c.id));
                break;
            case ROLLBACK:
                if (state.transaction(c.id) == null) {
                    return false;
                }
                break;
            default:
                break;
        }
        writeFrame(c.type, c.id, c.txId, c.userType, c.payload, c.payloadPosition, c.payloadLength);
        return true;
    }

    private void writeFrame(RecordType type, long id, long txId, byte userType, ByteBuffer payload, int payloadPosition,
            int payloadLength) throws IOException {
        int length = RecordDescriptor.frameLength(payloadLength);
        int aligned = RecordDescriptor.aligned(length);
        int at = reserve(aligned);
        ByteBuffer f = gather;
        f.putInt(at + RecordDescriptor.LENGTH_OFFSET, length);
        f.putInt(at + RecordDescriptor.CRC_OFFSET, 0);
        f.putInt(at + RecordDescriptor.SEGMENT_OFFSET, RecordDescriptor.stamp(head.sequence));
        f.put(at + RecordDescriptor.TYPE_OFFSET, type.code());
        f.put(at + RecordDescriptor.USER_TYPE_OFFSET, userType);
        f.putShort(at + RecordDescriptor.EPOCH_OFFSET, epochStamp);
        f.putLong(at + RecordDescriptor.ID_OFFSET, id);
        f.putLong(at + RecordDescriptor.TX_ID_OFFSET, txId);
        byte[] xid = null;
        if (payloadLength > 0) {
            f.put(at + RecordDescriptor.PAYLOAD_OFFSET, payload, payloadPosition, payloadLength);
            if (type == RecordType.PREPARE) {
                xid = new byte[payloadLength];
                payload.get(payloadPosition, xid);
            }
        } else if (type == RecordType.PREPARE) {
            xid = new byte[0];
        }
        long location = appendFrame(at, length, aligned);
        state.apply(type, id, txId, location, aligned, xid);
    }

    /**
     * A staged delete takes effect at the commit frame, but its own frame may be older than the version
     * it deletes (written, or relocated by compaction, after the delete was staged). Once the staged
     * frame's segment is removed, replay would no longer see that delete, so such targets get a plain
     * DELETE frame, newer than the version it cancels, just before the commit.
     */
    private void writeSupersedingDeletes(PendingTransaction tx) throws IOException {
        List<Long> ids = null;
        for (Map.Entry<Long, PendingTransaction.Change> e : tx.changes.entrySet()) {
            if (e.getValue().delete && state.index.get(e.getKey()) > e.getValue().location) {
                if (ids == null) {
                    ids = new ArrayList<>();
                }
                ids.add(e.getKey());
            }
        }
        if (ids != null) {
            for (long id : ids) {
                writeFrame(RecordType.DELETE, id, 0, (byte) 0, null, 0, 0);
            }
        }
    }

    /**
     * Makes room at the head for a frame of {@code aligned} bytes (rolling it if full) and in the gather buffer
     * (writing out what it holds if full); returns the index in {@link #gather} where the frame goes. The frame
     * belongs at the head's write position.
     */
    private int reserve(int aligned) throws IOException {
        ensureRoom(aligned);
        return gatherRoom(aligned);
    }

    /** Makes room for {@code aligned} bytes in the gather buffer; returns where they go. */
    private int gatherRoom(int aligned) throws IOException {
        if (gather.remaining() < aligned) {
            flush();
            if (gather.capacity() < aligned) {
                gather = ByteBuffer.allocateDirect(Integer.highestOneBit(aligned - 1) << 1).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        if (gather.position() == 0) {
            gatheredFor = head;
            gatheredFrom = head.writePosition;
            writtenMark.gathering(Location.of(head.sequence, gatheredFrom));
        }
        return gather.position();
    }

    /**
     * Pads and checksums the frame gathered at index {@code at} and gives it its place at the head; returns its
     * location. Its bytes reach the file with the next {@link #flush}.
     */
    private long appendFrame(int at, int length, int aligned) {
        ByteBuffer f = gather;
        for (int i = length; i < aligned; i++) {
            f.put(at + i, (byte) 0);
        }
        f.putInt(at + RecordDescriptor.CRC_OFFSET, RecordDescriptor.crc(f, at, length));
        f.position(at + aligned);
        int position = head.writePosition;
        noteWritten(head, position);
        head.writePosition = position + aligned;
        stats.appended(aligned);
        long location = Location.of(head.sequence, position);
        recentLengths.put(location, length);
        return location;
    }

    /** Writes the gathered frames to their segment with one call. */
    private void flush() throws IOException {
        if (gather.position() == 0) {
            return;
        }
        gather.flip();
        gatheredFor.file.write(gatheredFrom, gather);
        gather.clear();
        stats.wrote();
        writtenMark.written();
    }

    /**
     * The frame length at {@code offset} of {@code s}, also while that frame is only gathered: from the frames written
     * last when it is one of them, else from the file.
     */
    private int frameLength(Segment s, int offset) throws IOException {
        int recent = recentLengths.get(Location.of(s.sequence, offset));
        if (recent >= 0) {
            return recent;
        }
        if (s == gatheredFor && gather.position() > 0 && offset >= gatheredFrom) {
            return gather.getInt(offset - gatheredFrom + RecordDescriptor.LENGTH_OFFSET);
        }
        return s.file.readInt(offset + RecordDescriptor.LENGTH_OFFSET);
    }

    private void ensureRoom(int aligned) throws IOException {
        if (head.writePosition + aligned > head.capacity() - RecordDescriptor.END_OF_SEGMENT_LENGTH) {
            rollHead();
        }
    }

    /**
     * Ends the head with END_OF_SEGMENT and starts the next segment. Its first frame restates the highest id
     * so far ({@link RecordType#ID_BLOCK}), so the newest segment always holds the high-water mark whichever
     * older segments are removed (see {@link IdSequence}).
     */
    private void rollHead() throws IOException {
        writeControlFrame(RecordType.END_OF_SEGMENT, 0);
        head.ended = true;
        flush();

        Segment next = pool.newSegment(nextSequence++);
        segments.add(next);
        // The new name must survive a power cut before anything written in it is acknowledged.
        SegmentFile.forceDirectory(directory);
        head = next;
        markDirty(next);
        writeControlFrame(RecordType.ID_BLOCK, state.highestId());
    }

    /**
     * A head of an older format version is ended at start-up, so frames of newer types are only ever written
     * into segments whose header tells an older reader to keep away.
     */
    private void upgradeHead() throws IOException {
        if (head.version < SegmentDescriptor.VERSION) {
            LOG.info("journal {}: segment {} has format version {}; new records go to a version {} segment",
                    directory, head.sequence, head.version, SegmentDescriptor.VERSION);
            rollHead();
        }
    }

    /**
     * Gathers a frame without payload (END_OF_SEGMENT, ID_BLOCK) at the head; the caller made room at the head
     * (END_OF_SEGMENT has room kept for it; ID_BLOCK starts a new segment).
     */
    private void writeControlFrame(RecordType type, long id) throws IOException {
        int at = gatherRoom(RecordDescriptor.HEADER_LENGTH);
        ByteBuffer f = gather;
        for (int i = 0; i < RecordDescriptor.HEADER_LENGTH; i += 8) {
            f.putLong(at + i, 0L);
        }
        f.putInt(at + RecordDescriptor.LENGTH_OFFSET, RecordDescriptor.HEADER_LENGTH);
        f.putInt(at + RecordDescriptor.SEGMENT_OFFSET, RecordDescriptor.stamp(head.sequence));
        f.put(at + RecordDescriptor.TYPE_OFFSET, type.code());
        f.putShort(at + RecordDescriptor.EPOCH_OFFSET, epochStamp);
        f.putLong(at + RecordDescriptor.ID_OFFSET, id);
        long location = appendFrame(at, RecordDescriptor.HEADER_LENGTH, RecordDescriptor.HEADER_LENGTH);
        state.apply(type, id, 0, location, RecordDescriptor.HEADER_LENGTH, null);
    }

    private void noteWritten(Segment segment, int position) {
        markDirty(segment);
        if (replication != null && (replicationSegments.isEmpty()
                || replicationSegments.get(replicationSegments.size() - 1) != segment)) {
            replicationSegments.add(segment);
            replicationStarts.add(position);
        }
    }

    private void markDirty(Segment segment) {
        if (!dirty.contains(segment)) {
            dirty.add(segment);
        }
    }

    private void publishReplication() throws IOException {
        if (replication == null) {
            return;
        }
        flush();
        for (int i = 0; i < replicationSegments.size(); i++) {
            Segment s = replicationSegments.get(i);
            int from = replicationStarts.get(i);
            ByteBuffer bytes = ByteBuffer.allocate(s.writePosition - from).order(ByteOrder.LITTLE_ENDIAN);
            s.file.read(from, bytes);
            replication.onBatch(s.sequence, from, bytes.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
        }
        replicationSegments.clear();
        replicationStarts.clear();
    }

    private void forceDirty() throws IOException {
        flush();
        if (!dirty.isEmpty()) {
            long started = System.nanoTime();
            for (Segment s : dirty) {
                s.file.force(forceMetadata);
            }
            stats.forced(System.nanoTime() - started);
        }
        dirty.clear();
        nextAsyncForceNanos = System.nanoTime() + asyncIntervalNanos;
    }

    // ---- reclaim and compaction ----------------------------------------------------------------

    /**
     * Relocates live frames out of the oldest segment, a bounded number per call. Each relocated copy
     * is an ordinary frame at the head and supersedes the old one by replay order, so a crash at any
     * point leaves either both copies (replay keeps the newer) or only the new one.
     */
    private void compactionStep() throws IOException {
        if (compacting == null && !pickCompactionTarget()) {
            return;
        }
        Segment s = compacting;
        for (int examined = 0; examined < compactionStepRecords && compactionPosition < s.writePosition; examined++) {
            int position = compactionPosition;
            header.clear();
            s.file.read(position, header);
            int length = header.getInt(RecordDescriptor.LENGTH_OFFSET);
            RecordType type = RecordType.fromCode(header.get(RecordDescriptor.TYPE_OFFSET));
            if (type == null || type == RecordType.END_OF_SEGMENT) {
                compactionPosition = s.writePosition;
                break;
            }
            long id = header.getLong(RecordDescriptor.ID_OFFSET);
            long txId = header.getLong(RecordDescriptor.TX_ID_OFFSET);
            if (state.isLive(type, id, txId, Location.of(s.sequence, position))) {
                relocate(s, position, length, type, id, txId);
            }
            compactionPosition = position + RecordDescriptor.aligned(length);
        }
        if (compactionPosition >= s.writePosition) {
            compacting = null;
            if (s.liveCount != 0) {
                throw new IllegalStateException("compaction left " + s.liveCount + " live frames in " + s);
            }
            LOG.debug("compacted segment {}", s.sequence);
            stats.compacted();
        }
        // relocated records are readable only once written; a step is short, so write them now
        flush();
        publishReplication();
        removeDeadSegments();
    }

    private void relocate(Segment from, int position, int length, RecordType type, long id, long txId) throws IOException {
        int aligned = RecordDescriptor.aligned(length);
        int at = reserve(aligned);
        ByteBuffer f = gather;
        from.file.read(position, f.slice(at, length));
        RecordType newType = type;
        long newTxId = txId;
        if (type.isTransactional() && state.index.get(id) == Location.of(from.sequence, position)) {
            // committed since: the copy is a plain current version
            newType = RecordType.UPDATE;
            newTxId = 0;
        }
        f.put(at + RecordDescriptor.TYPE_OFFSET, newType.code());
        f.putLong(at + RecordDescriptor.TX_ID_OFFSET, newTxId);
        f.putInt(at + RecordDescriptor.SEGMENT_OFFSET, RecordDescriptor.stamp(head.sequence));
        f.putShort(at + RecordDescriptor.EPOCH_OFFSET, epochStamp); // the copy is this epoch's write
        byte[] xid = null;
        if (type == RecordType.PREPARE) {
            xid = new byte[length - RecordDescriptor.HEADER_LENGTH];
            f.get(at + RecordDescriptor.PAYLOAD_OFFSET, xid);
        }
        long location = appendFrame(at, length, aligned);
        state.apply(newType, id, newTxId, location, aligned, xid);
    }

    private boolean pickCompactionTarget() {
        Segment oldest = segments.oldest();
        if (oldest == null || oldest == head || oldest.liveCount == 0 || segments.count() < compactionMinSegments) {
            return false;
        }
        boolean sparse = oldest.liveBytes < compactionLiveRatio * (oldest.writePosition - SegmentDescriptor.HEADER_LENGTH);
        if (!sparse) {
            long live = 0;
            long used = 0;
            for (Segment s : segments.inOrder()) {
                live += s.liveBytes;
                used += s.writePosition - SegmentDescriptor.HEADER_LENGTH;
            }
            sparse = live < compactionLiveRatio * used;
        }
        if (sparse) {
            compacting = oldest;
            compactionPosition = SegmentDescriptor.HEADER_LENGTH;
            LOG.debug("compacting segment {} ({} live frames, {} live bytes)", oldest.sequence, oldest.liveCount,
                    oldest.liveBytes);
        }
        return sparse;
    }

    /**
     * Removes the oldest segments while nothing in them is live. Only the oldest ever goes, so a
     * delete frame is never removed before the add it cancels. Everything written so far is forced
     * first: the relocated copies and deletes that made the segment dead must outlive it.
     */
    private void removeDeadSegments() throws IOException {
        boolean removed = false;
        for (Segment oldest = segments.oldest(); oldest != null && oldest != head && oldest.liveCount == 0;
                oldest = segments.oldest()) {
            if (compacting == oldest) {
                compacting = null;
            }
            forceDirty();
            segments.remove(oldest);
            pool.recycle(oldest);
            SegmentFile.forceDirectory(directory);
            LOG.debug("removed segment {}", oldest.sequence);
            removed = true;
        }
        if (removed && replication != null) {
            // backups remove the same segments once they have every frame that made them dead: those go first
            publishReplication();
            replication.onSegmentsRemoved(segments.oldest().sequence);
        }
    }

    // ---- failure and shutdown ------------------------------------------------------------------

    private interface IoStep {
        void run() throws IOException;
    }

    private void guarded(IoStep step) {
        if (fenceCause != null) {
            return;
        }
        try {
            step.run();
        } catch (Throwable t) {
            fence(t);
        }
    }

    private void fence(Throwable cause) {
        if (fenceCause != null) {
            return;
        }
        fenceCause = cause;
        writtenMark.stop();
        LOG.error("journal {} fenced: no further writes until it is reopened", directory, cause);
        List<Command> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Command c : waiting) {
            if (c.isClose()) {
                closeCommand = c;
            } else {
                c.future.completeExceptionally(fencedException());
            }
        }
        if (closeCommand != null) {
            // a close was waiting behind the failure: honour it
            queue.offer(closeCommand);
            closeCommand = null;
        }
    }

    private void terminate() {
        terminated = true;
        writtenMark.stop();
        List<Command> waiting = new ArrayList<>();
        queue.drainTo(waiting);
        for (Command c : waiting) {
            if (!c.isClose()) {
                c.future.completeExceptionally(fenceCause != null ? fencedException()
                        : new IllegalStateException("journal " + directory + " is closed"));
            } else if (closeCommand == null) {
                closeCommand = c;
            }
        }
        pool.close();
        for (Segment s : segments.closeAll()) {
            try {
                s.file.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not close segment {}: {}", s.path, e.toString());
            }
        }
        if (closeCommand != null) {
            closeCommand.future.complete(null);
        }
    }
}
