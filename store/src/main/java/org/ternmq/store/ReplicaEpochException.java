package org.ternmq.store;

import java.io.IOException;

/**
 * A frame offered to a {@link JournalReplica} carries the stamp of another activation epoch than the one the live
 * broker's epoch history says wrote its position: taking it would put a frame into the wrong epoch's range.
 */
public final class ReplicaEpochException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplicaEpochException(String message) {
        super(message);
    }
}
