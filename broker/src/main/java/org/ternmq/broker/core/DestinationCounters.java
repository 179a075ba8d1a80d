package org.ternmq.broker.core;

/**
 * Counters of what happened to the messages of one queue or subscription since the broker started; they
 * never go down. Agent thread only (read into {@link BrokerStatistics} snapshots there).
 */
final class DestinationCounters {
    /** Messages that arrived (sent, moved in, committed by an XA branch, dead-lettered or expired into it). */
    long enqueued;
    /** Deliveries to consumers, first ones and redeliveries alike. */
    long delivered;
    /** Deliveries acknowledged (or committed): the messages left for good. */
    long acknowledged;
    /** Deliveries that came back unacknowledged and wait to be delivered again. */
    long redelivered;
    /** Messages moved to the dead-letter queue from here. */
    long deadLettered;
    /** Messages found expired here (moved to the expiry queue or dropped). */
    long expired;
}
