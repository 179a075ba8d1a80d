package org.ternmq.broker.core;

import org.ternmq.message.EncodedMessage;

/**
 * One message as it stands in one queue or subscription. A message published to a topic with N
 * subscriptions is encoded and stored once and referenced by N refs; each ref has its own delivery count.
 * A stored ref of a queue holding more than its memory allows is paged out: the queue keeps only its
 * {@link #refId} and this object is rebuilt from the store when it is paged in (see {@link Pager}).
 *
 * <p>Owned by the agent thread.
 */
final class MessageRef {

    final EncodedMessage message;
    /** Arrival order across the broker: refs of one message share it, so order is kept on redelivery. */
    final long sequence;
    /** The connection that sent it, for noLocal. */
    final String originConnectionId;
    /** The client id of the connection that sent it (may be null), for noLocal on durable subscriptions. */
    final String originClientId;
    /** Deliveries that counted (were seen by an application) so far. */
    int deliveryCount;
    /**
     * Of {@link #deliveryCount}, the deliveries that came back because this broker refused to commit their
     * transaction (too few backups in sync, or fenced): they are not the application's failures, so they do not
     * count against the policy's maximum delivery attempts. Stored with the delivery count, so a restart, a failover
     * or paging keeps it.
     */
    int uncharged;
    /**
     * The stored message when it is stored apart from this ref and may be shared with refs in other
     * durable queues; null when the message is not stored or is stored with this ref as one record.
     */
    StoredMessage stored;
    /** The ref's own store id (0 when not stored). */
    long refId;
    /** For a message stored with its ref as one record: whether its delivery state has a record of its own. */
    boolean deliveryStored;
    /** Broker time of the first and the latest delivery (0 before the first). */
    long firstDeliveredAt;
    long lastDeliveredAt;
    /** When a redelivery delay ends (0 when there is none). */
    long redeliverAt;
    /** Its events, when its queue retains history (null otherwise, and for a ref paged in after a restart). */
    Lifecycle lifecycle;
    /** A copy put back by a replay: when it leaves again it is not retained a second time. */
    boolean replayed;

    MessageRef(EncodedMessage message, long sequence, String originConnectionId, String originClientId) {
        this.message = message;
        this.sequence = sequence;
        this.originConnectionId = originConnectionId;
        this.originClientId = originClientId;
    }

    /**
     * About what this ref costs the heap while it waits in a queue: the encoded message plus the ref,
     * the decoded header fields and the queue's tree node. An estimate for the queue's memory limit.
     */
    long heapSize() {
        return message.size() + 320L;
    }

    int priority() {
        return message.priority();
    }

    boolean expired(long now) {
        long expiration = message.expiration();
        return expiration != 0 && expiration <= now;
    }

    /** When the message may be delivered: after its delivery time and any redelivery delay. */
    long notBefore() {
        return Math.max(message.deliveryTime(), redeliverAt);
    }

    String groupId() {
        return message.groupId();
    }

    /** The deliveries charged against the policy's maximum attempts: all that counted but the uncharged ones. */
    int chargedAttempts() {
        return deliveryCount - uncharged;
    }

    boolean isStored() {
        return refId != 0;
    }

    @Override
    public String toString() {
        return "MessageRef[" + message.messageId() + ", seq=" + sequence + ", count=" + deliveryCount + "]";
    }
}
