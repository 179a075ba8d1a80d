package org.ternmq.broker.core;

import org.ternmq.selector.Selector;

/**
 * A consumer on a queue or a subscription, with the credit its client granted. The broker never sends a
 * consumer more messages than its credit.
 *
 * <p>Owned by the agent thread.
 */
final class BrokerConsumer {

    final long id;
    final BrokerSession session;
    final MessageQueue queue;
    /** The consumer's own selector (queues only: a subscription filters when messages are published). */
    private final Selector selector;
    /** The subscription it consumes from, or null on a queue. */
    final Subscription subscription;
    private int credits;
    private boolean closed;

    BrokerConsumer(long id, BrokerSession session, MessageQueue queue, Selector selector,
                   Subscription subscription, int credits) {
        this.id = id;
        this.session = session;
        this.queue = queue;
        this.selector = selector;
        this.subscription = subscription;
        this.credits = credits;
    }

    /**
     * Whether the consumer may be sent a message now: credit left, open, its connection started, and no recover
     * or rollback of its session waiting for its answer.
     */
    boolean hasCredit() {
        return credits > 0 && !closed && session.connection.deliveryStarted() && !session.holdsDeliveries();
    }

    void grant(int messages) {
        long sum = (long) credits + messages;
        credits = (int) Math.min(Integer.MAX_VALUE, Math.max(0, sum));
    }

    boolean accepts(MessageRef ref) {
        if (selector == null || selector.matchesAll()) {
            return true;
        }
        try {
            return selector.matches(ref.message);
        } catch (RuntimeException e) {
            // A selector must never throw; if one does on odd data the message simply does not match.
            return false;
        }
    }

    void deliver(MessageRef ref, MessageQueue from) {
        credits--;
        session.deliver(this, ref, from);
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        queue.removeConsumer(this);
    }

    @Override
    public String toString() {
        return "BrokerConsumer[" + id + " on " + queue.name() + ", credits=" + credits + "]";
    }
}
