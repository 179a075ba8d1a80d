package org.ternmq.broker.persistence;

/**
 * A durable queue, or a durable topic subscription, as stored.
 *
 * @param id               the queue's store id
 * @param subscription     whether this is a topic subscription
 * @param name             the queue's name, or for a subscription the topic's name
 * @param clientId         a subscription's client id (null for a queue or a shared one without)
 * @param subscriptionName a subscription's name (null for a queue)
 * @param selector         a subscription's selector (null for none)
 * @param noLocal          a subscription's noLocal
 * @param shared           whether the subscription is shared
 */
public record QueueRecord(long id, boolean subscription, String name, String clientId, String subscriptionName,
                          String selector, boolean noLocal, boolean shared) {

    public static QueueRecord queue(long id, String name) {
        return new QueueRecord(id, false, name, null, null, null, false, false);
    }
}
