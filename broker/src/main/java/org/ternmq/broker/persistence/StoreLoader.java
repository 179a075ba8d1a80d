package org.ternmq.broker.persistence;

/**
 * Receives the stored state at start-up, on the loading thread, in this order: queues, shared messages,
 * each queue's references, the last sequence, duplicate ids, heuristic outcomes, prepared XA branches. Message bodies are not part of it: the
 * broker reads them with {@link MessageStore#readRef} when it pages a reference in, so a backlog bigger
 * than the heap can be loaded.
 */
public interface StoreLoader {

    void queue(QueueRecord queue);

    /**
     * A message stored apart from its references (it was routed to several durable queues), and how many
     * references to it the loaded queues hold: when they are all removed, the message goes too.
     */
    void sharedMessage(long messageId, int refs);

    /**
     * The references standing in durable queue {@code queueId} (one given to {@link #queue}), in arrival
     * order: ids to read with {@link MessageStore#readRef}.
     *
     * @param refIds the ids in {@code [0, count)}; the array is handed over to the loader
     */
    void refs(long queueId, long[] refIds, int count);

    /** The highest arrival sequence any loaded reference has, so that new messages come after them. */
    void lastSequence(long sequence);

    void duplicateId(DuplicateIdRecord record);

    /** An XA branch an operator completed by hand, still to be forgotten by its transaction manager. */
    void heuristic(HeuristicRecord record);

    /**
     * A retained message of a loaded queue, as a {@link RetainedRecord#summary}: its lifecycle and message
     * are read with {@link MessageStore#readRetained} when needed. Called after {@link #refs}.
     */
    default void retained(RetainedRecord summary) {
    }

    /**
     * An XA branch still prepared. The references it holds were left out of {@link #refs}; the references and
     * shared messages it adds are stored only once it commits.
     */
    void preparedBranch(PreparedBranch branch);

    /**
     * A large message body some loaded record names: its chunk record ids in order, its size, and how many
     * references and records hold it (when they are all gone, its chunks go). Called before {@link #refs}.
     */
    default void largeBody(long bodyId, long[] chunkIds, long size, int holders) {
    }
}
