package org.ternmq.broker.policy;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The resolved policy of one destination: every {@link PolicySetting} with its value. Immutable.
 */
public record DestinationPolicy(long redeliveryDelay, double redeliveryMultiplier, long maxRedeliveryDelay,
                                double redeliveryJitter, int maxDeliveryAttempts, String deadLetterDestination,
                                String expiryDestination, boolean autoCreateDeadLetter, boolean autoCreateExpiry,
                                boolean syncSends, long duplicateWindowTime, int duplicateWindowCount, int maxMemoryMessages,
                                long maxMemoryBytes, long halfCheckAfter, long maxHalfCheckInterval,
                                int halfCheckMaxAttempts, boolean halfDefaultCommit, long retentionTime,
                                int retentionMaxMessages, long retentionMaxBytes, String retentionIndexProperty,
                                boolean setUserId, Replication replication) {

    /** Whether a durable write to the destination waits for backups (see the {@code replication} setting). */
    public enum Replication {
        /** As the broker's {@code --replication} says. */
        BROKER,
        SYNC,
        ASYNC,
        /**
         * Not waited for, like {@link #ASYNC}: the journal is one stream, so what is written for the destination
         * still reaches the backups.
         */
        NONE;

        /** Whether a write waits for backups, on a broker whose own mode waits ({@code brokerWaits}) or not. */
        public boolean awaitsBackups(boolean brokerWaits) {
            return this == SYNC || (this == BROKER && brokerWaits);
        }
    }

    /** The policy with every default. */
    public static final DestinationPolicy DEFAULTS = from(Map.of());

    /** Builds a policy from typed values; settings absent from {@code values} take their defaults. */
    static DestinationPolicy from(Map<PolicySetting, Object> values) {
        java.util.function.Function<PolicySetting, Object> v =
                s -> values.containsKey(s) ? values.get(s) : s.parse(s.defaultValue());
        return new DestinationPolicy(
                (Long) v.apply(PolicySetting.REDELIVERY_DELAY),
                (Double) v.apply(PolicySetting.REDELIVERY_MULTIPLIER),
                (Long) v.apply(PolicySetting.MAX_REDELIVERY_DELAY),
                (Double) v.apply(PolicySetting.REDELIVERY_JITTER),
                (Integer) v.apply(PolicySetting.MAX_DELIVERY_ATTEMPTS),
                (String) v.apply(PolicySetting.DEAD_LETTER_DESTINATION),
                (String) v.apply(PolicySetting.EXPIRY_DESTINATION),
                (Boolean) v.apply(PolicySetting.AUTO_CREATE_DEAD_LETTER),
                (Boolean) v.apply(PolicySetting.AUTO_CREATE_EXPIRY),
                (Boolean) v.apply(PolicySetting.SYNC_SENDS),
                (Long) v.apply(PolicySetting.DUPLICATE_WINDOW_TIME),
                (Integer) v.apply(PolicySetting.DUPLICATE_WINDOW_COUNT),
                (Integer) v.apply(PolicySetting.MAX_MEMORY_MESSAGES),
                (Long) v.apply(PolicySetting.MAX_MEMORY_BYTES),
                (Long) v.apply(PolicySetting.HALF_CHECK_AFTER),
                (Long) v.apply(PolicySetting.MAX_HALF_CHECK_INTERVAL),
                (Integer) v.apply(PolicySetting.HALF_CHECK_MAX_ATTEMPTS),
                (Boolean) v.apply(PolicySetting.HALF_DEFAULT_OUTCOME),
                (Long) v.apply(PolicySetting.RETENTION_TIME),
                (Integer) v.apply(PolicySetting.RETENTION_MAX_MESSAGES),
                (Long) v.apply(PolicySetting.RETENTION_MAX_BYTES),
                (String) v.apply(PolicySetting.RETENTION_INDEX_PROPERTY),
                (Boolean) v.apply(PolicySetting.SET_USER_ID),
                (Replication) v.apply(PolicySetting.REPLICATION));
    }

    /**
     * The delay before delivery attempt {@code attempt + 1}, after {@code attempt} failed attempts:
     * {@code redeliveryDelay * multiplier^(attempt-1)}, capped at the maximum, varied by the jitter.
     */
    public long redeliveryDelayAfter(int attempt) {
        if (redeliveryDelay == 0 || attempt < 1) {
            return 0;
        }
        double delay = redeliveryDelay * Math.pow(redeliveryMultiplier, attempt - 1);
        delay = Math.min(delay, Math.max(redeliveryDelay, maxRedeliveryDelay));
        if (redeliveryJitter > 0) {
            delay *= 1 + redeliveryJitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        }
        return Math.max(0, Math.round(delay));
    }

    /** Whether a message delivered {@code deliveries} times without success goes to the dead-letter destination. */
    public boolean exhausted(int deliveries) {
        return maxDeliveryAttempts > 0 && deliveries >= maxDeliveryAttempts;
    }
}
