package org.ternmq.broker.persistence;

/**
 * A persistent message standing in one durable queue.
 *
 * @param id            the reference's store id
 * @param messageId     the stored message it refers to
 * @param queueId       the durable queue it stands in
 * @param sequence      arrival order, kept so a restart keeps the queue's order
 * @param deliveryCount deliveries that counted so far
 * @param uncharged     of those, the ones not charged against the maximum delivery attempts (their transaction's
 *                      commit was refused by the broker)
 * @param redeliverAt   when a redelivery delay ends (0 for none), so a restart keeps the delay
 * @param firstDeliveredAt broker time of the first delivery (0 before it), reported when it is dead-lettered
 */
public record RefRecord(long id, long messageId, long queueId, long sequence, int deliveryCount, int uncharged,
                        long redeliverAt, long firstDeliveredAt) {
}
