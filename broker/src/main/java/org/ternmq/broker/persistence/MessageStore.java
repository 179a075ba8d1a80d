package org.ternmq.broker.persistence;

import java.io.IOException;

/**
 * Where the broker keeps what must survive a restart: durable queues and subscriptions, persistent
 * messages and their references in each durable queue, delivery counts and duplicate ids. The broker
 * changes the store only through {@link StoreBatch}es, each written atomically.
 *
 * <p>Called on the broker agent thread only; futures complete on the store's own thread.
 */
public interface MessageStore extends AutoCloseable {

    /** Whether anything is written at all (false for a broker that keeps everything in memory). */
    boolean persistent();

    /** Why the store refuses writes after an I/O error, or null while it is healthy. */
    String fencedReason();

    /** A new id, unique across restarts, for a queue, a message, a reference or a record. */
    long nextId();

    /** Starts a set of changes that will be written atomically. */
    StoreBatch batch();

    /** Replays everything stored to {@code loader}, once, before the broker accepts connections. */
    void load(StoreLoader loader) throws IOException;

    @Override
    void close();
}
