package org.ternmq.jms;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;

/**
 * Tern's extension for <em>half-messages with check-back</em>: an atomic "commit my database transaction and
 * send a message" without XA, as in RocketMQ. Implemented by every Tern {@link Connection}:
 *
 * <pre>{@code
 * HalfMessaging half = HalfMessaging.of(connection);
 * half.setTransactionChecker("orders", m -> ordersTable.exists(m.getStringProperty("orderId"))
 *         ? HalfOutcome.COMMIT : HalfOutcome.ROLLBACK);
 * String id = half.sendHalf(producer, message, "orders");   // stored, invisible to consumers
 * try {
 *     insertOrderAndCommit(...);                              // the local transaction
 *     half.commitHalf(id);                                    // now consumers get it
 * } catch (SQLException e) {
 *     half.rollbackHalf(id);
 * }
 * }</pre>
 *
 * If the producer dies between its local commit and {@code commitHalf}, the broker asks (after the destination
 * policy's {@code half-check-after}) a connection that registered a checker for the group, and commits or
 * rolls back as it answers; with no answer after {@code half-check-max-attempts} checks it applies
 * {@code half-default-outcome}. Half-messages are persistent and survive broker restarts and crashes.
 *
 * <p>Without this interface: a persistent message sent outside a transaction with the string property
 * {@value #GROUP_PROPERTY} is a half-message of that group; only its outcome needs this interface (or the
 * operator's {@code tern admin commit-half ID}).
 */
public interface HalfMessaging {

    /** The message property that makes a send a half-message; its value is the producer group. */
    String GROUP_PROPERTY = "JMS_TERN_HalfGroup";

    /**
     * The half-message operations of a Tern connection.
     *
     * @throws JMSException when {@code connection} is not a Tern connection
     */
    static HalfMessaging of(Connection connection) throws JMSException {
        if (connection instanceof HalfMessaging h) {
            return h;
        }
        throw new JMSException("half-messages need a Tern connection, not " + (connection == null ? "null"
                : connection.getClass().getName()));
    }

    /**
     * Sends {@code message} with {@code producer} as a persistent half-message of {@code producerGroup}: when
     * this returns it is stored (forced to disk) but no consumer can see it until {@link #commitHalf}.
     *
     * @param producer a producer of a session of this connection that is not transacted, with a destination
     * @return the half-message's id (its {@code JMSMessageID}), for {@link #commitHalf} and {@link #rollbackHalf}
     * @throws jakarta.jms.IllegalStateException for a transacted session or a producer of another connection
     * @throws jakarta.jms.MessageFormatException for a group that is empty or longer than 64 bytes of UTF-8
     */
    String sendHalf(MessageProducer producer, Message message, String producerGroup) throws JMSException;

    /**
     * The local transaction committed: the half-message becomes visible. Any connection to the broker may
     * commit it, not only the one that sent it.
     *
     * @throws jakarta.jms.InvalidDestinationException when no half-message with this id is waiting (never sent,
     *     or committed or rolled back already, by this call's caller, a checker or the policy's default)
     */
    void commitHalf(String halfId) throws JMSException;

    /** The local transaction rolled back: the half-message is dropped. Throws as {@link #commitHalf}. */
    void rollbackHalf(String halfId) throws JMSException;

    /**
     * Makes this connection one the broker may ask about half-messages of {@code producerGroup}; null stops
     * that. Several connections (instances of one application) may register for the same group: the broker
     * asks them in turn.
     */
    void setTransactionChecker(String producerGroup, TransactionChecker checker) throws JMSException;
}
