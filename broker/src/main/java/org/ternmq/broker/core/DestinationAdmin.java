package org.ternmq.broker.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.ternmq.protocol.ErrorCode;

/**
 * Operators' changes to destinations: create and delete queues, delete durable subscriptions, pause and resume
 * delivery, and the statistics snapshot as JSON (for the CLI). Agent thread only.
 */
public final class DestinationAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerAgent agent;
    private final Map<String, MessageQueue> queues;

    DestinationAdmin(BrokerAgent agent, Map<String, MessageQueue> queues) {
        this.agent = agent;
        this.queues = queues;
    }

    /** The statistics snapshot as JSON, as {@link BrokerStatistics} spells its fields. */
    String statisticsJson() {
        try {
            return JSON.writeValueAsString(agent.statistics());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("statistics could not be written as JSON", e);
        }
    }

    /** @return whether the queue was created (false: it existed) */
    boolean createQueue(String name) throws BrokerException {
        requireName(name);
        if (name.contains("::")) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "'" + name + "' is not a queue name ('::' names subscriptions)");
        }
        if (queues.containsKey(name)) {
            return false;
        }
        agent.queueNamed(name, true);
        return true;
    }

    /**
     * Deletes a queue with its messages, refused while it has consumers or deliveries not yet acknowledged.
     *
     * @return how many waiting messages went with it
     */
    int deleteQueue(String name) throws BrokerException {
        requireName(name);
        MessageQueue q = queues.get(name);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue '" + name + "'");
        }
        refuseWhileInUse(q, "queue '" + name + "'");
        int count = q.messageCount();
        queues.remove(name);
        q.delete();
        if (q.isDurable()) {
            agent.storeWriter().queueDeleted(q);
        }
        return count;
    }

    /** Deletes a durable subscription by the name list-queues shows ({@code topic::clientId.name}). */
    int deleteSubscription(String name) throws BrokerException {
        requireName(name);
        MessageQueue q = agent.queuesByName().get(name);
        if (q == null || queues.get(name) == q) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no durable subscription '" + name
                    + "' (names as 'subscription list' shows them: topic::clientId.name)");
        }
        refuseWhileInUse(q, "subscription '" + name + "'");
        int count = q.messageCount();
        agent.deleteSubscription(q);
        return count;
    }

    /**
     * Pauses or resumes delivery of a queue or durable subscription; stored first (see {@link PausedDestinations}),
     * so a restart keeps it so.
     */
    void setPaused(String name, boolean paused) throws BrokerException {
        MessageQueue q = agent.queueOrSubscription(name);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue or durable subscription '" + name + "'");
        }
        try {
            agent.pausedDestinations().set(name, q, paused);
        } catch (java.io.IOException e) {
            throw new BrokerException(ErrorCode.RESOURCE_ALLOCATION, (paused ? "pause" : "resume") + " of '" + name
                    + "' refused: it could not be stored (" + e + ")");
        }
        q.setPaused(paused);
    }

    /** A waiting message as browsing sees it: its encoded form and how often it was delivered. */
    public record Browsed(org.ternmq.message.EncodedMessage message, int deliveryCount) {
    }

    /**
     * The messages waiting in a queue or subscription that {@code selector} selects, from {@code offset} on, at most
     * {@code max}: those on the heap in delivery order, then the paged-out ones in arrival order, read from the store
     * without paging them in; nothing is consumed.
     */
    public java.util.List<Browsed> browse(String name, String selectorText, int offset, int max) throws BrokerException {
        MessageQueue q = agent.queueOrSubscription(name);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue or durable subscription '" + name + "'");
        }
        org.ternmq.selector.Selector selector;
        try {
            selector = org.ternmq.selector.Selector.parse(selectorText);
        } catch (org.ternmq.selector.SelectorSyntaxException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, "invalid selector: " + e.getMessage());
        }
        java.util.List<Browsed> found = new java.util.ArrayList<>();
        int[] skipped = {0};
        long now = agent.now();
        q.snapshot(now, ref -> {
            if (found.size() < max && (selector.matchesAll() || selector.matches(ref.message))) {
                if (skipped[0] < offset) {
                    skipped[0]++;
                } else {
                    found.add(new Browsed(ref.message, ref.deliveryCount));
                }
            }
        });
        if (found.size() < max) {
            browsePaged(q.pagedRefIds(), selector, offset - skipped[0], max, now, found);
        }
        return found;
    }

    /** Adds the paged-out messages {@code selector} selects, after skipping {@code offset} of them, up to {@code max}. */
    private void browsePaged(long[] refIds, org.ternmq.selector.Selector selector, int offset, int max, long now,
                             java.util.List<Browsed> found) {
        int skip = offset;
        for (int from = 0; from < refIds.length && found.size() < max; from += Pager.READ_BATCH) {
            long[] ids = java.util.Arrays.copyOfRange(refIds, from, Math.min(refIds.length, from + Pager.READ_BATCH));
            for (Pager.Peeked p : agent.pager().peek(ids)) {
                if (p == null || BrowserCursor.expired(p.message(), now)
                        || !(selector.matchesAll() || selector.matches(p.message()))) {
                    continue;
                }
                if (skip > 0) {
                    skip--;
                } else if (found.size() < max) {
                    found.add(new Browsed(p.message(), p.deliveryCount()));
                }
            }
        }
    }

    /** The consumers of a queue or subscription, one line each: consumer, connection, client id, user, address. */
    public java.util.List<String> consumers(String name) throws BrokerException {
        MessageQueue q = agent.queueOrSubscription(name);
        if (q == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no queue or durable subscription '" + name + "'");
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (BrokerConsumer c : q.consumers()) {
            lines.add("consumer " + c.id + " of " + c.session.connection.describe());
        }
        return lines;
    }

    private void refuseWhileInUse(MessageQueue q, String what) throws BrokerException {
        if (!q.consumers().isEmpty()) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, what + " has " + q.consumers().size()
                    + " consumer(s); close them first");
        }
        if (agent.anyConnectionHoldsDeliveryFrom(q)) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, what + " has deliveries not yet acknowledged");
        }
    }

    private static void requireName(String name) throws BrokerException {
        if (name == null || name.isBlank()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "a destination name is needed");
        }
    }
}
