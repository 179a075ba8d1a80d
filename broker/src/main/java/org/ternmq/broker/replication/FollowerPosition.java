package org.ternmq.broker.replication;

/**
 * A backup's own view of how it follows the live broker, for metrics.
 *
 * @param following           whether it is connected to the live broker and was welcomed
 * @param acknowledged        the journal position it has durable and acknowledged, packed (segment, offset)
 * @param batches             batches received since it started
 * @param bytes               journal bytes received since it started
 * @param millisSinceLastBatch how long ago the last batch came (-1: none yet); a live broker with no traffic sends
 *                            nothing, so this grows on an idle pair too
 */
public record FollowerPosition(boolean following, long acknowledged, long batches, long bytes,
                               long millisSinceLastBatch) {
}
