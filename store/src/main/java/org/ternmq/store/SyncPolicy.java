package org.ternmq.store;

/**
 * When an append's future completes, and so what a crash can take back. "Written" means copied into
 * the file (the OS page cache): it survives the death of this process, not a power cut or kernel crash.
 */
public enum SyncPolicy {
    /** Completes once written; never forces. A power cut loses whatever the OS had not written back. */
    NONE,
    /**
     * Completes once written; the appender forces every {@code asyncFlushInterval}. A power cut loses at
     * most about one interval of acknowledged appends.
     */
    ASYNC,
    /**
     * Completes after a data force ({@code fdatasync}) that covers the record, one force per batch.
     * Nothing acknowledged is lost.
     */
    DATA,
    /** Like {@link #DATA} but forces metadata too ({@code fsync}). Nothing acknowledged is lost. */
    DATA_AND_METADATA;

    /** Whether a durable append waits for a force before its future completes. */
    boolean forcesBeforeCompletion() {
        return this == DATA || this == DATA_AND_METADATA;
    }
}
