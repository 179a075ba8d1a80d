package org.ternmq.broker.management;

/**
 * One queue or durable subscription in JMX ({@code org.ternmq:type=Destination,broker=...,kind=...,name=...}):
 * its counts and counters as attributes, and what an operator does to it as operations.
 */
public interface DestinationControlMBean {

    String getName();

    /** queue or subscription */
    String getKind();

    long getMessagesWaiting();

    int getMessagesOnHeap();

    int getMessagesPaged();

    int getMessagesInFlight();

    int getMessagesScheduled();

    int getConsumers();

    int getProducers();

    boolean isPaused();

    long getMessagesEnqueued();

    long getMessagesDelivered();

    long getMessagesAcknowledged();

    long getMessagesRedelivered();

    long getMessagesDeadLettered();

    long getMessagesExpired();

    long getDuplicatesDropped();

    /**
     * Up to {@code max} waiting messages, one line each: id, priority, properties, body preview; those on the heap in
     * delivery order, then the paged-out ones in arrival order (read from the journal, not consumed).
     */
    String[] browse(int max);

    /** Moves the messages {@code selector} selects (empty: all) to {@code toQueue}; empty: back where they came from. */
    int moveMessages(String toQueue, String selector);

    /** Deletes the messages {@code selector} selects (empty: all). */
    int purge(String selector);

    void pauseDelivery();

    void resumeDelivery();

    /** Deletes the queue or subscription with its messages (refused while consumers are attached). */
    String delete();
}
