package org.ternmq.jms.context;

import jakarta.jms.TemporaryTopic;

/** A topic name for the fakes; also serves as a temporary topic. Immutable. */
record FakeTopic(String name) implements TemporaryTopic {

    @Override
    public String getTopicName() {
        return name;
    }

    @Override
    public void delete() {
    }
}
