package org.ternmq.jms.context;

import jakarta.jms.TemporaryQueue;

/** A queue name for the fakes; also serves as a temporary queue. Immutable. */
record FakeQueue(String name) implements TemporaryQueue {

    @Override
    public String getQueueName() {
        return name;
    }

    @Override
    public void delete() {
    }
}
