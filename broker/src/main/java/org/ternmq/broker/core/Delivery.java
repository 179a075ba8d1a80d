package org.ternmq.broker.core;

/**
 * A message handed to a consumer and not yet acknowledged. It belongs to the session: it can be
 * acknowledged after its consumer closed.
 *
 * @param id       unique on its connection; what the client acknowledges
 * @param ref      the message
 * @param queue    where it came from and goes back to if not acknowledged
 * @param consumer the consumer it was delivered to
 */
record Delivery(long id, MessageRef ref, MessageQueue queue, BrokerConsumer consumer) {
}
