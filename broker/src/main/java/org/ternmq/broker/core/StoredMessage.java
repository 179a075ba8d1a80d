package org.ternmq.broker.core;

/**
 * A persistent message written to the store apart from its references (it was routed to several durable
 * queues), and how many durable queues still reference it: when the last reference goes, the message
 * record goes too. A message that stands in one durable queue is stored with its ref and has none.
 * Owned by the agent thread.
 */
final class StoredMessage {

    final long id;
    int refs;

    StoredMessage(long id) {
        this.id = id;
    }
}
