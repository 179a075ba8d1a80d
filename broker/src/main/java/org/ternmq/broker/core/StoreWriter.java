package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ternmq.broker.persistence.DuplicateIdRecord;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.broker.persistence.HeuristicRecord;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.broker.persistence.QueueRecord;
import org.ternmq.broker.persistence.RefRecord;
import org.ternmq.broker.persistence.StoreBatch;
import org.ternmq.message.EncodedMessage;

/**
 * Turns the agent's changes into store records. Everything one agent task changes goes into one
 * {@link StoreBatch}, committed when the task ends: a task is the natural unit of atomicity (a send to a
 * topic with its N references, a commit with all its sends and acknowledgements), and a busy broker
 * writes one batch per task instead of one per record. The packets the agent's event loop reads in one turn
 * count as one task ({@link BrokerAgent#runInBurst}): one batch holds them all, each whole. Responses that
 * promise durability wait for the batch through {@link #afterStored}.
 *
 * <p>A message routed to one durable queue is stored with its ref as one record; one routed to several is
 * stored once, apart, with a {@link StoredMessage} counting its refs. Refs a queue pages out before their
 * batch is written stay here, in {@link #unwritten}, until the store can give them back.
 *
 * <p>Owned by the agent thread.
 */
final class StoreWriter {

    /** How long after a task that answered several waiting requests the journal's writer takes the batches. */
    static final long COMPANY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    private final boolean writeHere;
    /** Until when requests were coming together ({@link #writesHere}). */
    private long companyUntil = System.nanoTime();
    private final MessageStore store;
    private final BrokerAgent agent;
    private StoreBatch batch;
    /** While an XA branch prepares ({@link #into}): where its ref records go instead of the task's batch. */
    private StoreBatch branch;
    private boolean sync;
    /** Answers waiting for the task's batch to be stored here, and those waiting for it to reach the backups too. */
    private final List<Consumer<Throwable>> waiting = new ArrayList<>();
    private final List<Consumer<Throwable>> awaitingBackups = new ArrayList<>();
    /**
     * Whether the current request's writes await backups: null while none of them said (the broker's mode
     * decides), true once one of a {@code replication=sync} destination did ({@link #of(DestinationPolicy, StoreBatch)}).
     */
    private Boolean requestAwaits;
    /** Whether this task counted a delivery of a stored message ({@link #deliveryStarted}). */
    private boolean deliveriesCounted;
    /** Messages stored apart from their refs, by store id, so that a ref paged in finds its count. */
    private final Map<Long, StoredMessage> sharedMessages = new HashMap<>();
    /** Refs paged out whose batch is not written yet (the store cannot read them back until it is). */
    private final Map<Long, MessageRef> unwritten = new HashMap<>();
    private final List<Long> pagedOutInTask = new ArrayList<>();
    /**
     * History records whose batch is not written yet, by record id: a replay or a trace in the next task (the
     * connection's request right after the acknowledgement that made the record) reads them from here.
     */
    private final Map<Long, org.ternmq.broker.persistence.RetainedRecord> unwrittenRetained = new HashMap<>();
    private final List<Long> retainedInTask = new ArrayList<>();

    /** @param writeHere whether the agent thread writes and forces a batch itself while nothing else waits */
    StoreWriter(MessageStore store, BrokerAgent agent, boolean writeHere) {
        this.writeHere = writeHere;
        this.store = store;
        this.agent = agent;
    }

    MessageStore store() {
        return store;
    }

    /** Whether changes or answers wait for the end of a task ({@link #endTask}). */
    boolean hasChanges() {
        return (batch != null && !batch.isEmpty()) || !waiting.isEmpty() || !awaitingBackups.isEmpty();
    }

    boolean persistent() {
        return store.persistent();
    }

    long nextId() {
        return store.nextId();
    }

    private StoreBatch batch() {
        if (batch == null) {
            batch = store.batch();
        }
        return batch;
    }

    /** A batch of its own, written by its owner (an XA branch's prepare), not at the end of the task. */
    StoreBatch newBatch() {
        return store.batch();
    }

    /**
     * Runs {@code changes} (an XA branch's prepare) with the ref records they make going to {@code target}
     * instead of the task's batch. A queue they create is written at once, ahead of the branch's records, so a
     * prepared branch never refers to a queue the store does not have.
     */
    void into(StoreBatch target, Runnable changes) {
        branch = target;
        try {
            changes.run();
        } finally {
            branch = null;
        }
    }

    /**
     * Tells {@code target} whether a change to a destination of {@code policy} awaits backups: a batch that holds
     * one such change is answered only once replicated ({@code replication=sync}), others once stored here.
     */
    private StoreBatch of(DestinationPolicy policy, StoreBatch target) {
        boolean await = awaitsBackups(policy);
        target.awaitBackups(await);
        requestAwaits = await || Boolean.TRUE.equals(requestAwaits);
        return target;
    }

    /**
     * A request (a packet, or a task of the agent's own) begins: what it writes decides on its own whether its
     * answers await backups, whatever else shares the task's batch (the other packets of a read burst).
     */
    void beginRequest() {
        requestAwaits = null;
    }

    boolean awaitsBackups(DestinationPolicy policy) {
        return policy.replication().awaitsBackups(store.awaitsBackupsByDefault());
    }

    private StoreBatch of(org.ternmq.message.Address destination, StoreBatch target) {
        return destination == null ? target : of(agent.policyFor(destination), target);
    }

    /** Where ref records go: the preparing branch's batch, else the task's. */
    private StoreBatch refBatch() {
        return branch != null ? branch : batch();
    }

    /**
     * Runs {@code then} once this task's changes are stored ({@code sync}: forced to disk), with null, or
     * with the failure; on the agent thread either way.
     */
    void afterStored(boolean sync, Consumer<Throwable> then) {
        this.sync |= sync;
        boolean awaits = requestAwaits != null ? requestAwaits : store.awaitsBackupsByDefault();
        (awaits ? awaitingBackups : waiting).add(then);
    }

    /**
     * Commits the task's batch; called by the agent when a task (or a read burst) ends. Returns when the deliveries
     * this task counted may leave: once the batch is written (not forced; see
     * {@link BrokerConnection#deliveryCounted}), or null when it counted none.
     */
    java.util.concurrent.CompletableFuture<Void> endTask() {
        boolean counted = deliveriesCounted;
        deliveriesCounted = false;
        List<Consumer<Throwable>> callbacks = waiting.isEmpty() ? List.of() : new ArrayList<>(waiting);
        List<Consumer<Throwable>> replicatedCallbacks = awaitingBackups.isEmpty() ? List.of()
                : new ArrayList<>(awaitingBackups);
        waiting.clear();
        awaitingBackups.clear();
        requestAwaits = null;
        StoreBatch b = batch;
        boolean s = sync;
        batch = null;
        sync = false;
        if (b == null || b.isEmpty()) {
            // nothing of this task waits to be written, so neither do the refs it paged out
            pagedOutInTask.forEach(unwritten::remove);
            pagedOutInTask.clear();
            retainedInTask.forEach(unwrittenRetained::remove);
            retainedInTask.clear();
            callbacks.forEach(c -> c.accept(null));
            replicatedCallbacks.forEach(c -> c.accept(null));
            return null;
        }
        if (!replicatedCallbacks.isEmpty()) {
            b.awaitBackups(true); // one of its requests said nothing and the broker's mode awaits backups
        }
        if (writesHere(callbacks.size() + replicatedCallbacks.size())) {
            store.holdWrites(); // written by the agent once it has handed out this task's packets
        }
        StoreBatch.Committed committed = b.commitStages(s);
        forgetOnceWritten(committed.stored(), pagedOutInTask, unwritten);
        forgetOnceWritten(committed.stored(), retainedInTask, unwrittenRetained);
        // reported once, from the later moment: it fails whenever the earlier one does
        committed.replicated().whenComplete((v, e) -> {
            if (e != null) {
                agent.storeFailed(e);
            }
        });
        answerWhen(committed.stored(), callbacks);
        answerWhen(committed.replicated(), replicatedCallbacks);
        if (!counted) {
            return null;
        }
        // unforced, the batch is stored once written; forced, it is written before its force, which nobody waits for
        return s ? store.written() : committed.stored();
    }

    /**
     * Whether the agent writes this task's batch itself ({@link MessageStore#writeHere}): not while requests that wait
     * for the disk come together. A task that answers two or more of them marks the next {@link #COMPANY_NANOS} as
     * busy: there the journal's writer takes the batches, writing and forcing the next while the agent reads and
     * routes what comes meanwhile (a force the agent ran itself would hold all of it back). One request at a time
     * (a single synchronous producer, paced sends, acknowledgements) saves the two hand-offs between the threads.
     */
    private boolean writesHere(int answers) {
        if (!writeHere) {
            return false;
        }
        long now = System.nanoTime();
        if (answers >= 2) {
            companyUntil = now + COMPANY_NANOS;
        }
        return now - companyUntil > 0;
    }

    private void answerWhen(java.util.concurrent.CompletableFuture<Void> future, List<Consumer<Throwable>> callbacks) {
        if (callbacks.isEmpty()) {
            return;
        }
        agent.whenStored(future, e -> {
            Throwable failure = e != null ? e : refusedSinceStored();
            callbacks.forEach(c -> c.accept(failure));
        });
    }

    /**
     * Once {@code written} is on disk, the store can give back what this task kept in {@code held} meanwhile. On
     * failure they stay: they are the only copy, and the store refuses further work anyway.
     */
    private void forgetOnceWritten(java.util.concurrent.CompletableFuture<?> written, List<Long> inTask,
            Map<Long, ?> held) {
        if (inTask.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(inTask);
        inTask.clear();
        written.whenComplete((v, e) -> {
            if (e == null) {
                try {
                    agent.execute(() -> ids.forEach(held::remove));
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the broker is stopping: nothing will read these any more
                }
            }
        });
    }

    /**
     * Asked once more right before the answers go out: a broker fenced, or whose ZooKeeper lease ran out, since the
     * write was stored (it may have been paused in between) must not answer it any more.
     */
    private Throwable refusedSinceStored() {
        String why = store.fencedReason();
        return why == null ? null : new org.ternmq.broker.persistence.NotReplicatedException(why);
    }

    // ---- the records

    void queueCreated(MessageQueue queue, QueueRecord record) {
        if (branch != null) {
            StoreBatch now = store.batch();
            now.addQueue(record);
            now.commit(false).whenComplete((v, e) -> {
                if (e != null) {
                    agent.storeFailed(e);
                }
            });
            return;
        }
        of(queue.policy(), batch()).addQueue(record);
    }

    void queueDeleted(MessageQueue queue) {
        agent.retention().queueDeleted(queue);
        batch().removeQueue(queue.storeId);
    }

    /**
     * Stores {@code ref} in durable {@code queue}. With {@code sharedMessage} null the message goes to
     * this queue only and is stored with the ref as one record; otherwise the message is written once,
     * by the first ref of the holder, and every ref of it refers to it.
     */
    void refAdded(MessageQueue queue, MessageRef ref, StoredMessage[] sharedMessage) {
        if (sharedMessage == null) {
            ref.refId = store.nextIds(2); // the next id is kept for the ref's delivery state
            of(queue.policy(), refBatch()).addQueuedMessage(ref.refId, queue.storeId, ref.sequence, ref.deliveryCount, ref.redeliverAt,
                    ref.message.bytes());
            return;
        }
        StoredMessage stored = sharedMessage[0];
        if (stored == null) {
            stored = new StoredMessage(store.nextId());
            sharedMessage[0] = stored;
            sharedMessages.put(stored.id, stored);
            refBatch().addMessage(stored.id, ref.message.bytes());
        }
        stored.refs++;
        ref.stored = stored;
        ref.refId = store.nextId();
        of(queue.policy(), refBatch()).addRef(record(queue, ref, ref.deliveryCount));
    }

    void refRemoved(MessageRef ref) {
        agent.largeBodies().release(ref.message);
        if (!ref.isStored()) {
            return;
        }
        of(ref.message.destination(), batch());
        if (ref.stored == null) {
            batch().removeQueuedMessage(ref.refId, ref.deliveryStored);
        } else {
            batch().removeRef(ref.refId);
            if (--ref.stored.refs == 0) {
                batch().removeMessage(ref.stored.id);
                sharedMessages.remove(ref.stored.id);
            }
        }
        ref.refId = 0;
        ref.deliveryStored = false;
    }

    /**
     * Removes a stored ref inside an XA branch's prepare: its records go when the branch commits, so the ref
     * keeps its store id, and a shared message is counted down only then ({@link #heldRefCommitted}).
     */
    void refRemovedInBranch(MessageRef ref) {
        if (!ref.isStored()) {
            return;
        }
        of(ref.message.destination(), refBatch());
        if (ref.stored == null) {
            refBatch().removeQueuedMessage(ref.refId, ref.deliveryStored);
        } else {
            refBatch().removeRef(ref.refId);
        }
    }

    /**
     * A ref an XA branch held is gone for good (the branch committed, its records are deleted): a shared
     * message loses a reference, and goes with its last. {@code ref} is null for a branch recovered at
     * start-up, which knows the shared message by {@code sharedMessageId} (0: none).
     */
    void heldRefCommitted(MessageRef ref, long sharedMessageId) {
        StoredMessage shared = ref != null ? ref.stored : sharedMessageId != 0 ? sharedMessage(sharedMessageId) : null;
        if (ref != null) {
            ref.refId = 0;
            ref.deliveryStored = false;
        }
        if (shared != null && --shared.refs <= 0) {
            batch().removeMessage(shared.id);
            sharedMessages.remove(shared.id);
        }
    }

    /** A ref an XA branch committed to a queue that is gone: its records are deleted. */
    void placedRefDropped(long refId, MessageRef ref, long sharedMessageId) {
        if (ref != null) {
            refRemoved(ref);
        } else if (sharedMessageId == 0) {
            batch().removeQueuedMessage(refId, false);
        } else {
            batch().removeRef(refId);
            StoredMessage m = sharedMessage(sharedMessageId);
            if (--m.refs <= 0) {
                batch().removeMessage(m.id);
                sharedMessages.remove(m.id);
            }
        }
    }

    /** A shared message an XA branch stored and then did not commit: it never existed. */
    void forgetShared(StoredMessage message) {
        sharedMessages.remove(message.id, message);
    }

    HeuristicRecord heuristicAdded(byte[] xid, boolean committed, long at) {
        HeuristicRecord h = new HeuristicRecord(store.nextId(), xid, committed, at);
        batch().addHeuristic(h);
        return h;
    }

    void heuristicForgotten(long recordId) {
        batch().removeHeuristic(recordId);
    }

    /** Counts a delivery in the store before it happens (see {@link BrokerAgent#deliveryStarted}). */
    void deliveryStarted(MessageQueue queue, MessageRef ref) {
        deliveriesCounted |= ref.isStored();
        storeDelivery(queue, ref, ref.deliveryCount + 1);
    }

    /**
     * Stores that a delivery came back uncharged (its transaction's commit was refused), so that a restart, a
     * failover or paging does not charge it.
     */
    void deliveryUncharged(MessageQueue queue, MessageRef ref) {
        storeDelivery(queue, ref, ref.deliveryCount);
    }

    /** Stores a redelivery delay, so that it outlives a restart. */
    void redeliveryDelayed(MessageQueue queue, MessageRef ref) {
        storeDelivery(queue, ref, ref.deliveryCount);
    }

    /**
     * A delivery came back that the application never saw: the count stored when it started is taken back,
     * so a restart does not show it as redelivered.
     */
    void deliveryReturnedUnseen(MessageQueue queue, MessageRef ref) {
        storeDelivery(queue, ref, ref.deliveryCount);
    }

    private void storeDelivery(MessageQueue queue, MessageRef ref, int deliveryCount) {
        if (!ref.isStored()) {
            return;
        }
        of(queue.policy(), batch());
        if (ref.stored == null) {
            // false when the ref's own record, added in this task's batch, took the state
            ref.deliveryStored |= batch().updateDelivery(ref.refId, deliveryCount, ref.uncharged, ref.redeliverAt,
                    ref.firstDeliveredAt);
        } else {
            batch().updateRef(record(queue, ref, deliveryCount));
        }
    }

    // ---- paging

    /** {@code ref}, stored in this task's batch, was paged out by its queue. */
    /** A message leaves its queue's history record in this task's batch (see {@link Retention}). */
    void retainedAdded(org.ternmq.broker.persistence.RetainedRecord record) {
        batch().addRetained(record);
        unwrittenRetained.put(record.id(), record);
        retainedInTask.add(record.id());
    }

    void retainedRemoved(long recordId) {
        batch().removeRetained(recordId);
        unwrittenRetained.remove(recordId);
    }

    /** A history record with its message: from this writer while its batch is not written, else from the store. */
    org.ternmq.broker.persistence.RetainedRecord readRetained(long recordId) {
        org.ternmq.broker.persistence.RetainedRecord r = unwrittenRetained.get(recordId);
        return r != null ? r : store.readRetained(recordId);
    }

    Retention retention() {
        return agent.retention();
    }

    void pagedOut(MessageRef ref) {
        agent.retention().pagedOut(ref);
        unwritten.put(ref.refId, ref);
        pagedOutInTask.add(ref.refId);
    }

    /** The paged-out ref {@code refId} if its batch is not written yet (it is then forgotten here), or null. */
    boolean isUnwritten(long refId) {
        return unwritten.containsKey(refId);
    }

    /** The paged-out ref {@code refId} if its batch is not written yet (it stays here), or null. */
    MessageRef peekUnwritten(long refId) {
        return unwritten.get(refId);
    }

    MessageRef takeUnwritten(long refId) {
        return unwritten.remove(refId);
    }

    /** The message stored apart that a ref paged in refers to (created if it is unknown, which it should not be). */
    StoredMessage sharedMessage(long messageId) {
        return sharedMessages.computeIfAbsent(messageId, id -> {
            StoredMessage m = new StoredMessage(id);
            m.refs = 1;
            return m;
        });
    }

    /** A message stored apart found by the store at start-up, and how many refs to it the queues hold. */
    void sharedMessageLoaded(long messageId, int refs) {
        StoredMessage m = new StoredMessage(messageId);
        m.refs = refs;
        sharedMessages.put(messageId, m);
    }

    private static RefRecord record(MessageQueue queue, MessageRef ref, int deliveryCount) {
        return new RefRecord(ref.refId, ref.stored.id, queue.storeId, ref.sequence, deliveryCount, ref.uncharged,
                ref.redeliverAt, ref.firstDeliveredAt);
    }

    /** A ref read back whose message cannot be decoded: it is deleted, with its message when no other ref needs it. */
    void storedRefUnreadable(org.ternmq.broker.persistence.StoredRef stored) {
        if (!stored.shared()) {
            batch().removeQueuedMessage(stored.refId(), stored.deliveryStored());
            return;
        }
        batch().removeRef(stored.refId());
        StoredMessage m = sharedMessage(stored.messageId());
        if (--m.refs <= 0) {
            batch().removeMessage(m.id);
            sharedMessages.remove(m.id);
        }
    }

    void refOrphaned(long refId) {
        batch().removeRef(refId);
    }

    void messageOrphaned(long messageId) {
        batch().removeMessage(messageId);
    }

    long duplicateIdAdded(EncodedMessage message, long now) {
        long id = store.nextId();
        of(message.destination(), batch()).addDuplicateId(new DuplicateIdRecord(id, message.destination(), message.duplicateId(), now));
        return id;
    }

    /**
     * Adds a record of the broker's own ({@link CommitOutcomes}) to the task's batch, kept in the form of a
     * duplicate id of {@code key}: under no destination's policy, so it awaits backups exactly when what else the
     * request wrote does. Returns the record's id.
     */
    long ownRecordAdded(org.ternmq.message.Address key, String value, long now) {
        long id = store.nextId();
        batch().addDuplicateId(new DuplicateIdRecord(id, key, value, now));
        return id;
    }

    /**
     * The current request is answered once what it wrote is stored here, whatever the broker's replication mode:
     * for an answer about what this broker already has (a backup that just took over has no backup of its own).
     */
    void answerOnceStoredHere() {
        if (requestAwaits == null) {
            requestAwaits = false;
        }
        batch().awaitBackups(false);
    }

    void duplicateIdForgotten(long recordId) {
        batch().removeDuplicateId(recordId);
    }
}
