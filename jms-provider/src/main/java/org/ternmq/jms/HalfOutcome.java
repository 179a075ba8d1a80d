package org.ternmq.jms;

/** What a {@link TransactionChecker} says of a half-message's local transaction. */
public enum HalfOutcome {
    /** It committed: the half-message becomes visible to consumers. */
    COMMIT,
    /** It rolled back (or never happened): the half-message is dropped. */
    ROLLBACK,
    /** It cannot be told yet: the broker asks again later, up to its policy's limit. */
    UNKNOWN
}
