package org.ternmq.broker.persistence;

import org.ternmq.message.Address;

/**
 * A duplicate id a destination has seen, kept so detection survives a restart.
 *
 * @param id          the record's store id
 * @param destination where the message was sent
 * @param duplicateId the producer's id
 * @param seenAt      when the broker first saw it (epoch milliseconds)
 */
public record DuplicateIdRecord(long id, Address destination, String duplicateId, long seenAt) {
}
