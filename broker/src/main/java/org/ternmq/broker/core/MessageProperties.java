package org.ternmq.broker.core;

/**
 * Names of the properties the broker adds to a message it moves to a dead-letter or expiry destination.
 * Provider-specific properties use the {@code JMS_TERN_} prefix the specification reserves for providers.
 */
public final class MessageProperties {

    /** Name of the destination the message was taken from. */
    public static final String ORIGINAL_DESTINATION = "JMS_TERN_OriginalDestination";
    /** {@code queue}, {@code topic}, {@code temporary_queue} or {@code temporary_topic}. */
    public static final String ORIGINAL_DESTINATION_TYPE = "JMS_TERN_OriginalDestinationType";
    /** The subscription name, when the message came from a named topic subscription. */
    public static final String ORIGINAL_SUBSCRIPTION = "JMS_TERN_OriginalSubscription";
    /** When the message was dead-lettered (epoch milliseconds). */
    public static final String DEAD_LETTER_TIME = "JMS_TERN_DeadLetterTime";
    /** How many times the message had been delivered when it was dead-lettered. */
    public static final String DELIVERY_ATTEMPTS = "JMS_TERN_DeliveryAttempts";
    /** Broker time of the message's first delivery attempt (epoch milliseconds). */
    public static final String FIRST_DELIVERY_TIME = "JMS_TERN_FirstDeliveryTime";
    /** Broker time of its last delivery attempt before it was dead-lettered (epoch milliseconds). */
    public static final String LAST_DELIVERY_TIME = "JMS_TERN_LastDeliveryTime";
    /** Why the message was dead-lettered. */
    public static final String DEAD_LETTER_REASON = "JMS_TERN_DeadLetterReason";
    /** The class and message of the exception the client reported on the last attempt, if any. */
    public static final String DEAD_LETTER_EXCEPTION = "JMS_TERN_DeadLetterException";
    /** The message's expiration time before it was moved (epoch milliseconds). */
    public static final String ORIGINAL_EXPIRATION = "JMS_TERN_OriginalExpiration";
    /** When the broker found the message expired and moved it (epoch milliseconds). */
    public static final String EXPIRED_AT = "JMS_TERN_ExpiredAt";
    /** Set by producers: messages with an id already seen on the destination are dropped. */
    public static final String DUPLICATE_ID = org.ternmq.message.MessageDescriptor.DUPLICATE_ID_PROPERTY;

    private MessageProperties() {
    }
}
