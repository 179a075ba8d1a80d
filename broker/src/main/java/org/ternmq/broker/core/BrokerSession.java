package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.Deliver;

/**
 * A session of a broker connection: its deliveries not yet acknowledged and, when transacted, the sends
 * and acknowledgements staged until commit.
 *
 * <p>Owned by the agent thread.
 */
final class BrokerSession {

    /** {@code jakarta.jms.Session.SESSION_TRANSACTED}. */
    static final int TRANSACTED = 0;
    /** {@code jakarta.jms.Session.AUTO_ACKNOWLEDGE}. */
    static final int AUTO_ACKNOWLEDGE = 1;
    /** {@code jakarta.jms.Session.DUPS_OK_ACKNOWLEDGE}. */
    static final int DUPS_OK_ACKNOWLEDGE = 3;
    /** An XA session (protocol.md): its work joins the XA branch it is associated with, else is auto-acknowledged. */
    static final int XA = 4;

    final int id;
    final int ackMode;
    final BrokerConnection connection;
    private final Map<Long, Delivery> unacked = new LinkedHashMap<>();
    private final List<Delivery> stagedAcks = new ArrayList<>();
    private final List<EncodedMessage> stagedSends = new ArrayList<>();
    /** Why the application failed on a delivery, as the client reported it, until the delivery returns. */
    private final Map<Long, String> failures = new java.util.HashMap<>();
    /** The XA branch the session works in now (between start and end), else null. */
    XaBranch branch;
    /**
     * Recovers and rollbacks whose answer has not been written yet: until it is, the client drops what comes
     * for this session's consumers (protocol.md), so nothing may be delivered to them.
     */
    private int answersPending;
    /** The key of the commit ids this session was given, once it committed with one. */
    private String commitKey;
    /** The deliveries in the transaction whose commit this broker refused, until it is rolled back. */
    private Set<Long> refusedCommit = Set.of();

    BrokerSession(int id, int ackMode, BrokerConnection connection) {
        this.id = id;
        this.ackMode = ackMode;
        this.connection = connection;
    }

    boolean transacted() {
        return ackMode == TRANSACTED;
    }

    /** A recover or rollback was handled; until its answer is written the session's consumers get nothing. */
    void holdDeliveries() {
        answersPending++;
    }

    /** The answer of a recover or rollback was written: the session's consumers may be sent messages again. */
    void releaseDeliveries() {
        answersPending--;
    }

    /** Whether the session's consumers must not be sent anything now (see {@link #holdDeliveries()}). */
    boolean holdsDeliveries() {
        return answersPending > 0;
    }

    /**
     * Whether this session's acknowledgements are answered at once and stored without a force of their own
     * (they are written when the task ends and ride the next force): auto-acknowledge and dups-ok, whose client
     * does not wait for the answer, and where JMS lets a message come back, with {@code JMSRedelivered} set,
     * after a failure. A power cut before the next force may redeliver it, as may the death of the broker
     * before the journal wrote it (microseconds). Client acknowledgements (the application waits for them),
     * commits and XA stay forced before their answer.
     */
    boolean acknowledgesLazily() {
        return ackMode == AUTO_ACKNOWLEDGE || ackMode == DUPS_OK_ACKNOWLEDGE;
    }

    /** A delivery of message {@code messageId} not yet acknowledged in this session, or null. */
    Delivery inFlight(String messageId) {
        for (Delivery d : unacked.values()) {
            if (messageId.equals(d.ref().message.messageId())) {
                return d;
            }
        }
        return null;
    }

    void deliver(BrokerConsumer consumer, MessageRef ref, MessageQueue from) {
        long deliveryId = connection.nextDeliveryId();
        long now = connection.agent.now();
        if (ref.firstDeliveredAt == 0) {
            ref.firstDeliveredAt = now;
        }
        ref.lastDeliveredAt = now;
        connection.agent.deliveryStarted(ref, from);
        connection.agent.retention().delivered(ref, consumer, connection);
        unacked.put(deliveryId, new Delivery(deliveryId, ref, from, consumer));
        if (ref.message.isLarge()) {
            connection.large().delivering(deliveryId, ref.message);
        }
        if (ref.isStored()) {
            connection.deliveryCounted();
        }
        connection.write(new Deliver(consumer.id, deliveryId, ref.deliveryCount + 1, ref.message.bytes()));
    }

    /** Whether this session's sends go into an XA branch now. */
    boolean isXa() {
        return branch != null;
    }

    /** Whether a send is staged (answered without waiting for the store) rather than routed now. */
    boolean stagesSends() {
        return transacted() || branch != null;
    }

    void send(EncodedMessage message) throws BrokerException {
        if (branch != null) {
            connection.agent.xa().staged(branch, message, connection);
        } else if (transacted()) {
            stagedSends.add(message);
        } else {
            connection.agent.route(message, connection);
        }
    }

    /** Records why the application failed on a delivery (see {@code DeliveryFailure}). */
    void deliveryFailed(long deliveryId, String reason) {
        if (unacked.containsKey(deliveryId) && reason != null) {
            failures.put(deliveryId, reason);
        }
    }

    /** Unknown ids are ignored: the delivery may have been returned already by a recover racing the ack. */
    void acknowledge(long[] deliveryIds) {
        for (long deliveryId : deliveryIds) {
            Delivery d = unacked.remove(deliveryId);
            if (d == null) {
                continue;
            }
            String failure = failures.remove(deliveryId);
            if (branch != null) {
                connection.agent.xa().staged(branch, d, failure);
            } else if (transacted()) {
                stagedAcks.add(d);
            } else {
                connection.agent.consumed(d);
            }
        }
    }

    /** The policies of the destinations the transaction under way sends to or acknowledged from. */
    java.util.Set<org.ternmq.broker.policy.DestinationPolicy> touchedPolicies() {
        java.util.Set<org.ternmq.broker.policy.DestinationPolicy> policies = new java.util.HashSet<>();
        for (EncodedMessage m : stagedSends) {
            policies.add(connection.agent.policyFor(m.destination()));
        }
        for (Delivery d : stagedAcks) {
            policies.add(d.queue().policy());
        }
        return policies;
    }

    /** The key of this session's commit ids ({@link CommitOutcomes}), or null while it sent none. */
    String commitKey() {
        return commitKey;
    }

    void commitKey(String key) {
        commitKey = key;
    }

    /**
     * This broker refused to commit the session's transaction before writing anything (too few backups in sync,
     * or fenced): what the transaction consumed and comes back at its rollback is not charged as failed attempts.
     */
    void commitRefused() {
        Set<Long> ids = new java.util.HashSet<>(unacked.keySet());
        stagedAcks.forEach(d -> ids.add(d.id()));
        refusedCommit = ids;
    }

    void commit() throws BrokerException {
        refusedCommit = Set.of();
        List<EncodedMessage> sends = new ArrayList<>(stagedSends);
        stagedSends.clear();
        for (Delivery d : stagedAcks) {
            connection.agent.consumed(d);
        }
        stagedAcks.clear();
        try {
            for (EncodedMessage m : sends) {
                connection.agent.route(m, connection);
            }
        } finally {
            sends.forEach(connection.agent.largeBodies()::release); // routed: the refs hold the bodies now
        }
    }

    /**
     * Returns every delivery not acknowledged (and, in a transaction, the staged acknowledgements) to its
     * queue and drops staged sends. Deliveries the application never saw keep their count.
     *
     * @return the queues that got messages back, to dispatch once the response has been written
     */
    Set<MessageQueue> rollback(long lastReceived, long[] unconsumed, String failure) {
        stagedSends.forEach(connection.agent.largeBodies()::release);
        stagedSends.clear();
        List<Delivery> all = new ArrayList<>(stagedAcks);
        stagedAcks.clear();
        all.addAll(unacked.values());
        unacked.clear();
        Set<Long> uncharged = refusedCommit;
        refusedCommit = Set.of();
        return putBack(all, lastReceived, unconsumed, failure, uncharged);
    }

    /** Returns the deliveries of {@code consumer} the application never saw; the others stay. */
    Set<MessageQueue> returnUnseen(BrokerConsumer consumer, long lastReceived, long[] unconsumed) {
        Set<Long> unseen = asSet(unconsumed);
        List<Delivery> back = new ArrayList<>();
        for (Iterator<Delivery> it = unacked.values().iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.consumer() == consumer && (d.id() > lastReceived || unseen.contains(d.id()))) {
                it.remove();
                back.add(d);
            }
        }
        return putBack(back, lastReceived, unconsumed, null, Set.of());
    }

    /**
     * Puts deliveries back. A delivery the application saw counts as a failed attempt (not those of {@code
     * uncharged}, which come back because this broker refused their commit): after the policy's maximum it goes to
     * the dead-letter destination, otherwise it waits the policy's redelivery delay.
     */
    private Set<MessageQueue> putBack(List<Delivery> deliveries, long lastReceived, long[] unconsumed,
                                      String failure, Set<Long> uncharged) {
        Set<Long> unseen = asSet(unconsumed);
        Set<MessageQueue> touched = new LinkedHashSet<>();
        for (Delivery d : deliveries) {
            MessageRef ref = d.ref();
            MessageQueue queue = d.queue();
            if (ref.message.isLarge()) {
                connection.large().returned(d.id());
            }
            String reported = failures.remove(d.id());
            boolean seen = d.id() <= lastReceived && !unseen.contains(d.id());
            if (!seen) {
                if (!d.consumer().isClosed()) {
                    d.consumer().grant(1);
                }
                connection.agent.storeWriter().deliveryReturnedUnseen(queue, ref);
            }
            if (queue.isDeleted()) {
                connection.agent.dropped(ref, queue);
                continue;
            }
            if (seen) {
                if (connection.agent.redeliver(ref, queue, reported != null ? reported : failure, false,
                        !uncharged.contains(d.id()))) {
                    touched.add(queue);
                }
                continue;
            }
            queue.putBack(ref);
            touched.add(queue);
        }
        return touched;
    }

    /** Adds the deliveries waiting for an acknowledgement in this session to {@code counts}, per queue. */
    void countInFlight(Map<MessageQueue, int[]> counts) {
        for (Delivery d : unacked.values()) {
            counts.computeIfAbsent(d.queue(), q -> new int[1])[0]++;
        }
        for (Delivery d : stagedAcks) {
            counts.computeIfAbsent(d.queue(), q -> new int[1])[0]++;
        }
    }

    /** Whether a delivery from {@code queue} is waiting for an acknowledgement in this session. */
    boolean holdsDeliveryFrom(MessageQueue queue) {
        for (Delivery d : unacked.values()) {
            if (d.queue() == queue) {
                return true;
            }
        }
        for (Delivery d : stagedAcks) {
            if (d.queue() == queue) {
                return true;
            }
        }
        return false;
    }

    private static Set<Long> asSet(long[] ids) {
        Set<Long> set = new java.util.HashSet<>(ids.length * 2);
        for (long id : ids) {
            set.add(id);
        }
        return set;
    }

    @Override
    public String toString() {
        return "BrokerSession[" + id + ", ackMode=" + ackMode + ", unacked=" + unacked.size() + "]";
    }
}
