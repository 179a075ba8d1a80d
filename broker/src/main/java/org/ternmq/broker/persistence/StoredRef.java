package org.ternmq.broker.persistence;

/**
 * A message reference read back from the store with its message, to page it back into its queue.
 *
 * @param refId          the reference's store id
 * @param messageId      the stored message; equal to {@code refId} when message and reference are one
 *                       QUEUED record (the message stands in one durable queue only)
 * @param queueId        the durable queue it stands in
 * @param sequence       arrival order
 * @param deliveryCount  deliveries that counted so far
 * @param uncharged      of those, the ones that came back because the broker refused their transaction's commit
 *                       (not charged against the maximum delivery attempts)
 * @param redeliverAt    when a redelivery delay ends (0 for none)
 * @param firstDeliveredAt broker time of the first delivery (0 before it)
 * @param deliveryStored whether a QUEUED record's delivery state lives in its own DELIVERY record
 * @param message        the message as the producer encoded it
 */
public record StoredRef(long refId, long messageId, long queueId, long sequence, int deliveryCount, int uncharged,
                        long redeliverAt, long firstDeliveredAt, boolean deliveryStored, byte[] message) {

    /** Whether the message is stored apart and may be shared by references in other queues. */
    public boolean shared() {
        return messageId != refId;
    }
}
