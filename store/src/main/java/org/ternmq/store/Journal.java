package org.ternmq.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.Lock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;
import org.ternmq.store.index.RecordIndex;

/**
 * An append-only, segmented, crash-safe record journal. See the package documentation for the model
 * and store/README.md for the on-disk format.
 *
 * <p>Every write method returns a future completed when the record is as durable as the
 * {@link SyncPolicy} says (or, for non-durable writes, once written). Futures complete on the
 * appender thread: dependent actions must not block (use the {@code *Async} variants for slow work).
 * A payload {@link ByteBuffer}'s remaining bytes are read on the appender thread: leave them
 * unchanged until the future completes. A failed future carries {@link StoreFencedException} (the
 * journal met an I/O error), {@link IllegalStateException} (closed, or a transaction misused).
 *
 * <p>Threads: every method may be called from any thread. Appends from one thread are written in
 * call order; appends from different threads in the order they reached the queue. When the queue
 * is full ({@link JournalConfig#QUEUE_CAPACITY}) appends block until there is room, so a callback
 * running on the appender thread may append only while the queue has room, must never wait for a
 * journal future and must not call {@link #close()}.
 */
public final class Journal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    /** Ids each {@link RecordType#ID_BLOCK} frame reserves. */
    static final long ID_BLOCK_SIZE = 1 << 16;

    private final JournalConfig config;
    private final DirectoryLock lock;
    private final SegmentSet segments;
    private final RecordIndex index;
    private final BlockingQueue<Command> queue;
    private final JournalAgent agent;
    private final Thread appender;
    private final int maxPayloadSize;
    private final IdSequence ids;
    private final JournalStats stats;
    private final WrittenMark writtenMark;
    private volatile boolean closed;

    private Journal(JournalConfig config, DirectoryLock lock, SegmentSet segments, RecordIndex index,
            BlockingQueue<Command> queue, JournalAgent agent, long highestId, JournalStats stats) {
        this.config = config;
        this.stats = stats;
        this.lock = lock;
        this.segments = segments;
        this.index = index;
        this.queue = queue;
        this.agent = agent;
        this.writtenMark = agent.writtenMark();
        this.maxPayloadSize = config.get(JournalConfig.MAX_PAYLOAD_SIZE);
        this.appender = new Thread(agent, "tern-journal-appender-" + config.directory().getFileName());
        this.appender.setDaemon(true);
        this.ids = new IdSequence(highestId, ID_BLOCK_SIZE,
                last -> submit(RecordType.ID_BLOCK, last, 0, (byte) 0, null, false));
    }

    /**
     * Opens (creating if needed) the journal in {@code config.directory()}, recovers it and hands its
     * live records and prepared transactions to {@code listener} before returning. Transactions that
     * were neither prepared nor finished are rolled back.
     *
     * @throws JournalLockedException when another process or open journal holds the directory
     * @throws IOException when the directory cannot be read or holds files this build cannot read
     */
    public static Journal open(JournalConfig config, RecoveryListener listener) throws IOException {
        return open(config, listener, null, config.ioMode()::open);
    }

    /** Like {@link #open(JournalConfig, RecoveryListener)}, handing every written batch to {@code replication}. */
    public static Journal open(JournalConfig config, RecoveryListener listener, ReplicationListener replication)
            throws IOException {
        return open(config, listener, replication, config.ioMode()::open);
    }

    static Journal open(JournalConfig config, RecoveryListener listener, ReplicationListener replication,
            SegmentOpener opener) throws IOException {
        Path directory = config.directory();
        Files.createDirectories(directory);
        DirectoryLock lock = DirectoryLock.acquire(directory);
        SegmentPool pool = new SegmentPool(directory, config.segmentSize(), config.get(JournalConfig.FREE_SEGMENTS), opener);
        Recovery recovery = new Recovery(directory, opener, pool);
        try {
            long started = System.nanoTime();
            pool.scanLeftovers();
            recovery.run();
            Segment head = recovery.head();
            long nextSequence = recovery.lastSequence() + 1;
            if (head == null) {
                head = pool.newSegment(nextSequence++);
                recovery.segments().add(head);
                SegmentFile.forceDirectory(directory);
            }
            pool.topUp();
            List<Long> unfinished = deliver(recovery, listener);
            BlockingQueue<Command> queue = new LinkedBlockingQueue<>(config.get(JournalConfig.QUEUE_CAPACITY));
            JournalStats stats = new JournalStats();
            JournalAgent agent = new JournalAgent(config, queue, recovery.segments(), recovery.state(), pool, head,
                    nextSequence, replication, stats);
            Journal journal = new Journal(config, lock, recovery.segments(), recovery.state().index, queue, agent,
                    recovery.state().highestId(), stats);
            journal.appender.start();
            // the head must state the high-water mark: older segments holding it may be removed
            journal.ids.reserveAhead();
            LOG.info("opened journal {}: {} live records, {} segments, recovered in {} ms", directory,
                    recovery.state().index.size(), recovery.segments().count(), (System.nanoTime() - started) / 1_000_000);
            journal.rollbackUnfinished(unfinished);
            return journal;
        } catch (IOException | RuntimeException | Error e) {
            pool.close();
            for (Segment s : recovery.segments().closeAll()) {
                try {
                    s.file.close();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            lock.close();
            throw e;
        }
    }

    private void rollbackUnfinished(List<Long> unfinished) throws IOException {
        if (unfinished.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] futures = unfinished.stream().map(this::rollback).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(futures).join();
        } catch (RuntimeException e) {
            close();
            throw new IOException("could not roll back unfinished transactions in " + config.directory(), e);
        }
    }

    /** Replays live records and prepared transactions; returns the ids of unfinished, unprepared ones. */
    private static List<Long> deliver(Recovery recovery, RecoveryListener listener) throws IOException {
        RecordIndex index = recovery.state().index;
        long[] locations = new long[index.size()];
        int[] n = {0};
        index.forEach((id, location) -> locations[n[0]++] = location);
        Arrays.sort(locations);
        ReadAhead readAhead = new ReadAhead(4 << 20);
        for (long location : locations) {
            Segment s = recovery.segments().get(Location.segment(location));
            int offset = Location.offset(location);
            ByteBuffer b = readAhead.bytes(s.file, offset, RecordDescriptor.HEADER_LENGTH);
            int length = b.getInt(readAhead.indexOf(offset) + RecordDescriptor.LENGTH_OFFSET);
            b = readAhead.bytes(s.file, offset, length);
            int at = readAhead.indexOf(offset);
            listener.onRecord(b.getLong(at + RecordDescriptor.ID_OFFSET), b.get(at + RecordDescriptor.USER_TYPE_OFFSET),
                    b.slice(at + RecordDescriptor.PAYLOAD_OFFSET, length - RecordDescriptor.PAYLOAD_OFFSET)
                            .asReadOnlyBuffer());
        }
        ByteBuffer buffer = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> unfinished = new ArrayList<>();
        for (PendingTransaction tx : recovery.state().transactions().values()) {
            if (!tx.isPrepared()) {
                unfinished.add(tx.txId);
                continue;
            }
            List<PreparedTransaction.Change> changes = new ArrayList<>();
            for (Map.Entry<Long, PendingTransaction.Change> e : tx.changes.entrySet()) {
                buffer = readFrame(recovery.segments(), e.getValue().location, buffer);
                ByteBuffer payload = ByteBuffer.allocate(buffer.limit() - RecordDescriptor.PAYLOAD_OFFSET)
                        .put(0, buffer, RecordDescriptor.PAYLOAD_OFFSET, buffer.limit() - RecordDescriptor.PAYLOAD_OFFSET);
                changes.add(new PreparedTransaction.Change(e.getKey(), buffer.get(RecordDescriptor.USER_TYPE_OFFSET),
                        e.getValue().delete, payload.asReadOnlyBuffer()));
            }
            listener.onPreparedTransaction(new PreparedTransaction(tx.txId, tx.xid.clone(), List.copyOf(changes)));
        }
        return unfinished;
    }

    /** Reads the whole frame at {@code location} into {@code buffer} (or a bigger one, returned), limit = frame length. */
    private static ByteBuffer readFrame(SegmentSet segments, long location, ByteBuffer buffer) throws IOException {
        Segment s = segments.get(Location.segment(location));
        int offset = Location.offset(location);
        int length = s.file.readInt(offset + RecordDescriptor.LENGTH_OFFSET);
        ByteBuffer b = buffer.capacity() >= length ? buffer
                : ByteBuffer.allocate(Integer.highestOneBit(length - 1) << 1).order(ByteOrder.LITTLE_ENDIAN);
        b.clear().limit(length);
        s.file.read(offset, b);
        return b.flip();
    }

    // ---- ids ------------------------------------------------------------------------------------

    /**
     * A new record or transaction id, never handed out before by a journal in this directory: not before a
     * restart or a crash, not for a record since deleted and compacted away. Ids grow, but callers may
     * write them in any order. Any thread.
     */
    public long nextId() {
        return ids.next(1);
    }

    /** The first of {@code count} consecutive new ids (see {@link #nextId()}). */
    public long nextIds(int count) {
        return ids.next(count);
    }

    // ---- writes ----------------------------------------------------------------------------------

    /** Adds record {@code id} (an add of a live id replaces it). */
    public CompletableFuture<Void> add(long id, byte userType, ByteBuffer payload, boolean durable) {
        return submit(RecordType.ADD, id, 0, userType, payload, durable);
    }

    /** Gives record {@code id} a new payload (an update of an absent id adds it). */
    public CompletableFuture<Void> update(long id, byte userType, ByteBuffer payload, boolean durable) {
        return submit(RecordType.UPDATE, id, 0, userType, payload, durable);
    }

    /** Deletes record {@code id}; deleting an absent id writes nothing and completes normally. */
    public CompletableFuture<Void> delete(long id, boolean durable) {
        return submit(RecordType.DELETE, id, 0, (byte) 0, null, durable);
    }

    /** Stages an add in transaction {@code txId}; the future completes once written (never forced). */
    public CompletableFuture<Void> addTx(long txId, long id, byte userType, ByteBuffer payload) {
        return submit(RecordType.ADD_TX, id, txId, userType, payload, false);
    }

    /** Stages an update in transaction {@code txId}; completes once written. */
    public CompletableFuture<Void> updateTx(long txId, long id, byte userType, ByteBuffer payload) {
        return submit(RecordType.UPDATE_TX, id, txId, userType, payload, false);
    }

    /** Stages a delete in transaction {@code txId}; completes once written. */
    public CompletableFuture<Void> deleteTx(long txId, long id) {
        return submit(RecordType.DELETE_TX, id, txId, (byte) 0, null, false);
    }

    /**
     * Prepares transaction {@code txId} (two-phase commit), durably. After this it can only commit or
     * roll back, also across restarts.
     *
     * @param xid the XA Xid's bytes, given back at recovery
     */
    public CompletableFuture<Void> prepare(long txId, byte[] xid) {
        return submit(RecordType.PREPARE, txId, 0, (byte) 0, ByteBuffer.wrap(xid.clone()), true);
    }

    /** Commits transaction {@code txId}, durably; an unknown (or empty) transaction completes at once. */
    public CompletableFuture<Void> commit(long txId) {
        return commit(txId, true);
    }

    /**
     * Commits transaction {@code txId}: atomically either way (after a crash all of its changes are there or
     * none), forced before the future completes only when {@code durable} (and the sync policy forces). A
     * non-durable commit is written and rides the next force; a power cut may take it back whole. The commit
     * of a prepared transaction is forced whatever {@code durable} says.
     */
    public CompletableFuture<Void> commit(long txId, boolean durable) {
        return submit(RecordType.COMMIT, txId, 0, (byte) 0, null, durable);
    }

    /** Rolls transaction {@code txId} back, durably; an unknown transaction completes at once. */
    public CompletableFuture<Void> rollback(long txId) {
        return submit(RecordType.ROLLBACK, txId, 0, (byte) 0, null, true);
    }

    private CompletableFuture<Void> submit(RecordType type, long id, long txId, byte userType, ByteBuffer payload,
            boolean durable) {
        int length = payload == null ? 0 : payload.remaining();
        if (length > maxPayloadSize) {
            throw new IllegalArgumentException("payload of " + length + " bytes exceeds maxPayloadSize " + maxPayloadSize);
        }
        return enqueue(new Command(type, id, txId, userType, payload, durable));
    }

    /**
     * From now on, what the calling thread queues does not wake the appender: the thread means to write it itself
     * with {@link #writeHere}, which it must call next (on every path). For a thread that answers for what it queues
     * (a broker's agent): writing and forcing a batch where it was asked for saves two hand-offs between threads
     * (to the appender and back), at the price of that thread's time while the batch is written and forced.
     */
    public void holdWakeups() {
        agent.holdWakeups();
    }

    /**
     * Writes what is queued, in order, on the calling thread, as the appender would write one batch (forced as the
     * sync policy and the commands say; futures completed on this thread before this returns), unless another thread
     * writes at the moment: then the appender writes it, woken now. Ends {@link #holdWakeups}. Returns whether the
     * batch was written here. Future callbacks that run here must not wait for a write (as on the appender thread).
     */
    public boolean writeHere() {
        if (closed || Thread.currentThread() == appender) {
            agent.holdWakeupsEnd();
            agent.wake();
            return false;
        }
        return agent.writeHere();
    }

    /**
     * Completes once every write submitted before this call is in its segment file, forced or not: what a process
     * killed right after would still leave on disk (not what a power cut would). Fails as those writes would
     * (fenced, closed). Costs no frame; a caller that must not act before its writes are written (a broker sending a
     * delivery whose count it just wrote) waits for this rather than for a force.
     */
    public CompletableFuture<Void> written() {
        return enqueue(Command.mark());
    }

    private CompletableFuture<Void> enqueue(Command c) {
        if (closed) {
            c.future.completeExceptionally(new IllegalStateException("journal " + config.directory() + " is closed"));
            return c.future;
        }
        if (agent.fenceCause() != null) {
            c.future.completeExceptionally(agent.fencedException());
            return c.future;
        }
        try {
            queue.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.future.completeExceptionally(e);
            return c.future;
        }
        agent.wake();
        // The appender may have drained its queue for the last time just before our put.
        if (agent.isTerminated() && queue.remove(c)) {
            c.future.completeExceptionally(agent.fenceCause() != null ? agent.fencedException()
                    : new IllegalStateException("journal " + config.directory() + " is closed"));
        }
        return c.future;
    }

    // ---- reads -----------------------------------------------------------------------------------

    /**
     * The current payload of live record {@code id}, or empty. Reflects every write the appender has
     * taken up (possibly before it is durable; a write whose frame is still gathered in the appender's
     * memory is waited for, at most until the end of the appender's batch), so always every write whose
     * future completed. Safe against concurrent appends and compaction: a relocated record is found at
     * its new place.
     *
     * @throws IllegalStateException when the journal is closed
     * @throws StoreFencedException when the record's frame was never written because the journal fenced
     * @throws UncheckedIOException when the file cannot be read
     */
    public Optional<JournalRecord> read(long id) {
        long[] unwritten = new long[1];
        while (true) {
            Optional<JournalRecord> r = readIfWritten(id, unwritten);
            if (r != null) {
                return r;
            }
            awaitWritten(unwritten[0]);
        }
    }

    /** {@link #read}, or null with the record's location in {@code unwritten[0]} when its frame is not written yet. */
    private Optional<JournalRecord> readIfWritten(long id, long[] unwritten) {
        Lock readLock = segments.readLock();
        readLock.lock();
        try {
            if (segments.isClosed()) {
                throw new IllegalStateException("journal " + config.directory() + " is closed");
            }
            long location = index.get(id);
            if (location == RecordIndex.ABSENT) {
                return Optional.empty();
            }
            if (!writtenMark.isWritten(location)) {
                unwritten[0] = location;
                return null;
            }
            stats.read();
            Segment s = segments.get(Location.segment(location));
            int offset = Location.offset(location);
            ByteBuffer header = ByteBuffer.allocate(RecordDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            s.file.read(offset, header);
            if (header.getLong(RecordDescriptor.ID_OFFSET) != id) {
                throw new IllegalStateException("index points record " + id + " at " + Location.toString(location)
                        + " which holds record " + header.getLong(RecordDescriptor.ID_OFFSET));
            }
            ByteBuffer payload = ByteBuffer.allocate(header.getInt(RecordDescriptor.LENGTH_OFFSET) - RecordDescriptor.HEADER_LENGTH);
            s.file.read(offset + RecordDescriptor.HEADER_LENGTH, payload);
            return Optional.of(new JournalRecord(id, header.get(RecordDescriptor.USER_TYPE_OFFSET),
                    payload.flip().asReadOnlyBuffer()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read record " + id + " from " + config.directory(), e);
        } finally {
            readLock.unlock();
        }
    }

    /** How much one positioned read of {@link #readAll} fetches at least. */
    static final int READ_AHEAD_BYTES = 256 * 1024;

    /**
     * The current payloads of live records {@code ids}, in the same order (null where a record is absent): like
     * {@link #read} for each, but in journal order, a window of at least {@link #READ_AHEAD_BYTES} per
     * positioned read, so a run of records written together (a backlog being paged back in) costs one read
     * per window instead of two per record.
     *
     * @throws IllegalStateException when the journal is closed
     * @throws StoreFencedException when a record's frame was never written because the journal fenced
     * @throws UncheckedIOException when the file cannot be read
     */
    public JournalRecord[] readAll(long[] ids) {
        long[] unwritten = new long[1];
        while (true) {
            JournalRecord[] r = readAllIfWritten(ids, unwritten);
            if (r != null) {
                return r;
            }
            awaitWritten(unwritten[0]);
        }
    }

    /** {@link #readAll}, or null with a location in {@code unwritten[0]} when a record's frame is not written yet. */
    private JournalRecord[] readAllIfWritten(long[] ids, long[] unwritten) {
        JournalRecord[] result = new JournalRecord[ids.length];
        Lock readLock = segments.readLock();
        readLock.lock();
        try {
            if (segments.isClosed()) {
                throw new IllegalStateException("journal " + config.directory() + " is closed");
            }
            long[] locations = new long[ids.length];
            Integer[] order = new Integer[ids.length];
            int found = 0;
            for (int i = 0; i < ids.length; i++) {
                locations[i] = index.get(ids[i]);
                if (locations[i] != RecordIndex.ABSENT) {
                    if (!writtenMark.isWritten(locations[i])) {
                        unwritten[0] = locations[i];
                        return null;
                    }
                    order[found++] = i;
                }
            }
            java.util.Arrays.sort(order, 0, found, (a, b) -> Long.compare(locations[a], locations[b]));
            ByteBuffer window = null;
            long windowSegment = -1;
            int windowStart = 0;
            for (int k = 0; k < found; k++) {
                int i = order[k];
                long segment = Location.segment(locations[i]);
                int offset = Location.offset(locations[i]);
                Segment s = segments.get(segment);
                if (window == null || segment != windowSegment || offset < windowStart
                        || offset + RecordDescriptor.HEADER_LENGTH > windowStart + window.limit()) {
                    window = readWindow(s, offset, READ_AHEAD_BYTES);
                    windowSegment = segment;
                    windowStart = offset;
                }
                int length = window.getInt(offset - windowStart + RecordDescriptor.LENGTH_OFFSET);
                if (offset + length > windowStart + window.limit()) {
                    window = readWindow(s, offset, Math.max(READ_AHEAD_BYTES, length));
                    windowStart = offset;
                }
                int at = offset - windowStart;
                if (window.getLong(at + RecordDescriptor.ID_OFFSET) != ids[i]) {
                    throw new IllegalStateException("index points record " + ids[i] + " at "
                            + Location.toString(locations[i]) + " which holds record "
                            + window.getLong(at + RecordDescriptor.ID_OFFSET));
                }
                byte[] payload = new byte[length - RecordDescriptor.HEADER_LENGTH];
                window.get(at + RecordDescriptor.HEADER_LENGTH, payload);
                result[i] = new JournalRecord(ids[i], window.get(at + RecordDescriptor.USER_TYPE_OFFSET),
                        ByteBuffer.wrap(payload).asReadOnlyBuffer());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read records from " + config.directory(), e);
        } finally {
            readLock.unlock();
        }
    }

    /**
     * Waits, outside the segment lock, until the appender has written the frame at {@code location}, which the
     * index already points at (see {@link WrittenMark}).
     */
    private void awaitWritten(long location) {
        if (Thread.currentThread() == appender || agent.writesOn(Thread.currentThread())) {
            // cannot happen through futures (they complete after the write); a wait here would never end
            throw new IllegalStateException("record at " + Location.toString(location)
                    + " is not written yet and the appender thread cannot wait for itself");
        }
        if (!writtenMark.await(location)) {
            throw agent.fenceCause() != null ? agent.fencedException()
                    : new IllegalStateException("journal " + config.directory() + " is closed");
        }
    }

    private static ByteBuffer readWindow(Segment s, int offset, int size) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(Math.min(size, s.file.capacity() - offset)).order(ByteOrder.LITTLE_ENDIAN);
        s.file.read(offset, window);
        return window.flip();
    }

    // ---- state -----------------------------------------------------------------------------------

    /** Whether an I/O error fenced the journal; once true it stays true until the journal is reopened. */
    public boolean isFenced() {
        return agent.fenceCause() != null;
    }

    /** Counters of what this journal did since it was opened (appends, forces, compactions, reads). */
    public JournalStats stats() {
        return stats;
    }

    /** The configuration the journal was opened with. */
    public JournalConfig config() {
        return config;
    }

    /**
     * Writes everything queued before this call, forces it (whatever the policy), closes the files and
     * releases the directory. Idempotent. Later writes fail with {@link IllegalStateException}.
     */
    @Override
    public void close() throws IOException {
        if (Thread.currentThread() == appender || agent.writesOn(Thread.currentThread())) {
            throw new IllegalStateException(
                    "close() called from a future callback on the writing thread would wait for itself");
        }
        if (closed) {
            return;
        }
        closed = true;
        Command close = Command.close();
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(close);
                agent.wakeUp(); // whoever holds wake-ups: a close is for the appender
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (appender.isAlive()) {
            try {
                appender.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        lock.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
