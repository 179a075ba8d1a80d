package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A topic: the subscriptions a published message is copied (by reference) into.
 *
 * <p>Owned by the agent thread.
 */
final class BrokerTopic {

    final String name;
    final List<Subscription> subscriptions = new ArrayList<>();

    BrokerTopic(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return "BrokerTopic[" + name + ", subscriptions=" + subscriptions.size() + "]";
    }
}
