package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.Address;

/**
 * The messages waiting in one queue or one topic subscription, and the consumers taking from it.
 *
 * <p>Messages that may be delivered now wait in {@code ready}, highest priority first, then in arrival
 * order; a message returned unacknowledged goes back to its place. Messages with a delivery time or a
 * redelivery delay still to come wait in {@code scheduled}, ordered by when they become ready, so a
 * million delayed messages cost nothing until their time: one timer is armed for the earliest. While a
 * message of a group waits for redelivery, the rest of its group waits too (group order), but other
 * messages keep flowing.
 *
 * <p>A message is dispatched to the next consumer, round robin, that has credit and accepts it; a
 * message of a group goes only to the consumer that owns the group (the first one it was given to, until
 * that consumer closes). Messages no consumer accepts now stay where they are.
 *
 * <p>Owned by the agent thread: no locks, no other thread may touch it.
 */
final class MessageQueue {

    private static final Comparator<MessageRef> DELIVERY_ORDER =
            Comparator.comparingInt(MessageRef::priority).reversed().thenComparingLong(r -> r.sequence);
    private static final Comparator<MessageRef> READY_TIME_ORDER =
            Comparator.comparingLong(MessageRef::notBefore).thenComparingLong(r -> r.sequence);

    private final String name;
    /** The destination whose policy applies (a subscription's topic), and that dead letters came from. */
    private final Address origin;
    private final DestinationPolicy policy;
    private final BrokerAgent agent;
    /** The queue's store id; 0 for a queue that is not durable (temporary, non-durable subscription). */
    final long storeId;
    private final TreeSet<MessageRef> ready = new TreeSet<>(DELIVERY_ORDER);
    private final PriorityQueue<MessageRef> scheduled = new PriorityQueue<>(READY_TIME_ORDER);
    /** Groups with a message waiting for redelivery, and how many. */
    private final Map<String, Integer> heldGroups = new HashMap<>();
    private final Map<String, BrokerConsumer> groupOwners = new HashMap<>();
    private final List<BrokerConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private long wakeUpAt = Long.MAX_VALUE;
    private boolean deleted;

    MessageQueue(String name, Address origin, DestinationPolicy policy, BrokerAgent agent, long storeId) {
        this.storeId = storeId;
        this.name = name;
        this.origin = origin;
        this.policy = policy;
        this.agent = agent;
    }

    String name() {
        return name;
    }

    Address origin() {
        return origin;
    }

    DestinationPolicy policy() {
        return policy;
    }

    int messageCount() {
        return ready.size() + scheduled.size();
    }

    List<BrokerConsumer> consumers() {
        return consumers;
    }

    boolean isDurable() {
        return storeId != 0;
    }

    boolean isDeleted() {
        return deleted;
    }

    void add(MessageRef ref) {
        if (deleted) {
            return;
        }
        if (ref.notBefore() > agent.now()) {
            scheduled.add(ref);
            if (ref.redeliverAt > 0 && ref.groupId() != null) {
                heldGroups.merge(ref.groupId(), 1, Integer::sum);
            }
            armWakeUp();
        } else {
            ready.add(ref);
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
        groupOwners.values().removeIf(c -> c == consumer);
    }

    /** Deletes the queue: its messages are dropped and later puts are ignored. */
    void delete() {
        deleted = true;
        List<MessageRef> dropped = new ArrayList<>(ready);
        dropped.addAll(scheduled);
        ready.clear();
        scheduled.clear();
        consumers.clear();
        groupOwners.clear();
        heldGroups.clear();
        dropped.forEach(ref -> agent.dropped(ref, this));
    }

    /** The messages a browser would see now, in delivery order: scheduled ones are not visible yet. */
    void snapshot(long now, Consumer<MessageRef> sink) {
        for (MessageRef ref : ready) {
            if (!ref.expired(now)) {
                sink.accept(ref);
            }
        }
    }

    /** Removes and returns every message {@code filter} accepts (management operations). */
    List<MessageRef> removeMatching(java.util.function.Predicate<MessageRef> filter) {
        List<MessageRef> removed = new ArrayList<>();
        for (Iterator<MessageRef> it = ready.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (filter.test(ref)) {
                it.remove();
                removed.add(ref);
            }
        }
        for (Iterator<MessageRef> it = scheduled.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (filter.test(ref)) {
                it.remove();
                releaseHold(ref);
                removed.add(ref);
            }
        }
        removed.sort(DELIVERY_ORDER);
        return removed;
    }

    /** Moves out every expired message, delivered or not: called by the periodic expiry scan. */
    void expire(long now) {
        List<MessageRef> expired = new ArrayList<>();
        for (Iterator<MessageRef> it = ready.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                expired.add(ref);
            }
        }
        for (Iterator<MessageRef> it = scheduled.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                releaseHold(ref);
                expired.add(ref);
            }
        }
        expired.forEach(ref -> agent.expired(ref, this));
    }

    /**
     * Hands messages to consumers while some consumer has credit. Expired messages met on the way are
     * moved out; scheduled messages whose time has come join the ready ones first.
     */
    void dispatch() {
        long now = agent.now();
        promoteDue(now);
        if (consumers.isEmpty() || ready.isEmpty() || !anyCredit()) {
            return;
        }
        Set<String> blockedGroups = null;
        Iterator<MessageRef> it = ready.iterator();
        while (it.hasNext()) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                agent.expired(ref, this);
                continue;
            }
            String group = ref.groupId();
            if (group != null) {
                if (heldGroups.containsKey(group) || (blockedGroups != null && blockedGroups.contains(group))) {
                    continue;
                }
            }
            BrokerConsumer consumer = pickConsumer(ref, group);
            if (consumer == null) {
                if (group != null) {
                    // a later message of this group must not overtake this one
                    if (blockedGroups == null) {
                        blockedGroups = new HashSet<>();
                    }
                    blockedGroups.add(group);
                }
                continue;
            }
            it.remove();
            consumer.deliver(ref, this);
            if (!anyCredit()) {
                break;
            }
        }
    }

    private void promoteDue(long now) {
        while (!scheduled.isEmpty() && scheduled.peek().notBefore() <= now) {
            MessageRef ref = scheduled.poll();
            releaseHold(ref);
            ref.redeliverAt = 0;
            ready.add(ref);
        }
        armWakeUp();
    }

    private void releaseHold(MessageRef ref) {
        if (ref.redeliverAt > 0 && ref.groupId() != null) {
            heldGroups.computeIfPresent(ref.groupId(), (g, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void armWakeUp() {
        if (scheduled.isEmpty() || deleted) {
            return;
        }
        long next = scheduled.peek().notBefore();
        if (next < wakeUpAt) {
            wakeUpAt = next;
            agent.schedule(next - agent.now(), () -> {
                if (wakeUpAt == next) {
                    wakeUpAt = Long.MAX_VALUE;
                }
                dispatch();
            });
        }
    }

    private BrokerConsumer pickConsumer(MessageRef ref, String group) {
        if (group != null) {
            BrokerConsumer owner = groupOwners.get(group);
            if (owner != null) {
                return owner.hasCredit() && owner.accepts(ref) ? owner : null;
            }
        }
        int n = consumers.size();
        for (int i = 0; i < n; i++) {
            int index = (nextConsumer + i) % n;
            BrokerConsumer c = consumers.get(index);
            if (c.hasCredit() && c.accepts(ref)) {
                nextConsumer = (index + 1) % n;
                if (group != null) {
                    groupOwners.put(group, c);
                }
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
        return "MessageQueue[" + name + ", ready=" + ready.size() + ", scheduled=" + scheduled.size()
                + ", consumers=" + consumers.size() + "]";
    }
}
