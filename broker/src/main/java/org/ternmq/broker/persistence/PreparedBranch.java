package org.ternmq.broker.persistence;

import java.util.List;

/**
 * An XA branch found prepared at start-up: what it will add when it commits and which stored references
 * it holds (acknowledged in the branch: neither in their queue nor gone until it ends).
 *
 * @param txId     the journal transaction to commit or roll back
 * @param payload  what the broker stored with the prepare ({@link StoreRecordDescriptor#encodeBranch})
 * @param added    references the branch adds to durable queues, in the order it sent them
 * @param messages shared messages (stored apart from their references) the branch adds
 * @param held     stored references the branch acknowledged
 */
public record PreparedBranch(long txId, byte[] payload, List<Added> added, List<Long> messages, List<Held> held) {

    /** A reference the branch adds: {@code messageId} is 0 for a message stored with its reference. */
    public record Added(long refId, long queueId, long sequence, long messageId) {
    }

    /** A stored reference the branch holds: {@code messageId} is 0 for a message stored with its reference. */
    public record Held(long refId, long queueId, long messageId) {
    }
}
