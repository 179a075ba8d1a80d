package org.ternmq.broker.persistence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalRecord;
import org.ternmq.store.PreparedTransaction;
import org.ternmq.store.RecoveryListener;

/**
 * What recovery found in the journal, kept compactly until the broker loads it: queue and duplicate-id
 * records decoded, each queue's references as 16-byte (sequence, id) pairs, shared messages as reference
 * counts. No message body is read or kept: the broker pages bodies in when it needs them. Records left
 * behind by a crash (references of a deleted queue, messages nothing references, delivery states without
 * their message) are deleted when the store is loaded.
 *
 * <p>Filled on the thread that opens the journal, then replayed once by {@link #replay} on the broker
 * agent thread, which starts after the journal opened.
 */
final class StoreRecovery implements RecoveryListener {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRecovery.class);

    private final List<QueueRecord> queues = new ArrayList<>();
    private final List<DuplicateIdRecord> duplicates = new ArrayList<>();
    private final Map<Long, RecoveredRefs> refsByQueue = new HashMap<>();
    /** Shared messages by id: {references found, 1 once the MESSAGE record itself was found}. */
    private final Map<Long, int[]> shared = new HashMap<>();
    private final List<Long> deliveries = new ArrayList<>();
    private final List<HeuristicRecord> heuristics = new ArrayList<>();
    private final List<PreparedTransaction> prepared = new ArrayList<>();
    private final List<RetainedRecord> retained = new ArrayList<>();
    /** Chunks of large bodies by body id: {index, chunk id, length} triples. */
    private final Map<Long, List<long[]>> chunks = new HashMap<>();
    /** How many records (and references, for a shared message) hold each large body named so far. */
    private final Map<Long, int[]> largeHolders = new HashMap<>();
    /** The large body a shared MESSAGE record names, by message id. */
    private final Map<Long, Long> sharedLarge = new HashMap<>();

    @Override
    public void onRecord(long id, byte userType, ByteBuffer payload) {
        ByteBuffer p = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        switch (userType) {
            case StoreRecordDescriptor.QUEUE -> queues.add(StoreRecordDescriptor.decodeQueue(id, p));
            case StoreRecordDescriptor.MESSAGE -> {
                sharedCount(id)[1] = 1;
                long body = StoreRecordDescriptor.largeBodyId(p, 0);
                if (body != 0) {
                    sharedLarge.put(id, body);
                }
            }
            case StoreRecordDescriptor.CHUNK -> chunks.computeIfAbsent(p.getLong(0), k -> new ArrayList<>())
                    .add(new long[] {p.getInt(8), id, p.remaining() - StoreRecordDescriptor.CHUNK_HEADER_LENGTH});
            case StoreRecordDescriptor.REF -> {
                sharedCount(p.getLong(StoreRecordDescriptor.REF_MESSAGE_ID_OFFSET))[0]++;
                refs(p.getLong(StoreRecordDescriptor.REF_QUEUE_ID_OFFSET))
                        .add(p.getLong(StoreRecordDescriptor.REF_SEQUENCE_OFFSET), id);
            }
            case StoreRecordDescriptor.QUEUED, StoreRecordDescriptor.QUEUED_DELIVERED -> {
                refs(p.getLong(StoreRecordDescriptor.QUEUED_QUEUE_ID_OFFSET))
                        .add(p.getLong(StoreRecordDescriptor.QUEUED_SEQUENCE_OFFSET), id);
                holdLarge(StoreRecordDescriptor.largeBodyId(p, StoreRecordDescriptor.queuedHeaderLength(userType)), 1);
            }
            case StoreRecordDescriptor.DELIVERY -> deliveries.add(id);
            case StoreRecordDescriptor.DUPLICATE -> duplicates.add(StoreRecordDescriptor.decodeDuplicate(id, p));
            case StoreRecordDescriptor.HEURISTIC -> heuristics.add(StoreRecordDescriptor.decodeHeuristic(id, p));
            case StoreRecordDescriptor.RETAINED -> {
                retained.add(StoreRecordDescriptor.decodeRetained(id, p, false));
                holdLarge(StoreRecordDescriptor.largeBodyId(p, 0), 1); // never let go: kept until a restart
            }
            default -> LOG.warn("journal record {} has unknown type {}; it is left alone", id, userType);
        }
    }

    /** An XA branch still prepared; its changes are replayed by {@link #replay}, once every record is known. */
    @Override
    public void onPreparedTransaction(PreparedTransaction transaction) {
        prepared.add(transaction);
    }

    private void holdLarge(long bodyId, int holders) {
        if (bodyId != 0) {
            largeHolders.computeIfAbsent(bodyId, k -> new int[1])[0] += holders;
        }
    }

    /**
     * Hands every large body some record holds to {@code loader} and deletes the chunks of the others (sends
     * a crash cut short, bodies whose last holder went just before it).
     */
    private int replayLargeBodies(StoreLoader loader, Journal journal) {
        for (PreparedTransaction tx : prepared) {
            for (PreparedTransaction.Change c : tx.records()) {
                if (!c.delete() && (StoreRecordDescriptor.isQueued(c.userType())
                        || c.userType() == StoreRecordDescriptor.MESSAGE)) {
                    ByteBuffer p = c.payload().duplicate().order(ByteOrder.BIG_ENDIAN);
                    int offset = StoreRecordDescriptor.isQueued(c.userType())
                            ? StoreRecordDescriptor.queuedHeaderLength(c.userType()) : 0;
                    holdLarge(StoreRecordDescriptor.largeBodyId(p, offset), 1);
                }
            }
        }
        for (Map.Entry<Long, Long> e : sharedLarge.entrySet()) {
            int[] count = shared.get(e.getKey());
            holdLarge(e.getValue(), count == null ? 0 : Math.max(count[0], 1));
        }
        int orphans = 0;
        for (Map.Entry<Long, List<long[]>> e : chunks.entrySet()) {
            List<long[]> parts = e.getValue();
            int[] holders = largeHolders.get(e.getKey());
            if (holders == null) {
                for (long[] part : parts) {
                    journal.delete(part[1], false);
                }
                orphans += parts.size();
                continue;
            }
            parts.sort(java.util.Comparator.comparingLong(part -> part[0]));
            long[] ids = new long[parts.size()];
            long size = 0;
            for (int i = 0; i < ids.length; i++) {
                ids[i] = parts.get(i)[1];
                size += parts.get(i)[2];
            }
            loader.largeBody(e.getKey(), ids, size, holders[0]);
        }
        for (Long bodyId : largeHolders.keySet()) {
            if (!chunks.containsKey(bodyId)) {
                // an empty body has no chunks
                loader.largeBody(bodyId, new long[0], 0, largeHolders.get(bodyId)[0]);
            }
        }
        chunks.clear();
        largeHolders.clear();
        sharedLarge.clear();
        return orphans;
    }

    private int[] sharedCount(long messageId) {
        return shared.computeIfAbsent(messageId, k -> new int[2]);
    }

    private RecoveredRefs refs(long queueId) {
        return refsByQueue.computeIfAbsent(queueId, k -> new RecoveredRefs());
    }

    /** Hands everything to {@code loader} (see {@link StoreLoader} for the order) and forgets it. */
    void replay(StoreLoader loader, Journal journal) {
        // references acknowledged in a prepared branch stay out of their queues until the branch ends
        Set<Long> held = new HashSet<>();
        for (PreparedTransaction tx : prepared) {
            for (PreparedTransaction.Change c : tx.records()) {
                if (c.delete()) {
                    held.add(c.id());
                }
            }
        }
        Map<Long, Long> heldQueues = new HashMap<>();
        Set<Long> known = new HashSet<>();
        for (QueueRecord q : queues) {
            known.add(q.id());
            loader.queue(q);
        }
        int orphans = replayLargeBodies(loader, journal);
        for (Map.Entry<Long, RecoveredRefs> e : refsByQueue.entrySet()) {
            if (!known.contains(e.getKey())) {
                RecoveredRefs refs = e.getValue();
                for (int i = 0; i < refs.size(); i++) {
                    dropOrphanRef(journal, refs.refIdAt(i));
                }
                orphans += refs.size();
            }
        }
        for (Map.Entry<Long, int[]> e : shared.entrySet()) {
            int[] count = e.getValue();
            if (count[1] == 1 && count[0] > 0) {
                loader.sharedMessage(e.getKey(), count[0]);
            } else if (count[1] == 1) {
                journal.delete(e.getKey(), false);
                orphans++;
            }
            // references to a message that is missing are dropped when they are paged in
        }
        for (long deliveryId : deliveries) {
            Optional<JournalRecord> queued = journal.read(deliveryId - 1);
            if (queued.isEmpty() || !StoreRecordDescriptor.isQueued(queued.get().userType())) {
                journal.delete(deliveryId, false);
                orphans++;
            }
        }
        long lastSequence = 0;
        for (Map.Entry<Long, RecoveredRefs> e : refsByQueue.entrySet()) {
            if (known.contains(e.getKey())) {
                RecoveredRefs refs = e.getValue();
                lastSequence = Math.max(lastSequence, refs.maxSequence());
                long[] ids = refs.idsInOrder();
                int count = held.isEmpty() ? ids.length : withoutHeld(ids, held, e.getKey(), heldQueues);
                loader.refs(e.getKey(), ids, count);
                e.setValue(null); // let the pairs go before the next queue's are sorted
            }
        }
        loader.lastSequence(lastSequence);
        for (RetainedRecord r : retained) {
            if (known.contains(r.queueId())) {
                loader.retained(r);
            } else {
                journal.delete(r.id(), false);
                orphans++;
            }
        }
        duplicates.forEach(loader::duplicateId);
        heuristics.forEach(loader::heuristic);
        for (PreparedTransaction tx : prepared) {
            loader.preparedBranch(branch(tx, heldQueues, journal));
        }
        if (orphans > 0) {
            LOG.info("deleted {} records a crash left without their queue or references", orphans);
        }
        queues.clear();
        duplicates.clear();
        refsByQueue.clear();
        shared.clear();
        deliveries.clear();
        heuristics.clear();
        prepared.clear();
        retained.clear();
    }

    /** Moves the held ids out of {@code ids} (keeping order), noting each one's queue; returns how many are left. */
    private static int withoutHeld(long[] ids, Set<Long> held, long queueId, Map<Long, Long> heldQueues) {
        int kept = 0;
        for (long id : ids) {
            if (held.contains(id)) {
                heldQueues.put(id, queueId);
            } else {
                ids[kept++] = id;
            }
        }
        return kept;
    }

    /** What a prepared transaction adds and holds, from its staged changes and the records they delete. */
    private static PreparedBranch branch(PreparedTransaction tx, Map<Long, Long> heldQueues, Journal journal) {
        List<PreparedBranch.Added> added = new ArrayList<>();
        List<Long> messages = new ArrayList<>();
        List<PreparedBranch.Held> holds = new ArrayList<>();
        for (PreparedTransaction.Change c : tx.records()) {
            if (c.delete()) {
                Long queueId = heldQueues.get(c.id());
                if (queueId != null) {
                    holds.add(new PreparedBranch.Held(c.id(), queueId, sharedMessageOf(journal, c.id())));
                }
                continue; // a delivery state or other record deleted along with what it belongs to
            }
            ByteBuffer p = c.payload().duplicate().order(ByteOrder.BIG_ENDIAN);
            switch (c.userType()) {
                case StoreRecordDescriptor.QUEUED, StoreRecordDescriptor.QUEUED_DELIVERED -> added.add(new PreparedBranch.Added(c.id(),
                        p.getLong(StoreRecordDescriptor.QUEUED_QUEUE_ID_OFFSET),
                        p.getLong(StoreRecordDescriptor.QUEUED_SEQUENCE_OFFSET), 0));
                case StoreRecordDescriptor.REF -> added.add(new PreparedBranch.Added(c.id(),
                        p.getLong(StoreRecordDescriptor.REF_QUEUE_ID_OFFSET),
                        p.getLong(StoreRecordDescriptor.REF_SEQUENCE_OFFSET),
                        p.getLong(StoreRecordDescriptor.REF_MESSAGE_ID_OFFSET)));
                case StoreRecordDescriptor.MESSAGE -> messages.add(c.id());
                default -> LOG.warn("prepared transaction {} stages a record of type {}; it is left alone", tx.txId(),
                        c.userType());
            }
        }
        added.sort(java.util.Comparator.comparingLong(PreparedBranch.Added::sequence));
        return new PreparedBranch(tx.txId(), tx.xid(), added, messages, holds);
    }

    /** The shared message a stored REF refers to, or 0 for a QUEUED record (message and reference in one). */
    private static long sharedMessageOf(Journal journal, long refId) {
        Optional<JournalRecord> r = journal.read(refId);
        if (r.isPresent() && r.get().userType() == StoreRecordDescriptor.REF) {
            return r.get().payload().duplicate().order(ByteOrder.BIG_ENDIAN).getLong(StoreRecordDescriptor.REF_MESSAGE_ID_OFFSET);
        }
        return 0;
    }

    /** Deletes a reference whose queue is gone, with its delivery state, and counts its message down. */
    private void dropOrphanRef(Journal journal, long refId) {
        Optional<JournalRecord> record = journal.read(refId);
        if (record.isEmpty()) {
            return;
        }
        if (StoreRecordDescriptor.isQueued(record.get().userType())) {
            journal.delete(refId + 1, false);
        } else if (record.get().userType() == StoreRecordDescriptor.REF) {
            long messageId = record.get().payload().duplicate().order(ByteOrder.BIG_ENDIAN)
                    .getLong(StoreRecordDescriptor.REF_MESSAGE_ID_OFFSET);
            int[] count = shared.get(messageId);
            if (count != null) {
                count[0]--;
            }
        }
        journal.delete(refId, false);
    }
}
