package org.ternmq.broker.persistence;

import java.util.concurrent.CompletableFuture;

/**
 * What replication adds to a durable store write: a write that awaits backups (its destinations have
 * {@code replication=sync}, or the broker's mode is sync) is answered only once enough backups have it durable
 * too, and with too few backups in sync such writes are refused; other writes are answered once stored here.
 */
public interface ReplicationGate {

    /**
     * The write's future as the broker should see it: {@code stored}, then, with {@code awaitBackups}, replicated to
     * {@code min-sync-replicas} backups; failed if this broker must not answer persistent work any more.
     */
    CompletableFuture<Void> afterStored(CompletableFuture<Void> stored, boolean awaitBackups);

    /** Why this broker refuses every persistent write now (fenced), or null. */
    String refusal();

    /** Why a write that awaits backups is refused now (too few in sync), or null. */
    String shortage();

    /** Whether the broker's own mode is sync: what a destination without a replication policy does. */
    boolean awaitsBackupsByDefault();
}
