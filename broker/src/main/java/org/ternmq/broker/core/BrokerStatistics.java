package org.ternmq.broker.core;

import java.util.List;

/**
 * A consistent snapshot of the broker's state and counters, taken on the agent thread in one task: what
 * metrics, JMX, the web console and {@code tern stat} show. Immutable.
 *
 * @param takenAt           epoch milliseconds of the snapshot
 * @param startedAt         epoch milliseconds the broker started
 * @param connections       open client connections
 * @param sessions          open sessions over all connections
 * @param memoryBytes       bytes of waiting messages held on the heap (what max-memory limits)
 * @param maxMemory         the max-memory limit, in bytes
 * @param producersHeldBack sends whose answers wait for memory to free up
 * @param preparedBranches  XA branches prepared and waiting for their transaction manager (half-messages not counted)
 * @param halfMessages      half-messages waiting for their producer's outcome
 * @param storeFenced       why the store refuses writes, or null while it is healthy
 * @param destinations      queues and durable subscriptions, by name
 * @param topics            topics with their subscriptions
 * @param connectionList    the open connections
 */
public record BrokerStatistics(long takenAt, long startedAt, int connections, int sessions, long memoryBytes,
                               long maxMemory, int producersHeldBack, int preparedBranches, int halfMessages,
                               String storeFenced, List<Destination> destinations, List<Topic> topics,
                               List<Connection> connectionList) {

    /**
     * One queue or durable subscription (named {@code topic::clientId.name}).
     *
     * @param type              {@code queue} or {@code subscription}
     * @param heap              waiting messages on the heap (scheduled ones included)
     * @param paged             waiting messages paged out to the journal
     * @param inFlight          delivered and not yet acknowledged (or held by an XA branch)
     * @param scheduled         waiting messages whose delivery time or redelivery delay has not come
     * @param consumers         consumers attached
     * @param producers         open connections that have sent to it (the protocol has no producer objects;
     *                          for a subscription: those that sent to its topic)
     * @param paused            whether delivery is paused by an operator
     * @param duplicatesDropped messages dropped as duplicates on its destination (queue or topic)
     */
    public record Destination(String name, String type, String topic, int heap, int paged, int inFlight, int scheduled,
                              int consumers, int producers, boolean paused, long enqueued, long delivered,
                              long acknowledged, long redelivered, long deadLettered, long expired,
                              long duplicatesDropped) {

        /** Messages waiting: on the heap and paged out. */
        @com.fasterxml.jackson.annotation.JsonProperty("waiting")
        public long waiting() {
            return (long) heap + paged;
        }
    }

    /** A topic: its subscriptions (durable or not) and the messages dropped as duplicates on it. */
    public record Topic(String name, int subscriptions, int durableSubscriptions, int consumers, long duplicatesDropped) {
    }

    /**
     * An open connection.
     *
     * @param id             the broker's id for it
     * @param clientId       its JMS client id, or null
     * @param user           the authenticated user, or null before Hello / when anonymous
     * @param remoteAddress  where it comes from
     * @param connectedAt    epoch milliseconds
     */
    public record Connection(String id, String clientId, String user, String remoteAddress, long connectedAt,
                             int sessions, int consumers) {
    }

    /** The destination named {@code name}, or null. */
    public Destination destination(String name) {
        for (Destination d : destinations) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
