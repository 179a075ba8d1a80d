package org.ternmq.broker.core;

/**
 * A persistent message written to the store, and how many durable queues still reference it: when the
 * last reference goes, the message record goes too. Owned by the agent thread.
 */
final class StoredMessage {

    final long id;
    int refs;

    StoredMessage(long id) {
        this.id = id;
    }
}
