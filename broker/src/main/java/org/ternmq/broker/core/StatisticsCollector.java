package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.Address;

/**
 * Builds {@link BrokerStatistics} snapshots from the agent's state, and keeps the counters that belong to no
 * queue (duplicates dropped per destination). Agent thread only.
 */
final class StatisticsCollector {

    private final BrokerAgent agent;
    private final long startedAt = System.currentTimeMillis();
    private final Map<Address, long[]> duplicatesDropped = new HashMap<>();

    StatisticsCollector(BrokerAgent agent) {
        this.agent = agent;
    }

    long startedAt() {
        return startedAt;
    }

    void duplicateDropped(Address destination) {
        duplicatesDropped.computeIfAbsent(destination, a -> new long[1])[0]++;
    }

    private long duplicates(Address destination) {
        long[] n = duplicatesDropped.get(destination);
        return n == null ? 0 : n[0];
    }

    BrokerStatistics snapshot(Map<String, MessageQueue> queues, Map<String, BrokerTopic> topics,
                              Iterable<BrokerConnection> connections, long memoryBytes, long maxMemory, int heldBack) {
        Map<MessageQueue, int[]> inFlight = new IdentityHashMap<>();
        Map<Address, int[]> senders = new HashMap<>();
        List<BrokerStatistics.Connection> connectionList = new ArrayList<>();
        int sessions = 0;
        for (BrokerConnection c : connections) {
            c.countInFlight(inFlight);
            for (Address a : c.sentTo()) {
                senders.computeIfAbsent(a, x -> new int[1])[0]++;
            }
            sessions += c.sessionCount();
            connectionList.add(c.info());
        }
        agent.xa().countHeld(inFlight);
        List<BrokerStatistics.Destination> destinations = new ArrayList<>();
        Map<String, MessageQueue> byName = new TreeMap<>(agent.queuesByName());
        Map<MessageQueue, Subscription> subscriptionOf = new IdentityHashMap<>();
        for (BrokerTopic t : topics.values()) {
            for (Subscription s : t.subscriptions) {
                subscriptionOf.put(s.queue, s);
            }
        }
        for (Map.Entry<String, MessageQueue> e : byName.entrySet()) {
            MessageQueue q = e.getValue();
            Subscription s = subscriptionOf.get(q);
            Address dest = s == null ? q.origin() : s.topic;
            int[] held = inFlight.get(q);
            int[] producers = senders.get(dest);
            DestinationCounters n = q.counters;
            destinations.add(new BrokerStatistics.Destination(e.getKey(), s == null ? "queue" : "subscription",
                    s == null ? null : s.topic.name(), q.residentCount(), q.pagedCount(), held == null ? 0 : held[0],
                    q.scheduledCount(), q.consumers().size(), producers == null ? 0 : producers[0], q.isPaused(),
                    n.enqueued, n.delivered, n.acknowledged, n.redelivered, n.deadLettered, n.expired,
                    duplicates(dest)));
        }
        List<BrokerStatistics.Topic> topicList = new ArrayList<>();
        for (BrokerTopic t : new TreeMap<>(topics).values()) {
            int durable = 0;
            int consumers = 0;
            for (Subscription s : t.subscriptions) {
                durable += s.durable ? 1 : 0;
                consumers += s.queue.consumers().size();
            }
            topicList.add(new BrokerStatistics.Topic(t.name, t.subscriptions.size(), durable, consumers,
                    duplicates(Address.topic(t.name))));
        }
        return new BrokerStatistics(System.currentTimeMillis(), startedAt, connectionList.size(), sessions, memoryBytes,
                maxMemory, heldBack, agent.xa().preparedCount(), agent.halves().list().size(), agent.storeUnavailable(List.of(DestinationPolicy.DEFAULTS)),
                List.copyOf(destinations), List.copyOf(topicList), List.copyOf(connectionList));
    }
}
