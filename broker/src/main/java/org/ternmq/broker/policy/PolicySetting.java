package org.ternmq.broker.policy;

import java.util.function.Function;

/**
 * Every per-destination policy setting with its configuration key, default, one-line documentation and
 * validator, in one place (see the README's "Destination policies" table, which mirrors this).
 */
public enum PolicySetting {
    REDELIVERY_DELAY("redelivery-delay", "0",
            "delay before a message that was rolled back or recovered is delivered again (30s, 500ms; bare: ms)",
            Values::nonNegativeDuration),
    REDELIVERY_MULTIPLIER("redelivery-multiplier", "1.0",
            "factor the redelivery delay grows by with each further attempt", v -> Values.doubleAtLeast(v, 1.0)),
    MAX_REDELIVERY_DELAY("max-redelivery-delay", "300000",
            "upper bound of the redelivery delay (5m, 30s; bare: ms)", Values::nonNegativeDuration),
    REDELIVERY_JITTER("redelivery-jitter", "0.0",
            "fraction (0 to 1) by which each redelivery delay is randomly varied, up or down", Values::fraction),
    MAX_DELIVERY_ATTEMPTS("max-delivery-attempts", "10",
            "deliveries after which a message goes to the dead-letter destination; -1 for no limit",
            Values::attempts),
    DEAD_LETTER_DESTINATION("dead-letter-destination", "DLQ",
            "queue that receives messages past max-delivery-attempts; empty to keep redelivering", Values::name),
    EXPIRY_DESTINATION("expiry-destination", "ExpiryQueue",
            "queue that receives expired messages; empty to drop them", Values::name),
    AUTO_CREATE_DEAD_LETTER("auto-create-dead-letter", "true",
            "whether the dead-letter queue is created when first needed", Values::bool),
    AUTO_CREATE_EXPIRY("auto-create-expiry", "true",
            "whether the expiry queue is created when first needed", Values::bool),
    SYNC_SENDS("sync-sends", "true",
            "whether a persistent send is answered only once on disk as the broker's sync-policy says; false "
            + "answers once written, which a power cut (not a broker crash) may lose", Values::bool),
    DUPLICATE_WINDOW_TIME("duplicate-window-time", "3600000",
            "how long a duplicate id is remembered (1h; bare: ms); 0 turns duplicate detection off",
            Values::nonNegativeDuration),
    DUPLICATE_WINDOW_COUNT("duplicate-window-count", "10000",
            "most duplicate ids remembered per destination", Values::positiveInt),
    MAX_MEMORY_MESSAGES("max-memory-messages", "10000",
            "most waiting messages a queue or subscription keeps on the heap; beyond it, new persistent messages "
                    + "of a durable one are paged out to the journal and read back in arrival order",
            Values::positiveInt),
    MAX_MEMORY_BYTES("max-memory-bytes", "16777216",
            "most bytes (message size plus about 320 bytes each; 16MiB, 512KiB) of waiting messages a queue or "
                    + "subscription keeps on the heap before it pages out, like max-memory-messages", Values::positiveSize),
    HALF_CHECK_AFTER("half-check-after", "30000",
            "how long (30s; bare: ms) a half-message to this destination waits for its producer's commit or rollback "
                    + "before the broker asks a checker of its producer group; later checks wait twice as long each time",
            Values::positiveDuration),
    MAX_HALF_CHECK_INTERVAL("max-half-check-interval", "600000",
            "upper bound (10m; bare: ms) of the growing interval between checks of a half-message",
            Values::positiveDuration),
    HALF_CHECK_MAX_ATTEMPTS("half-check-max-attempts", "10",
            "checks of a half-message before the broker applies half-default-outcome", Values::positiveInt),
    HALF_DEFAULT_OUTCOME("half-default-outcome", "rollback",
            "commit or rollback: what becomes of a half-message nobody answered for after half-check-max-attempts",
            Values::outcome),
    RETENTION_TIME("retention-time", "0",
            "how long (7d, 1h; bare: ms) a persistent message is kept after it left a durable queue or subscription "
                    + "(consumed, dead-lettered or expired), for message trace, query and replay; 0 keeps no history",
            Values::nonNegativeDuration),
    RETENTION_MAX_MESSAGES("retention-max-messages", "100000",
            "most messages each queue or subscription keeps in its history (the oldest go first); bounds the "
                    + "memory of its indexes", Values::positiveInt),
    RETENTION_MAX_BYTES("retention-max-bytes", "1073741824",
            "most bytes (1GiB, 512MiB) of messages each queue or subscription keeps in its history (the oldest go first)",
            Values::positiveSize),
    RETENTION_INDEX_PROPERTY("retention-index-property", "",
            "a message property whose value indexes the history (a business key: find-messages --key); empty for none",
            v -> v),
    SET_USER_ID("set-user-id", "false",
            "whether the broker sets JMSXUserID of each message sent to the destination to the sender's "
                    + "authenticated user name, replacing what the sender put there, so consumers can trust it",
            Values::bool),
    REPLICATION("replication", "",
            "sync, async or none: whether a durable write to the destination (persistent send, acknowledgement, "
                    + "commit) waits for min-sync-replicas backups (sync) or not (async, none; the journal is "
                    + "shipped whole either way); empty: the broker's --replication", Values::replication);

    private final String key;
    private final String defaultValue;
    private final String doc;
    private final Function<String, Object> parser;

    PolicySetting(String key, String defaultValue, String doc, Function<String, Object> parser) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.parser = parser;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code value} */
    public Object parse(String value) {
        return parser.apply(value.trim());
    }

    public static PolicySetting forKey(String key) {
        for (PolicySetting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown policy setting '" + key + "'");
    }

    /** The parsers: each returns the typed value or throws with a message naming the rule. */
    private static final class Values {
        static Object nonNegativeDuration(String v) {
            long l = org.ternmq.broker.Units.millis(v);
            if (l < 0) {
                throw new IllegalArgumentException("must not be negative, was " + v);
            }
            return l;
        }

        static Object positiveDuration(String v) {
            long l = org.ternmq.broker.Units.millis(v);
            if (l < 1) {
                throw new IllegalArgumentException("must be at least 1 ms, was " + v);
            }
            return l;
        }

        static Object positiveSize(String v) {
            long l = org.ternmq.broker.Units.bytes(v);
            if (l < 1) {
                throw new IllegalArgumentException("must be at least 1 byte, was " + v);
            }
            return l;
        }

        static Object positiveInt(String v) {
            long l = parseLong(v);
            if (l < 1 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("must be a positive whole number, was " + v);
            }
            return (int) l;
        }

        static Object attempts(String v) {
            long l = parseLong(v);
            if (l != -1 && (l < 1 || l > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException("must be -1 or a positive whole number, was " + v);
            }
            return (int) l;
        }

        static Object doubleAtLeast(String v, double min) {
            double d = parseDouble(v);
            if (d < min) {
                throw new IllegalArgumentException("must be at least " + min + ", was " + v);
            }
            return d;
        }

        static Object fraction(String v) {
            double d = parseDouble(v);
            if (d < 0 || d > 1) {
                throw new IllegalArgumentException("must be between 0 and 1, was " + v);
            }
            return d;
        }

        static Object bool(String v) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("must be true or false, was '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        static Object outcome(String v) {
            if (!v.equals("commit") && !v.equals("rollback")) {
                throw new IllegalArgumentException("must be commit or rollback, was '" + v + "'");
            }
            return v.equals("commit");
        }

        static Object replication(String v) {
            return switch (v) {
                case "" -> DestinationPolicy.Replication.BROKER;
                case "sync" -> DestinationPolicy.Replication.SYNC;
                case "async" -> DestinationPolicy.Replication.ASYNC;
                case "none" -> DestinationPolicy.Replication.NONE;
                default -> throw new IllegalArgumentException("must be sync, async or none (or empty for the broker's "
                        + "--replication), was '" + v + "'");
            };
        }

        static Object name(String v) {
            if (v.contains("*") || v.contains("#")) {
                throw new IllegalArgumentException("must be a queue name, not a pattern: '" + v + "'");
            }
            return v;
        }

        private static long parseLong(String v) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, was '" + v + "'");
            }
        }

        private static double parseDouble(String v) {
            try {
                double d = Double.parseDouble(v);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, was '" + v + "'");
            }
        }
    }
}
