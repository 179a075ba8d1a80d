package org.ternmq.broker.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * Changes to the store that are written as one atomic unit: after a crash either all of them are there or
 * none. Built and committed on the agent thread.
 */
public interface StoreBatch {

    void addQueue(QueueRecord queue);

    void removeQueue(long queueId);

    /** A persistent message's encoded bytes, stored once however many queues reference it. */
    void addMessage(long messageId, byte[] encoded);

    void removeMessage(long messageId);

    void addRef(RefRecord ref);

    /** A reference's new delivery count. */
    void updateRef(RefRecord ref);

    void removeRef(long refId);

    /**
     * A persistent message standing in one durable queue only, stored with its reference as one record
     * {@code id}; {@code id + 1} must be left free for its delivery state (see {@link #updateDelivery}).
     */
    void addQueuedMessage(long id, long queueId, long sequence, int deliveryCount, long redeliverAt, byte[] encoded);

    /**
     * A queued message's new delivery count (and how many of those deliveries are not charged against the maximum
     * attempts), redelivery time and first delivery time, stored without
     * rewriting the message: in its own delivery record, or, when this batch adds the message
     * ({@link #addQueuedMessage}), in the message's record itself.
     *
     * @return whether the state went to a delivery record of its own, which {@link #removeQueuedMessage} must then
     *     remove too
     */
    boolean updateDelivery(long queuedId, int deliveryCount, int uncharged, long redeliverAt, long firstDeliveredAt);

    /** Removes a queued message, and its delivery state when {@code deliveryStored}. */
    void removeQueuedMessage(long queuedId, boolean deliveryStored);

    void addDuplicateId(DuplicateIdRecord record);

    void removeDuplicateId(long recordId);

    void addHeuristic(HeuristicRecord record);

    void removeHeuristic(long recordId);

    /** A message kept after it left its queue (history for trace, query and replay). */
    void addRetained(RetainedRecord record);

    void removeRetained(long recordId);

    boolean isEmpty();

    /**
     * Says whether a change of this batch belongs to a destination whose durable writes await backups
     * ({@code replication=sync}); the batch awaits them if any does. A batch nobody said anything of does as the
     * broker's mode says. Nothing to do without replication.
     */
    default void awaitBackups(boolean await) {
    }

    /**
     * Writes the batch as a prepared transaction (XA): none of its changes takes effect until
     * {@link MessageStore#commitPrepared}; {@link MessageStore#rollbackPrepared} drops them all; both survive a
     * restart, where the store hands the branch back ({@link StoreLoader#preparedBranch}). Forced to disk
     * whatever the sync policy.
     *
     * @param payload what to keep with the prepare (see {@link StoreRecordDescriptor#encodeBranch})
     * @return the transaction id, once the prepare is durable
     */
    CompletableFuture<Long> prepare(byte[] payload);

    /**
     * Writes the batch.
     *
     * @param sync whether the future waits for the data to be forced to disk (per the store's sync policy);
     *             without, the batch is written (still atomic: all of it or none after a crash) and rides the
     *             next force, so a power cut before that takes it back whole
     * @return completed when the changes are as durable as asked; failed (store fenced) otherwise
     */
    CompletableFuture<Void> commit(boolean sync);

    /**
     * As {@link #commit}, with the two moments apart: {@code stored}, when the batch is as durable as asked here
     * (what an answer to work of a destination that does not await backups waits for), and {@code replicated},
     * when it also reached the backups if the batch awaits them ({@link #commit}'s future). One batch may hold the
     * work of several requests (a read burst), each answered at its own moment.
     */
    default Committed commitStages(boolean sync) {
        CompletableFuture<Void> f = commit(sync);
        return new Committed(f, f);
    }

    /** The futures of {@link #commitStages}. */
    record Committed(CompletableFuture<Void> stored, CompletableFuture<Void> replicated) {
    }
}
