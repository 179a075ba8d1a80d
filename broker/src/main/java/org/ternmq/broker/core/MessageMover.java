package org.ternmq.broker.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.selector.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves messages between queues: to the dead-letter queue after too many attempts, to the expiry queue
 * when they expire, and wherever an administrator says (back out of a dead-letter queue, or a purge).
 * A moved message is re-encoded with properties saying where it came from and why, and the move is one
 * store batch: the old reference goes and the new message comes in the same agent task.
 *
 * <p>Owned by the agent thread.
 */
final class MessageMover {

    private static final Logger LOG = LoggerFactory.getLogger(MessageMover.class);

    private final BrokerAgent agent;

    MessageMover(BrokerAgent agent) {
        this.agent = agent;
    }

    /**
     * A message delivered as often as its policy allows: it moves to the dead-letter destination with
     * properties saying where it came from, when, after how many attempts and why. Without a dead-letter
     * destination (or one that may not be created) it stays and is redelivered: it is never lost.
     */
    void deadLetter(MessageRef ref, MessageQueue from, String failure) {
        DestinationPolicy p = from.policy();
        String target = p.deadLetterDestination();
        MessageQueue dlq = hasDeadLetterQueue(from) ? agent.queueNamed(target, p.autoCreateDeadLetter()) : null;
        if (dlq == null) {
            LOG.warn("message {} in {} reached {} delivery attempts but has no dead-letter queue to go to; it stays",
                    ref.message.messageId(), from.name(), ref.deliveryCount);
            ref.redeliverAt = agent.now() + p.redeliveryDelayAfter(ref.deliveryCount);
            from.putBack(ref);
            return;
        }
        Map<String, Object> props = originProperties(from);
        props.put(MessageProperties.DEAD_LETTER_TIME, agent.now());
        props.put(MessageProperties.DELIVERY_ATTEMPTS, ref.deliveryCount);
        props.put(MessageProperties.FIRST_DELIVERY_TIME, ref.firstDeliveredAt);
        props.put(MessageProperties.LAST_DELIVERY_TIME, ref.lastDeliveredAt);
        props.put(MessageProperties.DEAD_LETTER_REASON, "max-delivery-attempts (" + p.maxDeliveryAttempts() + ") reached");
        if (failure != null) {
            props.put(MessageProperties.DEAD_LETTER_EXCEPTION, failure);
        }
        LOG.info("message {} moved from {} to dead-letter queue {} after {} delivery attempts",
                ref.message.messageId(), from.name(), dlq.name(), ref.deliveryCount);
        agent.retention().left(from, ref, org.ternmq.broker.persistence.RetainedRecord.DEAD_LETTERED,
                () -> "dead-lettered to " + dlq.name() + " after " + ref.deliveryCount + " delivery attempts"
                + (failure == null ? "" : " (last failure: " + failure + ")"));
        from.counters.deadLettered++;
        moveTo(dlq, ref, props);
    }

    /** Whether a message of {@code from} that exhausted its attempts has a dead-letter queue to go to. */
    boolean hasDeadLetterQueue(MessageQueue from) {
        DestinationPolicy p = from.policy();
        String target = p.deadLetterDestination();
        if (target.isEmpty() || target.equals(from.name())) {
            return false;
        }
        return p.autoCreateDeadLetter() || agent.queueNamed(target, false) != null;
    }

    /** A message found expired: it is never delivered; it moves to the expiry destination or is dropped. */
    void expired(MessageRef ref, MessageQueue from) {
        from.counters.expired++;
        DestinationPolicy p = from.policy();
        String target = p.expiryDestination();
        MessageQueue expiry = target.isEmpty() ? null : agent.queueNamed(target, p.autoCreateExpiry());
        agent.retention().left(from, ref, org.ternmq.broker.persistence.RetainedRecord.EXPIRED,
                () -> expiry == null || expiry == from ? "expired and dropped"
                        : "expired and moved to " + expiry.name());
        if (expiry == null || expiry == from) {
            agent.storeWriter().refRemoved(ref);
            LOG.debug("message {} expired in {} and was dropped", ref.message.messageId(), from.name());
            return;
        }
        Map<String, Object> props = originProperties(from);
        props.put(MessageProperties.ORIGINAL_EXPIRATION, ref.message.expiration());
        props.put(MessageProperties.EXPIRED_AT, agent.now());
        moveTo(expiry, ref, props);
    }

    private void moveTo(MessageQueue target, MessageRef ref, Map<String, Object> props) {
        agent.storeWriter().refRemoved(ref);
        EncodedMessage moved = ref.message.withProperties(props).withDestination(Address.queue(target.name()), 0);
        agent.enqueueMoved(target, moved, ref);
    }

    private static Map<String, Object> originProperties(MessageQueue from) {
        Map<String, Object> props = new HashMap<>();
        props.put(MessageProperties.ORIGINAL_DESTINATION, from.origin().name());
        props.put(MessageProperties.ORIGINAL_DESTINATION_TYPE, from.origin().kind().name().toLowerCase(java.util.Locale.ROOT));
        return props;
    }

    /**
     * Moves the messages of queue {@code from} that match {@code selector} (all when null) to {@code to},
     * or, when {@code to} is null, back to the destination each came from (its
     * {@link MessageProperties#ORIGINAL_DESTINATION}). Delivery counts start again. Only messages on the
     * heap are examined; paged-out ones are reached as the queue drains.
     */
    Outcome moveMessages(String from, String to, Selector selector) throws BrokerException {
        MessageQueue source = existing(from);
        List<MessageRef> moving = source.removeMatching(ref -> selector == null || selector.matches(ref.message));
        int moved = 0;
        for (MessageRef ref : moving) {
            Address target = to != null ? Address.queue(to) : originalDestination(ref.message);
            if (target == null) {
                source.putBack(ref);
                continue;
            }
            agent.storeWriter().refRemoved(ref);
            agent.routeMoved(ref.message.withDestination(target, 0), ref);
            moved++;
        }
        source.dispatch();
        return new Outcome(moved, source.pagedCount());
    }

    /**
     * Removes the messages of a queue that match {@code selector}; all of them, paged out or not, when it
     * is null. With a selector only messages on the heap are examined. {@code done} gets the outcome in the
     * agent task that makes the last of the removals (this one, unless paged-out messages are dropped in
     * later steps), so the caller can answer once that task's batch is stored.
     */
    void purge(String queueName, Selector selector, java.util.function.Consumer<Outcome> done) throws BrokerException {
        MessageQueue q = existing(queueName);
        List<MessageRef> removed = q.removeMatching(ref -> selector == null || selector.matches(ref.message));
        removed.forEach(agent.storeWriter()::refRemoved);
        if (selector == null) {
            Outcome outcome = new Outcome(removed.size() + q.pagedCount(), 0);
            q.dropPaged(() -> done.accept(outcome));
        } else {
            done.accept(new Outcome(removed.size(), q.pagedCount()));
        }
    }

    /** What a management move did: how many messages, and how many paged-out ones it did not examine. */
    record Outcome(int count, int notExamined) {
    }

    private MessageQueue existing(String name) throws BrokerException {
        MessageQueue q = agent.queueNamed(name, false);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue '" + name + "'");
        }
        return q;
    }

    private static Address originalDestination(EncodedMessage m) {
        Object name = m.property(MessageProperties.ORIGINAL_DESTINATION);
        Object type = m.property(MessageProperties.ORIGINAL_DESTINATION_TYPE);
        if (!(name instanceof String n) || n.isEmpty()) {
            return null;
        }
        return "topic".equals(type) ? Address.topic(n) : Address.queue(n);
    }
}
