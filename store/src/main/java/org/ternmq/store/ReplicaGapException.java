package org.ternmq.store;

import java.io.IOException;

/** Frames offered to a {@link JournalReplica} do not continue what it holds: writing them would leave a hole. */
public final class ReplicaGapException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplicaGapException(String message) {
        super(message);
    }
}
