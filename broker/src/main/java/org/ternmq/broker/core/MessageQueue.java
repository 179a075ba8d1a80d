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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * <p><b>Paging.</b> A queue keeps at most its policy's {@code max-memory-messages} and
 * {@code max-memory-bytes} of waiting messages on the heap. Beyond that, a new persistent message of a
 * durable queue is paged out: the queue keeps only its ref's store id, 8 bytes, in arrival order in
 * {@code paged}, and its body lives only in the journal. Once the heap part has drained to half its limits,
 * the oldest paged refs are read back from the store, a bounded step per agent task, until the heap part
 * is full again. Once anything is paged out, every new persistent message is paged out behind it, so
 * persistent messages keep their arrival order. So:
 * <ul>
 *   <li>priority orders the messages on the heap; paged messages come in arrival order (a high-priority
 *       message paged out behind low-priority ones waits for them to be paged in);</li>
 *   <li>browsers (JMS, JMX, the console, {@code tern browse}) see paged messages after the heap ones, in arrival
 *       order, read from the store without paging them in ({@link #pagedRefIds});</li>
 *   <li>a paged message is invisible to consumers' selectors, the expiry scan and management
 *       operations until it is paged in (an expired one is moved by the next dispatch or scan after); a
 *       heap part full of messages no consumer selects stops paging: other consumers must take them;</li>
 *   <li>a message redelivered (rolled back, recovered) goes back to the heap, never out;</li>
 *   <li>non-persistent messages, and every message of a temporary or non-durable queue, are never paged
 *       out: they count toward the heap part, so persistent ones behind them are paged sooner, and only the
 *       producers' flow control (the producer window) limits them.</li>
 * </ul>
 *
 * <p>Owned by the agent thread: no locks, no other thread may touch it.
 */
final class MessageQueue {

    private static final Logger LOG = LoggerFactory.getLogger(MessageQueue.class);
    /** How long a page-in that could not read the store waits before it tries again. */
    private static final long PAGE_IN_RETRY_MILLIS = 1000;

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
    /**
     * No message held on the heap expires before this (it may be earlier than the truth once such a message
     * left; the next scan recomputes it): the periodic expiry scan is skipped until then.
     */
    private long earliestExpiration = Long.MAX_VALUE;
    /** Groups with a message waiting for redelivery, and how many. */
    private final Map<String, Integer> heldGroups = new HashMap<>();
    private final Map<String, BrokerConsumer> groupOwners = new HashMap<>();
    private final List<BrokerConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private long wakeUpAt = Long.MAX_VALUE;
    private boolean deleted;
    /** Delivery paused by an operator: messages keep arriving and waiting. */
    private boolean paused;
    final DestinationCounters counters = new DestinationCounters();
    /** Store ids of the refs paged out, oldest first. */
    private LongRing paged = new LongRing();
    /** Messages waiting on the heap ({@code ready} and {@code scheduled}), and their estimated heap bytes. */
    private int residentCount;
    private long residentBytes;
    private boolean pageInScheduled;
    /** The heap size of the last message paged in, to size the next read (0 before the first). */
    private long lastPagedInHeapSize;

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

    /** Messages waiting, on the heap or paged out. */
    int messageCount() {
        return ready.size() + scheduled.size() + paged.size();
    }

    /** Messages waiting on the heap. */
    int residentCount() {
        return residentCount;
    }

    /** Messages paged out. */
    int pagedCount() {
        return paged.size();
    }

    /** Messages on the heap waiting for their delivery time or redelivery delay. */
    int scheduledCount() {
        return scheduled.size();
    }

    boolean isPaused() {
        return paused;
    }

    /** Pauses or resumes delivery to consumers (an operator's decision, stored by {@link PausedDestinations}). */
    void setPaused(boolean paused) {
        this.paused = paused;
        if (!paused) {
            dispatch();
        }
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

    /**
     * A new message: kept on the heap, or paged out when it is stored in this task and the heap part is
     * full or earlier messages are paged out already (they must come first).
     */
    void add(MessageRef ref) {
        if (deleted) {
            return;
        }
        counters.enqueued++;
        if (ref.isStored() && (!paged.isEmpty() || !hasRoomFor(ref))) {
            paged.addLast(ref.refId);
            agent.storeWriter().pagedOut(ref);
            return;
        }
        hold(ref);
    }

    /** Puts an unacknowledged message back in its place, on the heap; dropped if the queue is gone. */
    void putBack(MessageRef ref) {
        if (!deleted) {
            hold(ref);
        }
    }

    /**
     * A stored ref known by id only (an XA branch recovered at start-up committed it): it joins the paged refs,
     * and is read back when its turn comes.
     */
    void appendStored(long refId) {
        if (!deleted) {
            counters.enqueued++;
            paged.addLast(refId);
            requestPageIn();
        }
    }

    /** Refs found in the store at start-up, in arrival order: paged out, then paged in as the limits allow. */
    void restore(long[] refIds, int count) {
        if (!paged.isEmpty()) {
            throw new IllegalStateException(name + " has paged messages already");
        }
        paged = LongRing.of(refIds, count);
        requestPageIn();
    }

    private void hold(MessageRef ref) {
        long expiration = ref.message.expiration();
        if (expiration != 0 && expiration < earliestExpiration) {
            earliestExpiration = expiration;
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
        residentCount++;
        residentBytes += ref.heapSize();
        agent.pager().held(1, ref.heapSize());
    }

    /** {@code ref} left {@code ready} or {@code scheduled}. */
    private void released(MessageRef ref) {
        residentCount--;
        residentBytes -= ref.heapSize();
        agent.pager().held(-1, -ref.heapSize());
    }

    private boolean hasRoomFor(MessageRef ref) {
        return residentCount == 0 || (residentCount < policy.maxMemoryMessages()
                && residentBytes + ref.heapSize() <= policy.maxMemoryBytes());
    }

    private boolean hasRoom() {
        return residentCount < policy.maxMemoryMessages() && residentBytes < policy.maxMemoryBytes();
    }

    private boolean belowLowWater() {
        return residentCount <= policy.maxMemoryMessages() / 2 && residentBytes <= policy.maxMemoryBytes() / 2;
    }

    /** Starts paging in (in a later agent task) when the heap part has drained to half its limits. */
    private void requestPageIn() {
        if (pageInScheduled || paged.isEmpty() || deleted || !belowLowWater()) {
            return;
        }
        pageInScheduled = true;
        later(this::pageInStep);
    }

    /** Runs {@code step} in a later agent task; not at all once the broker is stopping. */
    private void later(Runnable step) {
        try {
            agent.execute(step);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("{}: broker stopping, paging step not run", name);
        }
    }

    /**
     * How many paged refs the next read may bring back without going past the heap limits: by count exactly,
     * by bytes as many as fit at the size of the last one paged in (one while that is unknown). At least one.
     */
    private int pageInRoom() {
        if (residentCount == 0) {
            return lastPagedInHeapSize == 0 ? 1 : (int) Math.max(1, Math.min(policy.maxMemoryMessages(),
                    policy.maxMemoryBytes() / lastPagedInHeapSize));
        }
        long byCount = (long) policy.maxMemoryMessages() - residentCount;
        long byBytes = lastPagedInHeapSize == 0 ? 1
                : (policy.maxMemoryBytes() - residentBytes + lastPagedInHeapSize - 1) / lastPagedInHeapSize;
        return (int) Math.max(1, Math.min(Math.min(byCount, byBytes), Integer.MAX_VALUE));
    }

    /** Reads one bounded step of paged refs back; schedules the next step while there is room. */
    private void pageInStep() {
        pageInScheduled = false;
        if (deleted) {
            return;
        }
        int read = 0;
        long bytes = 0;
        while (!paged.isEmpty() && read < Pager.STEP_MESSAGES && bytes < Pager.STEP_BYTES
                && (residentCount == 0 || hasRoom())) {
            // a batch read together, in journal order (the bytes limit is checked between batches)
            int batch = Math.min(Math.min(Pager.READ_BATCH, paged.size()),
                    Math.min(Pager.STEP_MESSAGES - read, pageInRoom()));
            long[] refIds = new long[batch];
            for (int i = 0; i < batch; i++) {
                refIds[i] = paged.get(i);
            }
            MessageRef[] refs;
            try {
                refs = agent.pager().pageIn(refIds);
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                LOG.error("{}: could not page messages in from the store, trying again in {} ms: {}", name,
                        PAGE_IN_RETRY_MILLIS, e.toString());
                pageInScheduled = true;
                agent.schedule(PAGE_IN_RETRY_MILLIS, this::pageInStep);
                return;
            }
            for (MessageRef ref : refs) {
                paged.removeFirst();
                read++;
                if (ref != null) {
                    bytes += ref.message.size();
                    lastPagedInHeapSize = ref.heapSize();
                    hold(ref);
                }
            }
        }
        if (!paged.isEmpty() && hasRoom()) {
            pageInScheduled = true;
            later(this::pageInStep);
        }
        dispatch();
    }

    /**
     * Drops every paged-out message (a purge without a selector): they leave the queue at once and the store
     * forgets them a bounded step per agent task; {@code done} runs in the task of the last step (at once
     * when none were paged out), so its caller can wait for that task's batch to be stored.
     *
     * @return how many were dropped
     */
    int dropPaged(Runnable done) {
        int count = paged.size();
        if (count > 0) {
            LongRing dropping = paged;
            paged = new LongRing();
            later(() -> dropPagedStep(dropping, done));
        } else {
            done.run();
        }
        return count;
    }

    /** Drops paged refs from the store, a bounded step per agent task (after a delete or a purge). */
    private void dropPagedStep(LongRing paged, Runnable done) {
        for (int i = 0; i < Pager.STEP_MESSAGES && !paged.isEmpty(); i++) {
            long refId = paged.removeFirst();
            try {
                MessageRef ref = agent.pager().pageIn(refId);
                if (ref != null) {
                    agent.dropped(ref, this);
                }
            } catch (java.io.UncheckedIOException | IllegalStateException e) {
                LOG.error("{}: could not read {} paged messages of the deleted queue; the store deletes them at the "
                        + "next start: {}", name, paged.size() + 1, e.toString());
                paged.clear();
                done.run();
                return;
            }
        }
        if (!paged.isEmpty()) {
            later(() -> dropPagedStep(paged, done));
        } else {
            done.run();
        }
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
        if (paused) {
            agent.pausedDestinations().deleted(this);
        }
        List<MessageRef> dropped = new ArrayList<>(ready);
        dropped.addAll(scheduled);
        ready.clear();
        scheduled.clear();
        consumers.clear();
        groupOwners.clear();
        heldGroups.clear();
        dropped.forEach(this::released);
        dropped.forEach(ref -> agent.dropped(ref, this));
        if (!paged.isEmpty()) {
            LongRing dropping = paged;
            paged = new LongRing();
            later(() -> dropPagedStep(dropping, () -> { }));
        }
    }

    /** The message with {@code messageId} waiting on the heap (paged-out ones are not looked at), or null. */
    MessageRef findWaiting(String messageId) {
        for (MessageRef ref : ready) {
            if (messageId.equals(ref.message.messageId())) {
                return ref;
            }
        }
        for (MessageRef ref : scheduled) {
            if (messageId.equals(ref.message.messageId())) {
                return ref;
            }
        }
        return null;
    }

    /** The messages a browser would see now, in delivery order: scheduled ones are not visible yet. */
    void snapshot(long now, Consumer<MessageRef> sink) {
        for (MessageRef ref : ready) {
            if (!ref.expired(now)) {
                sink.accept(ref);
            }
        }
    }

    /** The store ids of the paged-out refs, oldest (next to be paged in) first: a copy, for browsing. */
    long[] pagedRefIds() {
        long[] ids = new long[paged.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = paged.get(i);
        }
        return ids;
    }

    /** Removes and returns every message on the heap that {@code filter} accepts (management operations). */
    List<MessageRef> removeMatching(java.util.function.Predicate<MessageRef> filter) {
        List<MessageRef> removed = new ArrayList<>();
        for (Iterator<MessageRef> it = ready.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (filter.test(ref)) {
                it.remove();
                released(ref);
                removed.add(ref);
            }
        }
        for (Iterator<MessageRef> it = scheduled.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (filter.test(ref)) {
                it.remove();
                released(ref);
                releaseHold(ref);
                removed.add(ref);
            }
        }
        removed.sort(DELIVERY_ORDER);
        requestPageIn();
        return removed;
    }

    /** Moves out every expired message, delivered or not: called by the periodic expiry scan. */
    void expire(long now) {
        if (now < earliestExpiration) {
            // no message on the heap can have expired: a scan would only walk the whole queue (profiled: 15 % of a
            // draining broker's CPU with a 10,000-message resident window and no expiring message at all)
            requestPageIn();
            return;
        }
        List<MessageRef> expired = new ArrayList<>();
        long earliest = Long.MAX_VALUE;
        for (Iterator<MessageRef> it = ready.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                released(ref);
                expired.add(ref);
            } else {
                earliest = earlierExpiration(earliest, ref);
            }
        }
        for (Iterator<MessageRef> it = scheduled.iterator(); it.hasNext(); ) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                released(ref);
                releaseHold(ref);
                expired.add(ref);
            } else {
                earliest = earlierExpiration(earliest, ref);
            }
        }
        earliestExpiration = earliest;
        expired.forEach(ref -> agent.expired(ref, this));
        requestPageIn();
    }

    private static long earlierExpiration(long earliest, MessageRef ref) {
        long expiration = ref.message.expiration();
        return expiration != 0 && expiration < earliest ? expiration : earliest;
    }

    /**
     * Hands messages to consumers while some consumer has credit. Expired messages met on the way are
     * moved out; scheduled messages whose time has come join the ready ones first.
     */
    void dispatch() {
        dispatchReady();
        requestPageIn();
    }

    private void dispatchReady() {
        long now = agent.now();
        promoteDue(now);
        if (paused || consumers.isEmpty() || ready.isEmpty() || !anyCredit()) {
            return;
        }
        Set<String> blockedGroups = null;
        Iterator<MessageRef> it = ready.iterator();
        while (it.hasNext()) {
            MessageRef ref = it.next();
            if (ref.expired(now)) {
                it.remove();
                released(ref);
                agent.expired(ref, this);
                continue;
            }
            if (policy.exhausted(ref.chargedAttempts()) && agent.mover().hasDeadLetterQueue(this)) {
                // only after a restart: the last allowed attempt was under way when the broker stopped
                it.remove();
                released(ref);
                agent.deadLetter(ref, this, null);
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
            released(ref);
            counters.delivered++;
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
                + ", paged=" + paged.size() + ", consumers=" + consumers.size() + "]";
    }
}
