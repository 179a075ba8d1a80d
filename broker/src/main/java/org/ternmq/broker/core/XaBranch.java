package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.XidValue;

/**
 * One XA transaction branch of this broker: the sessions working in it, what they sent and acknowledged
 * while unprepared, and, once prepared, the references it will add to queues and the ones it holds.
 *
 * <p>Before prepare, sends wait here as messages and acknowledgements as deliveries (nothing is stored).
 * {@code prepare} routes the sends into references and writes them, with the removal of the acknowledged
 * ones, as one prepared store transaction; those references then wait here, not in their queues, until
 * commit adds them (and drops the acknowledged ones for good) or rollback drops them (and gives the
 * acknowledged ones back). A branch recovered at start-up knows its references by store id only.
 *
 * <p>Owned by the agent thread.
 */
final class XaBranch {

    enum State {
        /** Sessions are associated (or suspended) with it: work goes on. */
        ACTIVE,
        /** Every session ended it with success: it may be prepared or committed one-phase. */
        IDLE,
        /** A session ended it with TMFAIL: it can only roll back. */
        ROLLBACK_ONLY,
        /** Its prepare record is being written. */
        PREPARING,
        PREPARED,
        /** A commit or rollback of the prepared branch is being written. */
        ENDING,
        /** Rolled back by the broker (timeout, lost connection): kept so its sessions and TM hear why. */
        ROLLED_BACK
    }

    /** A message sent in the branch, with who sent it (for noLocal). */
    record Send(EncodedMessage message, String originConnectionId, String originClientId) {
    }

    /** A reference the prepared branch adds to a queue; {@code ref} is null for a recovered branch. */
    record Placed(MessageQueue queue, long refId, MessageRef ref, long sharedMessageId) {
    }

    /**
     * A stored reference the prepared branch holds; {@code ref} is null for a recovered branch; {@code failure}
     * is why the application failed on it, if it said so.
     */
    record Held(MessageQueue queue, long refId, MessageRef ref, long sharedMessageId, String failure) {
    }

    final XidValue xid;
    final long startedAt;
    State state = State.ACTIVE;
    /** Why it was rolled back, for {@link State#ROLLED_BACK}: an {@code XAException} code. */
    int rollbackCode;
    final Set<BrokerSession> associated = new LinkedHashSet<>();
    final Set<BrokerSession> suspended = new LinkedHashSet<>();
    /** Connections whose sessions worked in it: losing one before prepare rolls the branch back. */
    final Set<BrokerConnection> connections = new LinkedHashSet<>();
    final List<Send> sends = new ArrayList<>();
    final List<Delivery> acks = new ArrayList<>();
    /** Why the application failed on an acknowledged delivery, when it said so. */
    final Map<Delivery, String> failures = new java.util.HashMap<>();
    ScheduledFuture<?> timeout;

    // once prepared
    long txId;
    long preparedAt;
    final List<Placed> placed = new ArrayList<>();
    final List<Held> held = new ArrayList<>();
    /** Shared messages the prepare stored, so a rollback can forget them. */
    final List<StoredMessage> sharedCreated = new ArrayList<>();
    /** A recovered branch: shared messages it adds, and how many of its references point to each. */
    final Map<Long, Integer> recoveredMessages = new java.util.HashMap<>();
    /** Duplicate ids its sends carry, recorded when it commits. */
    final List<EncodedMessage> duplicateChecked = new ArrayList<>();
    /** The bytes of the half-message this branch holds ({@link HalfMessages}); null for an XA branch. */
    byte[] halfMessage;

    XaBranch(XidValue xid, long startedAt) {
        this.xid = xid;
        this.startedAt = startedAt;
    }

    boolean isPrepared() {
        return state == State.PREPARED || state == State.ENDING || state == State.PREPARING;
    }

    /** Whether nothing was sent or acknowledged in it (a prepare answers XA_RDONLY). */
    boolean isEmpty() {
        return sends.isEmpty() && acks.isEmpty();
    }

    /** Messages it sends and acknowledges, by destination name, for the operator. */
    String contents() {
        Map<String, Integer> out = new TreeMap<>();
        Map<String, Integer> in = new TreeMap<>();
        if (isPrepared()) {
            placed.forEach(p -> out.merge(p.queue() == null ? "(deleted)" : p.queue().name(), 1, Integer::sum));
            held.forEach(h -> in.merge(h.queue() == null ? "(deleted)" : h.queue().name(), 1, Integer::sum));
        } else {
            sends.forEach(s -> out.merge(s.message().destination().name(), 1, Integer::sum));
            acks.forEach(d -> in.merge(d.queue().name(), 1, Integer::sum));
        }
        return "sends " + (out.isEmpty() ? "none" : out) + ", acknowledges " + (in.isEmpty() ? "none" : in);
    }

    @Override
    public String toString() {
        return "XaBranch[" + xid + ", " + state + ", " + sends.size() + " sends, " + acks.size() + " acks]";
    }
}
