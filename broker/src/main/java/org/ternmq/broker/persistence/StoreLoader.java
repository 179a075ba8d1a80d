package org.ternmq.broker.persistence;

/**
 * Receives the stored state at start-up, on the loading thread: queues first, then messages, then
 * references, then duplicate ids.
 */
public interface StoreLoader {

    void queue(QueueRecord queue);

    void message(long messageId, byte[] encoded);

    void ref(RefRecord ref);

    void duplicateId(DuplicateIdRecord record);
}
