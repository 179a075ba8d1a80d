package org.ternmq.broker.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.HalfCheck;
import org.ternmq.protocol.XidValue;

/**
 * Half-messages with check-back, RocketMQ's answer to "commit to my database and send, atomically, without
 * XA". A producer sends a message carrying the property {@value #GROUP_PROPERTY} (its producer group): the
 * broker stores it, forced, but no consumer sees it. The producer then runs its local transaction and
 * commits or rolls the half-message back by its id (its {@code JMSMessageID}). If neither comes within the
 * policy's {@code half-check-after}, the broker asks a connection that registered a checker for the group
 * whether the local transaction committed, again with a growing interval, {@code half-check-max-attempts}
 * times at most; then it applies {@code half-default-outcome} and logs that it did (logger
 * {@code org.ternmq.broker.half}).
 *
 * <p>A half-message is an XA branch of this broker that is prepared as soon as it is sent (Xid format
 * {@value #FORMAT_ID}, the half id as global id, the group as qualifier): the resource manager stores,
 * recovers, commits and rolls it back like any prepared branch, and keeps it out of {@code recover} and
 * {@code list-prepared}. Its message goes with the prepare record, so a checker can be shown it after a
 * restart. Routing happens when it is sent: a subscription made between send and commit does not get it.
 * How many checks were made is not stored: after a restart the count starts again.
 *
 * <p>Owned by the agent thread.
 */
final class HalfMessages {

    /** The property that makes a send a half-message, holding the producer group. */
    static final String GROUP_PROPERTY = "JMS_TERN_HalfGroup";
    /** XA format id of half-message branches: "THLF". */
    static final int FORMAT_ID = 0x54484C46;
    /** Longest producer group and half id, in UTF-8 bytes (an Xid's branch qualifier and global id). */
    static final int MAX_ID_BYTES = 64;

    private static final Logger LOG = LoggerFactory.getLogger(HalfMessages.class);
    private static final Logger OUTCOMES = LoggerFactory.getLogger("org.ternmq.broker.half");

    /** One half-message waiting for its outcome. */
    private static final class Half {
        final String id;
        final String group;
        final XidValue xid;
        final Address destination;
        final byte[] message;
        final long sentAt;
        int checks;
        ScheduledFuture<?> nextCheck;

        Half(String id, String group, XidValue xid, Address destination, byte[] message, long sentAt) {
            this.id = id;
            this.group = group;
            this.xid = xid;
            this.destination = destination;
            this.message = message;
            this.sentAt = sentAt;
        }
    }

    private final BrokerAgent agent;
    private final Map<String, Half> byId = new LinkedHashMap<>();
    private final Map<String, List<BrokerConnection>> checkers = new HashMap<>();
    private final Map<String, Integer> nextChecker = new HashMap<>();

    HalfMessages(BrokerAgent agent) {
        this.agent = agent;
    }

    static boolean isHalf(XidValue xid) {
        return xid != null && xid.formatId() == FORMAT_ID;
    }

    /** The producer group of a message sent as a half-message, or null for an ordinary message. */
    static String groupOf(EncodedMessage message) {
        Object g = message.property(GROUP_PROPERTY);
        return g == null ? null : g.toString();
    }

    private static XidValue xid(String id, String group) {
        return new XidValue(FORMAT_ID, id.getBytes(StandardCharsets.UTF_8), group.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkName(String what, String value) throws BrokerException {
        if (value == null || value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new BrokerException(ErrorCode.MESSAGE_FORMAT, "a half-message's " + what + " must be 1 to "
                    + MAX_ID_BYTES + " bytes of UTF-8, not " + (value == null ? "null" : "'" + value + "'"));
        }
    }

    // ---- the producer ---------------------------------------------------------------------------

    /**
     * Stores {@code message} as a half-message of {@code group}; {@code answer} gets null once it is forced to
     * disk, else why it was not stored.
     *
     * @throws BrokerException when it may not be a half-message: sent in a transaction, not persistent, no
     *     or too long an id or group, an id already waiting
     */
    void send(BrokerConnection from, BrokerSession session, EncodedMessage message, String group,
              Consumer<String> answer) throws BrokerException {
        if (session.stagesSends()) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE,
                    "a half-message is its own transaction: send it from a session that is not transacted");
        }
        if (!message.persistent()) {
            throw new BrokerException(ErrorCode.MESSAGE_FORMAT, "a half-message must be persistent");
        }
        checkName("producer group", group);
        String id = message.messageId();
        checkName("id (its JMSMessageID)", id);
        if (byId.containsKey(id)) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "half-message '" + id + "' is already waiting");
        }
        XidValue xid = xid(id, group);
        Half h = new Half(id, group, xid, message.destination(), message.bytes(), agent.now());
        agent.xa().prepareHalf(xid, message, from, failure -> {
            if (failure == null) {
                byId.put(id, h);
                scheduleCheck(h);
                LOG.debug("half-message {} of group {} to {} stored", id, group, h.destination);
            }
            answer.accept(failure);
        });
    }

    /**
     * The outcome of the producer's local transaction: the half-message becomes visible ({@code commit}) or
     * is dropped; {@code answer} gets null once that is stored, else why not.
     *
     * @throws BrokerException {@code INVALID_DESTINATION} for an id that is not waiting (never sent, or
     *     completed already), {@code ILLEGAL_STATE} while it is being completed
     */
    void complete(String id, boolean commit, String how, Consumer<String> answer) throws BrokerException {
        Half h = byId.get(id);
        if (h == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no half-message '" + id
                    + "' is waiting (never sent, or committed or rolled back already)");
        }
        agent.xa().completeHalf(h.xid, commit, failure -> {
            if (failure == null && byId.remove(id, h)) {
                cancelCheck(h);
                OUTCOMES.info("half-message {} of group {} to {} {} ({}, after {} check(s))", id, h.group,
                        h.destination, commit ? "committed" : "rolled back", how, h.checks);
            }
            answer.accept(failure);
        });
    }

    /** A checker could not tell yet: the next check stays as scheduled. */
    void unknown(String id, BrokerConnection from) throws BrokerException {
        Half h = byId.get(id);
        if (h == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "no half-message '" + id + "' is waiting");
        }
        LOG.debug("half-message {}: connection {} does not know its outcome yet (check {})", id, from.id(), h.checks);
    }

    // ---- checkers -------------------------------------------------------------------------------

    void register(BrokerConnection c, String group) throws BrokerException {
        checkName("producer group", group);
        List<BrokerConnection> list = checkers.computeIfAbsent(group, g -> new ArrayList<>());
        if (!list.contains(c)) {
            list.add(c);
        }
    }

    void unregister(BrokerConnection c, String group) {
        List<BrokerConnection> list = checkers.get(group);
        if (list != null) {
            list.remove(c);
            if (list.isEmpty()) {
                checkers.remove(group);
            }
        }
    }

    void connectionClosed(BrokerConnection c) {
        for (String group : new ArrayList<>(checkers.keySet())) {
            unregister(c, group);
        }
    }

    private BrokerConnection checkerFor(String group) {
        List<BrokerConnection> list = checkers.get(group);
        if (list == null || list.isEmpty()) {
            return null;
        }
        int i = Math.floorMod(nextChecker.merge(group, 1, Integer::sum), list.size());
        return list.get(i);
    }

    // ---- checks ---------------------------------------------------------------------------------

    private DestinationPolicy policy(Half h) {
        return agent.policyFor(h.destination);
    }

    /** The first check {@code half-check-after} after the send, then intervals doubling up to the maximum. */
    private void scheduleCheck(Half h) {
        DestinationPolicy p = policy(h);
        long delay;
        if (h.checks == 0) {
            delay = Math.max(0, h.sentAt + p.halfCheckAfter() - agent.now());
        } else {
            double grown = p.halfCheckAfter() * Math.pow(2, Math.min(h.checks, 30));
            delay = (long) Math.min(grown, Math.max(p.halfCheckAfter(), p.maxHalfCheckInterval()));
        }
        h.nextCheck = agent.scheduleCancellable(delay, () -> check(h));
    }

    private static void cancelCheck(Half h) {
        if (h.nextCheck != null) {
            h.nextCheck.cancel(false);
            h.nextCheck = null;
        }
    }

    private void check(Half h) {
        h.nextCheck = null;
        if (byId.get(h.id) != h) {
            return;
        }
        DestinationPolicy p = policy(h);
        if (h.checks >= p.halfCheckMaxAttempts()) {
            applyDefault(h, p);
            return;
        }
        h.checks++;
        BrokerConnection checker = checkerFor(h.group);
        if (checker == null) {
            LOG.info("half-message {} of group {}: no connection checks for the group (check {} of {})", h.id,
                    h.group, h.checks, p.halfCheckMaxAttempts());
        } else {
            checker.write(new HalfCheck(h.id, h.group, h.checks, h.message));
        }
        scheduleCheck(h);
    }

    private void applyDefault(Half h, DestinationPolicy p) {
        boolean commit = p.halfDefaultCommit();
        OUTCOMES.warn("half-message {} of group {} to {}: no outcome after {} check(s); the policy's default, {}, "
                + "is applied", h.id, h.group, h.destination, h.checks, commit ? "commit" : "rollback");
        try {
            complete(h.id, commit, "policy default after " + h.checks + " unanswered check(s)", failure -> {
                if (failure != null) {
                    LOG.error("half-message {}: the default outcome could not be stored ({}); checks go on", h.id,
                            failure);
                    scheduleCheck(h);
                }
            });
        } catch (BrokerException e) {
            LOG.debug("half-message {} ended meanwhile: {}", h.id, e.getMessage());
        }
    }

    // ---- start-up and operators -----------------------------------------------------------------

    /** A half-message the store found prepared at start-up: checks start again. */
    void restored(XidValue xid, long sentAt, byte[] message) {
        String id = new String(xid.gtrid(), StandardCharsets.UTF_8);
        String group = new String(xid.bqual(), StandardCharsets.UTF_8);
        Address destination;
        try {
            destination = EncodedMessage.wrap(message).destination();
        } catch (MalformedMessageException e) {
            LOG.error("half-message {} of group {}: its stored message is unreadable ({}); it waits for an operator",
                    id, group, e.getMessage());
            return;
        }
        Half h = new Half(id, group, xid, destination, message, sentAt);
        byId.put(id, h);
        scheduleCheck(h);
        LOG.info("half-message {} of group {} to {} (sent {}) waits for its outcome", id, group, destination,
                java.time.Instant.ofEpochMilli(sentAt));
    }

    /** Waiting half-messages, oldest first, one line each, for {@code list-half}. */
    List<String> list() {
        List<String> lines = new ArrayList<>();
        long now = agent.now();
        for (Half h : byId.values()) {
            lines.add(h.id + "  group " + h.group + "  to " + h.destination.name() + "  sent " + (now - h.sentAt) / 1000
                    + " s ago  checks " + h.checks);
        }
        return lines;
    }

    int waiting() {
        return byId.size();
    }
}
