package org.ternmq.client;

import org.ternmq.message.EncodedMessage;

/**
 * One message delivered to a consumer. Immutable.
 *
 * @param consumerId    the consumer it was delivered to
 * @param deliveryId    what the session acknowledges; unique on the connection
 * @param deliveryCount 1 on first delivery, higher on redelivery
 * @param message       the message as the producer encoded it
 */
public record Delivery(long consumerId, long deliveryId, int deliveryCount, EncodedMessage message) {
}
