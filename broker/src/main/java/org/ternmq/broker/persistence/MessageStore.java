package org.ternmq.broker.persistence;

import java.io.IOException;

/**
 * Where the broker keeps what must survive a restart: durable queues and subscriptions, persistent
 * messages and their references in each durable queue, delivery counts and duplicate ids. The broker
 * changes the store only through {@link StoreBatch}es, each written atomically, and reads messages back
 * one reference at a time with {@link #readRef} (paging), so a backlog need not fit in the heap.
 *
 * <p>Called on the broker agent thread only; futures complete on the store's own thread.
 */
public interface MessageStore extends AutoCloseable {

    /** Whether anything is written at all (false for a broker that keeps everything in memory). */
    boolean persistent();

    /** Why the store refuses writes after an I/O error, or null while it is healthy. */
    String fencedReason();

    /**
     * Why this broker must not answer anything now because another may be, or become, live (its ZooKeeper lease ran
     * out, or it was fenced by the election), or null; any thread. A store without replication: always null.
     */
    default String leadershipLost() {
        return null;
    }

    /**
     * Why a durable write that awaits backups ({@link StoreBatch#awaitBackups}) is refused now (too few in sync, or
     * no replication at all), or null.
     */
    default String backupShortage() {
        return "replication=sync needs backups and this broker has no replication (--replication-port or "
                + "--zookeeper)";
    }

    /** Whether a write to a destination without a replication policy awaits backups (the broker's mode is sync). */
    default boolean awaitsBackupsByDefault() {
        return false;
    }

    /**
     * Completes once every batch committed before this call is written to the store's files, forced or not: what the
     * broker's process killed right after would still leave. A store that keeps nothing: at once. Fails as those
     * writes would.
     */
    default java.util.concurrent.CompletableFuture<Void> written() {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * What the calling thread (the agent) hands to the store from now on waits, without waking the store's writer,
     * until the same thread calls {@link #writeHere}, which it must. A store without a writer thread ignores it.
     */
    default void holdWrites() {
    }

    /**
     * Writes (and forces, as the batches ask) what the calling thread handed over since {@link #holdWrites}, on this
     * thread, when the store's writer is idle; else wakes the writer for it. Futures complete on this thread, before
     * this returns, when it writes here. Nothing to do without a {@link #holdWrites}.
     */
    default void writeHere() {
    }

    /** The journal's counters (appends, forces, compactions, reads), or null for a store without a journal. */
    default org.ternmq.store.JournalStats journalStats() {
        return null;
    }

    /** A new id, unique across restarts, for a queue, a message, a reference or a record. */
    long nextId();

    /** The first of {@code count} consecutive new ids (see {@link #nextId}). */
    long nextIds(int count);

    /** Starts a set of changes that will be written atomically. */
    StoreBatch batch();

    /** Commits a transaction {@link StoreBatch#prepare prepared} before, durably. */
    java.util.concurrent.CompletableFuture<Void> commitPrepared(long txId, boolean awaitBackups);

    /** Rolls back a transaction {@link StoreBatch#prepare prepared} before, durably. */
    java.util.concurrent.CompletableFuture<Void> rollbackPrepared(long txId, boolean awaitBackups);

    /** Replays everything stored to {@code loader}, once, before the broker accepts connections. */
    void load(StoreLoader loader) throws IOException;

    /**
     * Reads reference {@code refId} back with its message, as stored by batches committed so far (a
     * reference whose batch has not been written yet is not found).
     *
     * @return the reference, or null when it is not stored or its message is missing
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    StoredRef readRef(long refId);

    /**
     * {@link #readRef} for each of {@code refIds}, in the same order (null where one is missing); a store may
     * read them together, in its own order (a paged backlog is read back in journal order, in large reads).
     */
    default StoredRef[] readRefs(long[] refIds) {
        StoredRef[] result = new StoredRef[refIds.length];
        for (int i = 0; i < refIds.length; i++) {
            result[i] = readRef(refIds[i]);
        }
        return result;
    }

    /**
     * Reads a retained message back whole (lifecycle and message).
     *
     * @return the record, or null when it is not stored
     * @throws java.io.UncheckedIOException when the store cannot be read
     */
    RetainedRecord readRetained(long recordId);

    /**
     * Writes chunk {@code index} of large body {@code bodyId} as record {@code chunkId}, not forced: the message
     * that names the body is written after its chunks, and forcing it forces them.
     */
    java.util.concurrent.CompletableFuture<Void> addChunk(long chunkId, long bodyId, int index, byte[] data);

    /** @return the bytes of chunk record {@code chunkId}, or null when it is gone */
    byte[] readChunk(long chunkId);

    /** Deletes chunk records (a body no message needs any more). */
    void deleteChunks(long[] chunkIds, int count);

    @Override
    void close();
}
