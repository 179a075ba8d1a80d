package org.ternmq.broker.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.JournalRecord;

/**
 * The broker's store on a {@link Journal}: each {@link StoreBatch} of one change is one record, a batch of
 * several is one journal transaction. A message routed to several durable queues is written once and
 * referenced by small REF records, so a message sent to a topic with N durable subscriptions costs one
 * body write and N references; a message that stands in one durable queue only (the common case: a queue)
 * is one QUEUED record, body and reference together, so a backlog of millions costs the journal's index
 * one entry per message (see {@link StoreRecordDescriptor}). Start-up reads no message body: recovery keeps
 * 16 bytes per reference and {@link #readRef} reads a message when the broker pages it in.
 *
 * <p>Batches are built and committed on the broker agent thread; the journal's appender thread completes
 * their futures.
 */
public final class JournalStore implements MessageStore {

    private final Journal journal;
    /** Null without replication. */
    private final ReplicationGate replication;
    /** What recovery found, until {@link #load} hands it over. */
    private StoreRecovery recovered;

    private JournalStore(JournalConfig config, org.ternmq.store.ReplicationListener listener, ReplicationGate gate)
            throws IOException {
        this.recovered = new StoreRecovery();
        this.replication = gate;
        this.journal = listener == null ? Journal.open(config, recovered) : Journal.open(config, recovered, listener);
    }

    /** Opens (and recovers) the journal; the broker then calls {@link #load}. */
    public static JournalStore open(JournalConfig config) throws IOException {
        return new JournalStore(config, null, null);
    }

    /**
     * Opens the journal of a live broker that replicates: every batch goes to {@code listener}, and every durable
     * write is answered as {@code gate} says.
     */
    public static JournalStore open(JournalConfig config, org.ternmq.store.ReplicationListener listener,
            ReplicationGate gate) throws IOException {
        return new JournalStore(config, listener, gate);
    }

    private CompletableFuture<Void> replicated(CompletableFuture<Void> stored, boolean awaitBackups) {
        return replication == null ? stored : replication.afterStored(stored, awaitBackups);
    }

    @Override
    public boolean persistent() {
        return true;
    }

    @Override
    public CompletableFuture<Void> written() {
        return journal.written();
    }

    /**
     * Writes on the agent's thread that take longer than this on average (one in 16 weighing, so one stall of about
     * 15 ms does it, sustained slow forces sooner) make the agent leave writes to the journal's writer...
     */
    private long slowWriteNanos = TimeUnit.MILLISECONDS.toNanos(1);
    /** ...for this long: a slow disk (or a stall) must not hold every connection of the broker back. */
    private long slowBackOffNanos = TimeUnit.SECONDS.toNanos(1);
    /** Whether this store's owner held the journal's wake-ups and must write ({@link #writeHere}). */
    private boolean held;
    private long slowUntil = System.nanoTime() - 1;
    /** The recent average time of a write here (exponentially weighted), in nanoseconds. */
    private long averageWriteNanos;

    /** Sets what {@link #holdWrites} calls a slow write, and how long it then leaves writes to the journal (tests). */
    void slowWrites(long thresholdNanos, long backOffNanos) {
        this.slowWriteNanos = thresholdNanos;
        this.slowBackOffNanos = backOffNanos;
    }

    /**
     * Holds the journal's wake-ups for what the agent hands over until {@link #writeHere}; not for a second after
     * writes here grew slow (over a millisecond on average): the journal's writer then takes every batch.
     */
    @Override
    public void holdWrites() {
        if (System.nanoTime() - slowUntil < 0) {
            return;
        }
        journal.holdWakeups();
        held = true;
    }

    @Override
    public void writeHere() {
        if (held) {
            held = false;
            long start = System.nanoTime();
            if (journal.writeHere()) {
                long now = System.nanoTime();
                averageWriteNanos += (now - start - averageWriteNanos) / 16;
                if (averageWriteNanos > slowWriteNanos) {
                    slowUntil = now + slowBackOffNanos;
                    averageWriteNanos = 0; // judged afresh after the pause
                }
            }
        }
    }

    @Override
    public org.ternmq.store.JournalStats journalStats() {
        return journal.stats();
    }

    @Override
    public String fencedReason() {
        if (journal.isFenced()) {
            return "the journal in " + journal.config().directory() + " is fenced after an I/O error";
        }
        return replication == null ? null : replication.refusal();
    }

    @Override
    public String leadershipLost() {
        return replication == null ? null : replication.refusal();
    }

    @Override
    public String backupShortage() {
        return replication == null ? MessageStore.super.backupShortage() : replication.shortage();
    }

    @Override
    public boolean awaitsBackupsByDefault() {
        return replication != null && replication.awaitsBackupsByDefault();
    }

    /** The journal's: never handed out before in this data directory, whatever was deleted or compacted. */
    @Override
    public long nextId() {
        return journal.nextId();
    }

    @Override
    public long nextIds(int count) {
        return journal.nextIds(count);
    }

    @Override
    public CompletableFuture<Void> commitPrepared(long txId, boolean awaitBackups) {
        return replicated(journal.commit(txId), awaitBackups);
    }

    @Override
    public CompletableFuture<Void> rollbackPrepared(long txId, boolean awaitBackups) {
        return replicated(journal.rollback(txId), awaitBackups);
    }

    @Override
    public void load(StoreLoader loader) {
        if (recovered == null) {
            throw new IllegalStateException("the store was loaded already");
        }
        recovered.replay(loader, journal);
        recovered = null;
    }

    @Override
    public CompletableFuture<Void> addChunk(long chunkId, long bodyId, int index, byte[] data) {
        return journal.add(chunkId, StoreRecordDescriptor.CHUNK, StoreRecordDescriptor.encodeChunk(bodyId, index, data),
                false);
    }

    @Override
    public byte[] readChunk(long chunkId) {
        Optional<JournalRecord> found = journal.read(chunkId);
        if (found.isEmpty() || found.get().userType() != StoreRecordDescriptor.CHUNK) {
            return null;
        }
        ByteBuffer p = found.get().payload();
        byte[] data = new byte[p.remaining() - StoreRecordDescriptor.CHUNK_HEADER_LENGTH];
        p.duplicate().position(p.position() + StoreRecordDescriptor.CHUNK_HEADER_LENGTH).get(data);
        return data;
    }

    @Override
    public void deleteChunks(long[] chunkIds, int count) {
        for (int i = 0; i < count; i++) {
            journal.delete(chunkIds[i], false);
        }
    }

    @Override
    public StoredRef readRef(long refId) {
        Optional<JournalRecord> found = journal.read(refId);
        if (found.isEmpty()) {
            return null;
        }
        JournalRecord record = found.get();
        if (StoreRecordDescriptor.isQueued(record.userType())) {
            StoredRef queued = StoreRecordDescriptor.decodeQueued(refId, record.userType(), record.payload());
            Optional<JournalRecord> delivery = journal.read(refId + 1);
            return delivery.isPresent() && delivery.get().userType() == StoreRecordDescriptor.DELIVERY
                    ? StoreRecordDescriptor.withDelivery(queued, delivery.get().payload()) : queued;
        }
        if (record.userType() != StoreRecordDescriptor.REF) {
            return null;
        }
        RefRecord ref = StoreRecordDescriptor.decodeRef(refId, record.payload());
        Optional<JournalRecord> message = journal.read(ref.messageId());
        if (message.isEmpty()) {
            return null;
        }
        ByteBuffer p = message.get().payload();
        byte[] bytes = new byte[p.remaining()];
        p.duplicate().get(bytes);
        return new StoredRef(refId, ref.messageId(), ref.queueId(), ref.sequence(), ref.deliveryCount(),
                ref.uncharged(), ref.redeliverAt(), ref.firstDeliveredAt(), false, bytes);
    }

    @Override
    public StoredRef[] readRefs(long[] refIds) {
        // each queued record with the delivery record that may follow it (id + 1), read together in journal order
        long[] ids = new long[refIds.length * 2];
        for (int i = 0; i < refIds.length; i++) {
            ids[2 * i] = refIds[i];
            ids[2 * i + 1] = refIds[i] + 1;
        }
        JournalRecord[] records = journal.readAll(ids);
        StoredRef[] result = new StoredRef[refIds.length];
        for (int i = 0; i < refIds.length; i++) {
            JournalRecord record = records[2 * i];
            if (record == null) {
                continue;
            }
            if (StoreRecordDescriptor.isQueued(record.userType())) {
                StoredRef queued = StoreRecordDescriptor.decodeQueued(refIds[i], record.userType(), record.payload());
                JournalRecord delivery = records[2 * i + 1];
                result[i] = delivery != null && delivery.userType() == StoreRecordDescriptor.DELIVERY
                        ? StoreRecordDescriptor.withDelivery(queued, delivery.payload()) : queued;
            } else {
                result[i] = readRef(refIds[i]); // a ref of a message stored apart: rare, read alone
            }
        }
        return result;
    }

    @Override
    public RetainedRecord readRetained(long recordId) {
        Optional<JournalRecord> found = journal.read(recordId);
        if (found.isEmpty() || found.get().userType() != StoreRecordDescriptor.RETAINED) {
            return null;
        }
        return StoreRecordDescriptor.decodeRetained(recordId, found.get().payload(), true);
    }

    @Override
    public StoreBatch batch() {
        return new JournalBatch();
    }

    @Override
    public void close() {
        try {
            journal.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The changes of one batch, written when committed. */
    private final class JournalBatch implements StoreBatch {

        private record Change(long id, byte type, ByteBuffer payload, boolean update) {
            boolean delete() {
                return payload == null;
            }
        }

        private final List<Change> changes = new ArrayList<>(4);
        /** The queued messages this batch adds, by id: a first delivery in the same batch goes into their record. */
        private Map<Long, Queued> queued;

        /** How many {@link #removeQueuedMessage} calls of this batch also removed a delivery record. */
        private int queuedRemovedWithDelivery;

        /** A QUEUED change of this batch: where it stands in {@link #changes} and what it was made of. */
        private record Queued(int index, long queueId, long sequence) {
        }
        /** Whether the batch awaits backups; null: nobody said, the broker's mode decides. */
        private Boolean awaitBackups;

        @Override
        public void awaitBackups(boolean await) {
            awaitBackups = await || Boolean.TRUE.equals(awaitBackups);
        }

        private boolean awaitsBackups() {
            return awaitBackups != null ? awaitBackups : awaitsBackupsByDefault();
        }

        @Override
        public void addQueue(QueueRecord queue) {
            changes.add(new Change(queue.id(), StoreRecordDescriptor.QUEUE, StoreRecordDescriptor.encode(queue), false));
        }

        @Override
        public void removeQueue(long queueId) {
            changes.add(new Change(queueId, (byte) 0, null, false));
        }

        @Override
        public void addMessage(long messageId, byte[] encoded) {
            changes.add(new Change(messageId, StoreRecordDescriptor.MESSAGE, ByteBuffer.wrap(encoded), false));
        }

        @Override
        public void removeMessage(long messageId) {
            changes.add(new Change(messageId, (byte) 0, null, false));
        }

        @Override
        public void addRef(RefRecord ref) {
            changes.add(new Change(ref.id(), StoreRecordDescriptor.REF, StoreRecordDescriptor.encode(ref), false));
        }

        @Override
        public void updateRef(RefRecord ref) {
            changes.add(new Change(ref.id(), StoreRecordDescriptor.REF, StoreRecordDescriptor.encode(ref), true));
        }

        @Override
        public void removeRef(long refId) {
            changes.add(new Change(refId, (byte) 0, null, false));
        }

        @Override
        public void addQueuedMessage(long id, long queueId, long sequence, int deliveryCount, long redeliverAt,
                                     byte[] encoded) {
            if (queued == null) {
                queued = new HashMap<>(4);
            }
            queued.put(id, new Queued(changes.size(), queueId, sequence));
            changes.add(new Change(id, StoreRecordDescriptor.QUEUED,
                    StoreRecordDescriptor.encodeQueued(queueId, sequence, deliveryCount, redeliverAt, encoded), false));
        }

        @Override
        public boolean updateDelivery(long queuedId, int deliveryCount, int uncharged, long redeliverAt,
                long firstDeliveredAt) {
            Queued q = queued == null ? null : queued.get(queuedId);
            if (q != null && uncharged == 0) {
                // stored by this very batch: its own record carries the delivery state, no DELIVERY record needed
                changes.set(q.index(), new Change(queuedId, StoreRecordDescriptor.QUEUED_DELIVERED,
                        StoreRecordDescriptor.queuedDelivered(changes.get(q.index()).payload(), q.queueId(), q.sequence(),
                                deliveryCount, redeliverAt, firstDeliveredAt), false));
                return false;
            }
            // an update of an absent id adds it: the first delivery creates the record
            changes.add(new Change(queuedId + 1, StoreRecordDescriptor.DELIVERY,
                    StoreRecordDescriptor.encodeDelivery(queuedId, deliveryCount, uncharged, redeliverAt,
                            firstDeliveredAt), true));
            return true;
        }

        @Override
        public void removeQueuedMessage(long queuedId, boolean deliveryStored) {
            changes.add(new Change(queuedId, (byte) 0, null, false));
            if (deliveryStored) {
                changes.add(new Change(queuedId + 1, (byte) 0, null, false));
                queuedRemovedWithDelivery++;
            }
        }

        @Override
        public void addDuplicateId(DuplicateIdRecord record) {
            changes.add(new Change(record.id(), StoreRecordDescriptor.DUPLICATE, StoreRecordDescriptor.encode(record), false));
        }

        @Override
        public void removeDuplicateId(long recordId) {
            changes.add(new Change(recordId, (byte) 0, null, false));
        }

        @Override
        public void addHeuristic(HeuristicRecord record) {
            changes.add(new Change(record.id(), StoreRecordDescriptor.HEURISTIC, StoreRecordDescriptor.encode(record), false));
        }

        @Override
        public void removeHeuristic(long recordId) {
            changes.add(new Change(recordId, (byte) 0, null, false));
        }

        @Override
        public void addRetained(RetainedRecord record) {
            changes.add(new Change(record.id(), StoreRecordDescriptor.RETAINED, StoreRecordDescriptor.encode(record), false));
        }

        @Override
        public void removeRetained(long recordId) {
            changes.add(new Change(recordId, (byte) 0, null, false));
        }

        @Override
        public boolean isEmpty() {
            return changes.isEmpty();
        }

        @Override
        public CompletableFuture<Long> prepare(byte[] payload) {
            long txId = stageInTransaction();
            return replicated(journal.prepare(txId, payload), awaitsBackups()).thenApply(v -> txId);
        }

        /** Writes every change as part of a new journal transaction; returns its id. */
        private long stageInTransaction() {
            long txId = nextId();
            for (Change c : changes) {
                if (c.delete()) {
                    journal.deleteTx(txId, c.id());
                } else if (c.update()) {
                    journal.updateTx(txId, c.id(), c.type(), c.payload());
                } else {
                    journal.addTx(txId, c.id(), c.type(), c.payload());
                }
            }
            return txId;
        }

        @Override
        public CompletableFuture<Void> commit(boolean sync) {
            return commitStages(sync).replicated();
        }

        @Override
        public Committed commitStages(boolean sync) {
            CompletableFuture<Void> stored = write(sync);
            if (!sync) {
                return new Committed(stored, stored);
            }
            return new Committed(replicated(stored, false), replicated(stored, awaitsBackups()));
        }

        private CompletableFuture<Void> write(boolean sync) {
            if (changes.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (changes.size() == 1) {
                Change c = changes.get(0);
                if (c.delete()) {
                    return journal.delete(c.id(), sync);
                }
                return c.update() ? journal.update(c.id(), c.type(), c.payload(), sync)
                        : journal.add(c.id(), c.type(), c.payload(), sync);
            }
            if (changes.size() == 2 && queuedRemovedWithDelivery == 1) {
                // Only a queued message and its delivery record go: the message first, so a crash between the two
                // leaves a delivery record without its message, which loading deletes, never a message that lost
                // its delivery count. No transaction needed.
                journal.delete(changes.get(0).id(), sync);
                return journal.delete(changes.get(1).id(), sync);
            }
            if (!sync && changes.stream().noneMatch(Change::delete)) {
                // Nothing to force and nothing removed: plain records cost no commit force. A crash between
                // them leaves at worst a message without references (or the reverse), which loading drops;
                // nothing that was there before can be lost, since nothing is deleted.
                CompletableFuture<Void> last = null;
                for (Change c : changes) {
                    last = c.update() ? journal.update(c.id(), c.type(), c.payload(), false)
                            : journal.add(c.id(), c.type(), c.payload(), false);
                }
                return last;
            }
            // atomic either way; forced only when someone waits for durability (see StoreBatch#commit)
            return journal.commit(stageInTransaction(), sync);
        }
    }
}
