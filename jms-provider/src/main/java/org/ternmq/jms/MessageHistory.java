package org.ternmq.jms;

import java.time.Instant;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Topic;

/**
 * Tern's extension for <em>replay</em>: a durable subscription or queue whose destination policy sets
 * {@code retention-time} keeps the messages it delivered (in the journal, not on the heap), and can be
 * repositioned to a point in that history: the retained messages from there on are delivered again, in
 * their original order, with {@code JMSRedelivered} set. Implemented by every Tern {@link Connection}.
 *
 * <pre>{@code
 * connection.setClientID("billing");
 * MessageHistory.of(connection).replaySubscription(topic, "invoices", Instant.parse("2026-12-03T08:00:00Z"));
 * MessageConsumer again = session.createDurableSubscriber(topic, "invoices"); // yesterday's invoices first
 * }</pre>
 *
 * A connection may replay the durable subscriptions of its own client id; replaying a queue (or another
 * client's subscription) needs the broker's admin role, like {@code tern admin replay}. Replayed copies are
 * not added to the history a second time.
 */
public interface MessageHistory {

    /**
     * The replay operations of a Tern connection.
     *
     * @throws JMSException when {@code connection} is not a Tern connection
     */
    static MessageHistory of(Connection connection) throws JMSException {
        if (connection instanceof MessageHistory h) {
            return h;
        }
        throw new JMSException("replay needs a Tern connection, not " + (connection == null ? "null"
                : connection.getClass().getName()));
    }

    /**
     * Replays the history of this connection's durable subscription {@code name} on {@code topic}: every
     * retained message sent at or after {@code from}.
     *
     * @return how many messages were put back
     * @throws jakarta.jms.InvalidDestinationException when there is no such subscription or it keeps no history
     * @throws jakarta.jms.IllegalStateException when the connection has no client id
     */
    int replaySubscription(Topic topic, String name, Instant from) throws JMSException;

    /** As {@link #replaySubscription(Topic, String, Instant)}, from the retained message {@code fromMessageId} on. */
    int replaySubscription(Topic topic, String name, String fromMessageId) throws JMSException;

    /** Replays a queue's history from {@code from} (needs the admin role). */
    int replayQueue(Queue queue, Instant from) throws JMSException;

    /** Replays a queue's history from message {@code fromMessageId} on (needs the admin role). */
    int replayQueue(Queue queue, String fromMessageId) throws JMSException;
}
