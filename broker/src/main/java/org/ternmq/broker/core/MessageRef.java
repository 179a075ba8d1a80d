package org.ternmq.broker.core;

import org.ternmq.message.EncodedMessage;

/**
 * One message as it stands in one queue or subscription. A message published to a topic with N
 * subscriptions is encoded and stored once and referenced by N refs; each ref has its own delivery count.
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
    /** The stored message, when this ref stands in a durable queue (else null). */
    StoredMessage stored;
    /** The ref's own store id (0 when not stored). */
    long refId;
    /** Broker time of the first and the latest delivery (0 before the first). */
    long firstDeliveredAt;
    long lastDeliveredAt;
    /** When a redelivery delay ends (0 when there is none). */
    long redeliverAt;

    MessageRef(EncodedMessage message, long sequence, String originConnectionId, String originClientId) {
        this.message = message;
        this.sequence = sequence;
        this.originConnectionId = originConnectionId;
        this.originClientId = originClientId;
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

    boolean isStored() {
        return refId != 0;
    }

    @Override
    public String toString() {
        return "MessageRef[" + message.messageId() + ", seq=" + sequence + ", count=" + deliveryCount + "]";
    }
}
