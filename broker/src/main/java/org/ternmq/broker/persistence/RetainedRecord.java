package org.ternmq.broker.persistence;

/**
 * A message kept after it left a durable queue or subscription whose policy retains history (see the
 * {@code retention-*} policy settings): how it left and its lifecycle, for message trace, query and replay.
 *
 * @param id            the record's store id
 * @param queueId       the queue or subscription it left
 * @param sequence      its arrival order there
 * @param leftAt        when it left (epoch milliseconds)
 * @param sentAt        its {@code JMSTimestamp} (0 when the producer disabled it)
 * @param outcome       how it left: {@link #ACKNOWLEDGED}, {@link #DEAD_LETTERED} or {@link #EXPIRED}
 * @param deliveryCount deliveries it had
 * @param messageId     its {@code JMSMessageID}
 * @param key           the value of the policy's indexed property, or null
 * @param size          the encoded message's size in bytes
 * @param lifecycle     one line per event (sent, delivered, left), or null when loaded without it
 * @param message       the message as encoded, or null when loaded without it
 */
public record RetainedRecord(long id, long queueId, long sequence, long leftAt, long sentAt, byte outcome,
                             int deliveryCount, String messageId, String key, int size, String lifecycle,
                             byte[] message) {

    public static final byte ACKNOWLEDGED = 1;
    public static final byte DEAD_LETTERED = 2;
    public static final byte EXPIRED = 3;

    /** This record without its lifecycle and message: what start-up loads into the broker's indexes. */
    public RetainedRecord summary() {
        return new RetainedRecord(id, queueId, sequence, leftAt, sentAt, outcome, deliveryCount, messageId, key, size,
                null, null);
    }

    public static String outcomeName(byte outcome) {
        return switch (outcome) {
            case ACKNOWLEDGED -> "acknowledged";
            case DEAD_LETTERED -> "dead-lettered";
            case EXPIRED -> "expired";
            default -> "outcome " + outcome;
        };
    }
}
