package org.ternmq.broker.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * What replication adds to a durable store write: with {@code replication=sync} it is answered only once enough
 * backups have it durable too, and with too few backups in sync persistent work is refused.
 */
public interface ReplicationGate {

    /** The write's future as the broker should see it: {@code stored}, then replicated as the mode says. */
    CompletableFuture<Void> afterStored(CompletableFuture<Void> stored);

    /** Why persistent work is refused now, or null. */
    String refusal();
}
