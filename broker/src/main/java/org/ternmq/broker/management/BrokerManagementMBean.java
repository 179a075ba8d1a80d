package org.ternmq.broker.management;

/**
 * The broker's JMX interface, registered as {@code org.ternmq:type=Broker,name=<broker name>}.
 */
public interface BrokerManagementMBean {

    /** A table of queues and durable subscriptions with their message and consumer counts. */
    String listQueues();

    /**
     * Moves the messages of {@code fromQueue} matching {@code selector} (all when null or empty) to
     * {@code toQueue}, or back to the destination each came from when {@code toQueue} is null or empty
     * (for a dead-letter or expiry queue).
     *
     * @return how many messages moved
     */
    int moveMessages(String fromQueue, String toQueue, String selector);

    /** Removes the messages of {@code queue} matching {@code selector} (all when null or empty). */
    int purge(String queue, String selector);
}
