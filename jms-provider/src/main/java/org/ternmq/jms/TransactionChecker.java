package org.ternmq.jms;

import jakarta.jms.Message;

/**
 * Answers the broker's check-back for a half-message whose producer neither committed nor rolled it back in
 * time (it crashed, or lost its connection, between its local transaction and the outcome). Registered for a
 * producer group with {@link HalfMessaging#setTransactionChecker}; any instance of the application that
 * registered for the group may be asked, so the answer must come from shared state (the database row the
 * local transaction wrote, found through a property of the message), not from the memory of one process.
 *
 * <p>Called on a thread of the connection's own, one check at a time. An exception counts as
 * {@link HalfOutcome#UNKNOWN}.
 */
@FunctionalInterface
public interface TransactionChecker {

    /**
     * @param halfMessage the half-message as it was sent (read-only); its {@code JMSMessageID} is its id
     * @return whether its local transaction committed, rolled back, or cannot be told yet
     */
    HalfOutcome check(Message halfMessage) throws Exception;
}
