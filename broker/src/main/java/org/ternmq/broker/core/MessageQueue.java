package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The messages waiting in one queue or one topic subscription, and the consumers taking from it.
 * Delivery order is highest priority first, then arrival order; a message returned unacknowledged goes
 * back to its place. A message is dispatched to the next consumer, round robin, that has credit and
 * accepts it; messages no consumer accepts now stay where they are.
 *
 * <p>Owned by the agent thread: no locks, no other thread may touch it.
 */
final class MessageQueue {

    private static final Comparator<MessageRef> DELIVERY_ORDER =
            Comparator.comparingInt(MessageRef::priority).reversed().thenComparingLong(r -> r.sequence);

    private final String name;
    private final BrokerAgent agent;
    private final TreeSet<MessageRef> refs = new TreeSet<>(DELIVERY_ORDER);
    private final List<BrokerConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private long wakeUpScheduledAt = Long.MAX_VALUE;
    private boolean deleted;

    MessageQueue(String name, BrokerAgent agent) {
        this.name = name;
        this.agent = agent;
    }

    String name() {
        return name;
    }

    int messageCount() {
        return refs.size();
    }

    List<BrokerConsumer> consumers() {
        return consumers;
    }

    boolean isDeleted() {
        return deleted;
    }

    void add(MessageRef ref) {
        if (!deleted) {
            refs.add(ref);
        }
    }

    /** Puts an unacknowledged message back in its place; dropped if the queue is gone. */
    void putBack(MessageRef ref) {
        add(ref);
    }

    void addConsumer(BrokerConsumer consumer) {
        consumers.add(consumer);
    }

    void removeConsumer(BrokerConsumer consumer) {
        consumers.remove(consumer);
    }

    /** Deletes the queue: its messages are dropped and later puts are ignored. */
    void delete() {
        deleted = true;
        refs.clear();
        consumers.clear();
    }

    /** Removes every message, expired or not, that matches {@code filter}; for browsing use {@link #snapshot}. */
    void removeIf(java.util.function.Predicate<MessageRef> filter) {
        refs.removeIf(filter);
    }

    /** The messages a browser would see now, in delivery order. */
    void snapshot(long now, Consumer<MessageRef> sink) {
        for (MessageRef ref : refs) {
            if (!ref.expired(now) && ref.deliverableAt(now)) {
                sink.accept(ref);
            }
        }
    }

    /**
     * Hands messages to consumers while some consumer has credit. Expired messages met on the way are
     * dropped; messages whose delivery time has not come are skipped and a wake-up is scheduled for the
     * earliest of them.
     */
    void dispatch() {
        if (consumers.isEmpty() || refs.isEmpty() || !anyCredit()) {
            return;
        }
        long now = agent.now();
        long earliestHeld = Long.MAX_VALUE;
        Iterator<MessageRef> it = refs.iterator();
        while (it.hasNext()) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                agent.expired(ref, this);
                continue;
            }
            if (!ref.deliverableAt(now)) {
                earliestHeld = Math.min(earliestHeld, ref.message.deliveryTime());
                continue;
            }
            BrokerConsumer consumer = pickConsumer(ref);
            if (consumer != null) {
                it.remove();
                consumer.deliver(ref, this);
                if (!anyCredit()) {
                    break;
                }
            }
        }
        if (earliestHeld != Long.MAX_VALUE && earliestHeld < wakeUpScheduledAt) {
            wakeUpScheduledAt = earliestHeld;
            agent.schedule(earliestHeld - now, () -> {
                wakeUpScheduledAt = Long.MAX_VALUE;
                dispatch();
            });
        }
    }

    private BrokerConsumer pickConsumer(MessageRef ref) {
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            BrokerConsumer c = consumers.get(index);
            if (c.hasCredit() && c.accepts(ref)) {
                nextConsumer = (index + 1) % n;
                return c;
            }
        }
        return null;
    }

    private boolean anyCredit() {
        for (BrokerConsumer c : consumers) {
            if (c.hasCredit()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "MessageQueue[" + name + ", messages=" + refs.size() + ", consumers=" + consumers.size() + "]";
    }
}
