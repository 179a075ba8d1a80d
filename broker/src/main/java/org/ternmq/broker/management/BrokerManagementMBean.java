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

    /** Prepared XA branches waiting for their transaction manager: Xid, age, what each sends and acknowledges. */
    String listPrepared();

    /**
     * Commits a prepared XA branch in doubt (an operator's heuristic decision, reported to its transaction
     * manager as {@code XA_HEURCOM} until it forgets the branch).
     *
     * @param xid {@code formatId:gtridHex:bqualHex}, as {@link #listPrepared} shows it
     */
    String commitPrepared(String xid);

    /** Rolls back a prepared XA branch in doubt (reported as {@code XA_HEURRB}); see {@link #commitPrepared}. */
    String rollbackPrepared(String xid);

    /** Heuristic outcomes not yet forgotten by their transaction manager. */
    String listHeuristic();

    /** Forgets a heuristic outcome (what the transaction manager's {@code forget} does). */
    String forget(String xid);

    /** Half-messages waiting for their producer's commit or rollback: id, group, destination, age, checks. */
    String listHalf();

    /** Commits a waiting half-message (its id is its JMSMessageID, as {@link #listHalf} shows it). */
    String commitHalf(String id);

    /** Rolls back a waiting half-message. */
    String rollbackHalf(String id);

    /** Milliseconds since the broker started. */
    long getUptime();

    /** The broker's version. */
    String getVersion();

    /** Open client connections. */
    int getConnections();

    /** Open sessions over all connections. */
    int getSessions();

    /** Bytes of waiting messages held on the heap. */
    long getMemoryBytes();

    /** The max-memory limit, in bytes. */
    long getMaxMemory();

    /** "healthy", or "fenced: why" once the store refuses writes after an I/O error. */
    String getStoreState();

    /** XA branches prepared and waiting for their transaction manager. */
    int getPreparedBranches();

    /** Queues and durable subscriptions. */
    int getDestinationCount();

    /** Creates a queue; false when it existed already. */
    boolean createQueue(String name);
}
