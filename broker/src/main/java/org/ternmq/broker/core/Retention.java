package org.ternmq.broker.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.persistence.RetainedRecord;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.protocol.ErrorCode;

/**
 * Message history: what durable queues and subscriptions whose policy sets {@code retention-time} keep of
 * the persistent messages that left them (acknowledged, dead-lettered, expired), for trace, query and replay.
 *
 * <p>Each message that leaves such a queue is written, in the same store batch as its removal, as a
 * {@link RetainedRecord}: the message, how it left and its lifecycle (who sent it, each delivery to which
 * consumer, who acknowledged it). The journal holds the bodies; memory holds only an index entry per
 * retained message (ids, times, the policy's indexed property), at most {@code retention-max-messages} per
 * queue, rebuilt from the records at start-up. A sweep drops what is older than {@code retention-time} or
 * beyond the count and byte limits, oldest first.
 *
 * <p>A replay puts retained messages back into their queue, in their original order and flagged as
 * redelivered, as new stored references; the copies are not retained again when they leave, so history
 * keeps one entry per original consumption.
 *
 * <p>What is not kept: the sender of a message that waited across a restart (its {@code JMSTimestamp} and
 * any {@code JMSXUserID} remain), the history of non-persistent messages and of a broker that keeps
 * everything in memory.
 *
 * <p>Owned by the agent thread.
 */
final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    /** Most lines a query answers with. */
    static final int MAX_RESULTS = 1000;

    /** One retained message in memory: enough to find it; the rest is read from the store. */
    private record Entry(long recordId, long sequence, long leftAt, long sentAt, byte outcome, int deliveryCount,
                         String messageId, String key, int size) {
        static Entry of(RetainedRecord r) {
            return new Entry(r.id(), r.sequence(), r.leftAt(), r.sentAt(), r.outcome(), r.deliveryCount(),
                    r.messageId(), r.key(), r.size());
        }
    }

    /** The history of one queue or subscription, oldest first. */
    private static final class Log {
        final MessageQueue queue;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        final Map<String, Entry> byMessageId = new HashMap<>();
        final Map<String, List<Entry>> byKey = new HashMap<>();
        long bytes;

        Log(MessageQueue queue) {
            this.queue = queue;
        }

        void add(Entry e) {
            entries.addLast(e);
            if (e.messageId() != null) {
                byMessageId.put(e.messageId(), e);
            }
            if (e.key() != null) {
                byKey.computeIfAbsent(e.key(), k -> new ArrayList<>(1)).add(e);
            }
            bytes += e.size();
        }

        Entry removeOldest() {
            Entry e = entries.removeFirst();
            if (e.messageId() != null) {
                byMessageId.remove(e.messageId(), e);
            }
            if (e.key() != null) {
                List<Entry> same = byKey.get(e.key());
                if (same != null) {
                    same.remove(e);
                    if (same.isEmpty()) {
                        byKey.remove(e.key());
                    }
                }
            }
            bytes -= e.size();
            return e;
        }
    }

    private final BrokerAgent agent;
    private final Map<Long, Log> logs = new HashMap<>();
    /** Lifecycles of retained queues' refs while they are paged out, by ref id. */
    private final Map<Long, Lifecycle> parked = new HashMap<>();

    Retention(BrokerAgent agent) {
        this.agent = agent;
    }

    /** Whether {@code q} keeps the history of its persistent messages. */
    boolean retains(MessageQueue q) {
        return q != null && q.isDurable() && q.policy().retentionTime() > 0 && agent.storeWriter().persistent();
    }

    // ---- events of a message in a retaining queue -------------------------------------------------

    /** A persistent message joined {@code q}: its lifecycle starts with who sent it. */
    void enqueued(MessageQueue q, MessageRef ref) {
        if (!ref.message.persistent() || ref.lifecycle != null || !retains(q)) {
            return;
        }
        BrokerConnection from = agent.connectionWithId(ref.originConnectionId);
        Lifecycle l = new Lifecycle();
        l.sent(agent.now(), from != null ? from.describe() : ref.originConnectionId == null ? "the broker (moved)"
                : "connection " + ref.originConnectionId + (ref.originClientId == null ? "" : " (client id "
                + ref.originClientId + ")"));
        ref.lifecycle = l;
    }

    void delivered(MessageRef ref, BrokerConsumer consumer, BrokerConnection to) {
        if (ref.lifecycle != null) {
            ref.lifecycle.delivered(agent.now(), ref.deliveryCount + 1, consumer.id, to.describe());
        }
    }

    void pagedOut(MessageRef ref) {
        if (ref.lifecycle != null) {
            parked.put(ref.refId, ref.lifecycle);
        }
    }

    Lifecycle pagedIn(long refId) {
        return parked.isEmpty() ? null : parked.remove(refId);
    }

    /**
     * {@code ref} left {@code q} for good ({@code how} says how, for the lifecycle; asked only when {@code q}
     * retains history, so that a queue that does not pays nothing for the text): when {@code q} retains
     * history, the message is written as a retained record in the current task's batch, with the removal.
     */
    void left(MessageQueue q, MessageRef ref, byte outcome, java.util.function.Supplier<String> how) {
        if (!ref.message.persistent() || ref.replayed || !retains(q)) {
            return;
        }
        long now = agent.now();
        Lifecycle l = ref.lifecycle;
        if (l == null) {
            l = new Lifecycle();
            l.sent(ref.message.timestamp(), "a producer this broker no longer knows (the message waited across a restart)");
        }
        l.left(now, how.get());
        DestinationPolicy p = q.policy();
        String key = null;
        if (!p.retentionIndexProperty().isEmpty()) {
            Object v = ref.message.property(p.retentionIndexProperty());
            key = v == null ? null : v.toString();
        }
        byte[] bytes = ref.message.bytes();
        RetainedRecord r = new RetainedRecord(agent.storeWriter().nextId(), q.storeId, ref.sequence, now,
                ref.message.timestamp(), outcome, ref.deliveryCount, ref.message.messageId(), key, bytes.length,
                l.text(), bytes);
        agent.storeWriter().retainedAdded(r);
        agent.largeBodies().hold(ref.message); // kept for a replay; counted afresh at the next start
        Log log = logs.computeIfAbsent(q.storeId, id -> new Log(q));
        log.add(Entry.of(r));
        trim(log, now);
    }

    /** A retaining queue was deleted: its history goes with it. */
    void queueDeleted(MessageQueue q) {
        Log log = logs.remove(q.storeId);
        if (log != null) {
            log.entries.forEach(e -> agent.storeWriter().retainedRemoved(e.recordId()));
        }
    }

    /** A retained record found at start-up, for {@code queue}. */
    void restored(MessageQueue queue, RetainedRecord summary) {
        logs.computeIfAbsent(queue.storeId, id -> new Log(queue)).add(Entry.of(summary));
    }

    /** Drops what every history holds beyond its policy's time, count and byte limits. */
    void sweep() {
        long now = agent.now();
        for (Iterator<Log> it = logs.values().iterator(); it.hasNext();) {
            Log log = it.next();
            trim(log, now);
            if (log.entries.isEmpty()) {
                it.remove();
            }
        }
    }

    private void trim(Log log, long now) {
        DestinationPolicy p = log.queue.policy();
        long oldest = p.retentionTime() == 0 ? Long.MAX_VALUE : now - p.retentionTime();
        while (!log.entries.isEmpty() && (log.entries.peekFirst().leftAt() <= oldest
                || log.entries.size() > p.retentionMaxMessages() || log.bytes > p.retentionMaxBytes())) {
            agent.storeWriter().retainedRemoved(log.removeOldest().recordId());
        }
    }

    // ---- queries ----------------------------------------------------------------------------------

    /** A query: by message id, by the indexed property's value, by sent time (all that are given must match). */
    record Query(String messageId, String key, long sentFrom, long sentTo) {
        boolean matches(Entry e) {
            return (messageId == null || messageId.equals(e.messageId())) && (key == null || key.equals(e.key()))
                    && e.sentAt() >= sentFrom && e.sentAt() <= sentTo;
        }
    }

    /**
     * Retained messages of {@code q} (every retaining queue when null) that match, oldest first, one line each:
     * queue, message id, key, sent, left, outcome, deliveries; at most {@link #MAX_RESULTS}.
     */
    List<String> find(MessageQueue q, Query query) {
        List<String> lines = new ArrayList<>();
        Map<MessageQueue, String> names = displayNames();
        for (Log log : logs.values()) {
            if (q != null && log.queue != q) {
                continue;
            }
            Iterable<Entry> candidates = query.messageId() != null
                    ? single(log.byMessageId.get(query.messageId()))
                    : query.key() != null ? log.byKey.getOrDefault(query.key(), List.of()) : log.entries;
            for (Entry e : candidates) {
                if (e != null && query.matches(e) && lines.size() < MAX_RESULTS) {
                    lines.add(line(names.getOrDefault(log.queue, log.queue.name()), e));
                }
            }
        }
        return lines;
    }

    private static Iterable<Entry> single(Entry e) {
        return e == null ? List.of() : List.of(e);
    }

    private static String line(String queue, Entry e) {
        return queue + "  " + e.messageId() + (e.key() == null ? "" : "  key " + e.key()) + "  sent "
                + (e.sentAt() == 0 ? "?" : Instant.ofEpochMilli(e.sentAt()).toString()) + "  "
                + RetainedRecord.outcomeName(e.outcome()) + " " + Instant.ofEpochMilli(e.leftAt()) + "  deliveries "
                + e.deliveryCount();
    }

    /**
     * The lifecycle of message {@code messageId}: each retained copy (one per queue or subscription it left)
     * with its events, and where it still waits, with what is known of it so far.
     */
    List<String> trace(String messageId) {
        List<String> lines = new ArrayList<>();
        Map<MessageQueue, String> names = displayNames();
        for (Log log : logs.values()) {
            Entry e = log.byMessageId.get(messageId);
            if (e == null) {
                continue;
            }
            RetainedRecord r = agent.storeWriter().readRetained(e.recordId());
            lines.add("in " + names.getOrDefault(log.queue, log.queue.name()) + ":");
            if (r == null) {
                lines.add("  (its record is gone: trimmed just now)");
                continue;
            }
            for (String event : r.lifecycle().split("\n")) {
                lines.add("  " + event);
            }
        }
        for (Delivery d : agent.inFlight(messageId)) {
            lines.add("in " + names.getOrDefault(d.queue(), d.queue().name()) + ":");
            if (d.ref().lifecycle != null) {
                for (String event : d.ref().lifecycle.text().split("\n")) {
                    lines.add("  " + event);
                }
            }
            lines.add("  delivered to consumer " + d.consumer().id + " of " + d.consumer().session.connection.describe()
                    + ", not acknowledged yet");
        }
        for (Map.Entry<MessageQueue, String> q : names.entrySet()) {
            MessageRef waiting = q.getKey().findWaiting(messageId);
            if (waiting != null) {
                lines.add("in " + q.getValue() + ":");
                if (waiting.lifecycle != null) {
                    for (String event : waiting.lifecycle.text().split("\n")) {
                        lines.add("  " + event);
                    }
                }
                lines.add("  waiting (" + waiting.deliveryCount + " deliveries so far)");
            }
        }
        return lines;
    }

    /**
     * Puts the retained messages of {@code q} back into it, from the first sent at or after {@code fromTime}
     * or from message {@code fromId} on (whichever is given), in their original order, as redelivered: each
     * becomes a new stored reference in this task's batch.
     *
     * @return how many were put back
     * @throws BrokerException {@code INVALID_DESTINATION} when {@code q} keeps no history or {@code fromId} is
     *     not in it
     */
    int replay(MessageQueue q, long fromTime, String fromId) throws BrokerException {
        Log log = logs.get(q.storeId);
        if (!retains(q)) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "'" + displayNames().getOrDefault(q, q.name())
                    + "' keeps no history: its policy's retention-time is 0");
        }
        if (log == null) {
            if (fromId != null) {
                throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no message '" + fromId + "' in the history");
            }
            return 0;
        }
        List<Entry> chosen = new ArrayList<>();
        if (fromId != null) {
            Entry start = log.byMessageId.get(fromId);
            if (start == null) {
                throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no message '" + fromId + "' in the history");
            }
            for (Entry e : log.entries) {
                if (e.sequence() >= start.sequence()) {
                    chosen.add(e);
                }
            }
        } else {
            for (Entry e : log.entries) {
                if (e.sentAt() >= fromTime) {
                    chosen.add(e);
                }
            }
        }
        chosen.sort(java.util.Comparator.comparingLong(Entry::sequence));
        int count = 0;
        for (Entry e : chosen) {
            RetainedRecord r = agent.storeWriter().readRetained(e.recordId());
            if (r == null) {
                continue;
            }
            EncodedMessage m;
            try {
                m = EncodedMessage.wrap(r.message());
            } catch (MalformedMessageException ex) {
                LOG.error("retained message {} is unreadable and is not replayed: {}", e.messageId(), ex.getMessage());
                continue;
            }
            agent.replayInto(q, m, e.sequence(), Math.max(1, e.deliveryCount()));
            count++;
        }
        q.dispatch();
        return count;
    }

    /** The names operators know queues by ({@code topic::clientId.name} for subscriptions). */
    private Map<MessageQueue, String> displayNames() {
        Map<MessageQueue, String> names = new java.util.LinkedHashMap<>();
        agent.queuesByName().forEach((name, queue) -> names.put(queue, name));
        return names;
    }
}
