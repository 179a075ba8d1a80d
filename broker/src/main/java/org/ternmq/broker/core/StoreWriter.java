package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.ternmq.broker.persistence.DuplicateIdRecord;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.broker.persistence.QueueRecord;
import org.ternmq.broker.persistence.RefRecord;
import org.ternmq.broker.persistence.StoreBatch;
import org.ternmq.message.EncodedMessage;

/**
 * Turns the agent's changes into store records. Everything one agent task changes goes into one
 * {@link StoreBatch}, committed when the task ends: a task is the natural unit of atomicity (a send to a
 * topic with its N references, a commit with all its sends and acknowledgements), and a busy broker
 * writes one batch per task instead of one per record. Responses that promise durability wait for the
 * batch through {@link #afterStored}.
 *
 * <p>Owned by the agent thread.
 */
final class StoreWriter {

    private final MessageStore store;
    private final BrokerAgent agent;
    private StoreBatch batch;
    private boolean sync;
    private final List<Consumer<Throwable>> waiting = new ArrayList<>();

    StoreWriter(MessageStore store, BrokerAgent agent) {
        this.store = store;
        this.agent = agent;
    }

    MessageStore store() {
        return store;
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

    /**
     * Runs {@code then} once this task's changes are stored ({@code sync}: forced to disk), with null, or
     * with the failure; on the agent thread either way.
     */
    void afterStored(boolean sync, Consumer<Throwable> then) {
        this.sync |= sync;
        waiting.add(then);
    }

    /** Commits the task's batch; called by the agent when a task ends. */
    void endTask() {
        List<Consumer<Throwable>> callbacks = waiting.isEmpty() ? List.of() : new ArrayList<>(waiting);
        waiting.clear();
        StoreBatch b = batch;
        boolean s = sync;
        batch = null;
        sync = false;
        if (b == null || b.isEmpty()) {
            callbacks.forEach(c -> c.accept(null));
            return;
        }
        var future = b.commit(s);
        if (callbacks.isEmpty()) {
            future.whenComplete((v, e) -> {
                if (e != null) {
                    agent.storeFailed(e);
                }
            });
            return;
        }
        future.whenComplete((v, e) -> agent.execute(() -> {
            if (e != null) {
                agent.storeFailed(e);
            }
            callbacks.forEach(c -> c.accept(e));
        }));
    }

    // ---- the records

    void queueCreated(MessageQueue queue, QueueRecord record) {
        batch().addQueue(record);
    }

    void queueDeleted(MessageQueue queue) {
        batch().removeQueue(queue.storeId);
    }

    /** Stores {@code ref} of {@code message} in durable {@code queue}, writing the message itself once. */
    void refAdded(MessageQueue queue, MessageRef ref, StoredMessage[] sharedMessage) {
        StoredMessage stored = sharedMessage[0];
        if (stored == null) {
            stored = new StoredMessage(store.nextId());
            sharedMessage[0] = stored;
            batch().addMessage(stored.id, ref.message.bytes());
        }
        stored.refs++;
        ref.stored = stored;
        ref.refId = store.nextId();
        batch().addRef(record(queue, ref, ref.deliveryCount));
    }

    void refRemoved(MessageRef ref) {
        if (!ref.isStored()) {
            return;
        }
        batch().removeRef(ref.refId);
        if (--ref.stored.refs == 0) {
            batch().removeMessage(ref.stored.id);
        }
        ref.refId = 0;
    }

    /** Counts a delivery in the store before it happens (see {@link BrokerAgent#deliveryStarted}). */
    void deliveryStarted(MessageQueue queue, MessageRef ref) {
        if (ref.isStored()) {
            batch().updateRef(record(queue, ref, ref.deliveryCount + 1));
        }
    }

    /** Stores a redelivery delay, so that it outlives a restart. */
    void redeliveryDelayed(MessageQueue queue, MessageRef ref) {
        if (ref.isStored()) {
            batch().updateRef(record(queue, ref, ref.deliveryCount));
        }
    }

    private static RefRecord record(MessageQueue queue, MessageRef ref, int deliveryCount) {
        return new RefRecord(ref.refId, ref.stored.id, queue.storeId, ref.sequence, deliveryCount, ref.redeliverAt);
    }

    void refOrphaned(long refId) {
        batch().removeRef(refId);
    }

    void messageOrphaned(long messageId) {
        batch().removeMessage(messageId);
    }

    long duplicateIdAdded(EncodedMessage message, long now) {
        long id = store.nextId();
        batch().addDuplicateId(new DuplicateIdRecord(id, message.destination(), message.duplicateId(), now));
        return id;
    }

    void duplicateIdForgotten(long recordId) {
        batch().removeDuplicateId(recordId);
    }
}
