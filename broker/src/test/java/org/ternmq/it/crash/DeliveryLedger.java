package org.ternmq.it.crash;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients of a kill test know for certain and what they do not. A send that returned is
 * <em>sent</em>; one that failed is <em>in doubt</em> (the broker may or may not have it). A message whose
 * acknowledgement or commit returned is <em>consumed</em>; one whose acknowledgement or commit failed is
 * <em>consumed in doubt</em>. Everything else the clients saw was only received. Violations seen while the
 * load runs (an unknown or damaged message, a consumed message coming back) are recorded at once.
 *
 * <p>Thread-safe: producer and consumer threads record into it concurrently; {@link #check} is called once
 * they have all stopped.
 */
public final class DeliveryLedger {

    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> consumed = ConcurrentHashMap.newKeySet();
    private final Set<String> consumedInDoubt = ConcurrentHashMap.newKeySet();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Queue<String> unflaggedRedeliveries = new ConcurrentLinkedQueue<>();

    /** The body a message with {@code uid} carries, so that damage is seen; its length varies with the id. */
    public static String body(String uid) {
        int pad = 50 + Math.floorMod(uid.hashCode(), 2000);
        return uid + ":" + "x".repeat(pad);
    }

    /** Called before a send is attempted: from now on the message may exist. */
    public void sending(String uid) {
        attempted.add(uid);
    }

    /** Called when the send (or its transaction's commit) returned. */
    public void sent(Collection<String> uids) {
        sent.addAll(uids);
    }

    /**
     * Checks a message as it is received (before any acknowledgement). A message a client already received
     * must come back marked redelivered (JMS 3.5.11: the count is the number of deliveries).
     */
    public void received(String uid, String body, boolean redelivered, int deliveryCount) {
        if (uid != null && !seen.add(uid) && (!redelivered || deliveryCount < 2)) {
            unflaggedRedeliveries.add(uid + " (JMSRedelivered=" + redelivered + ", JMSXDeliveryCount="
                    + deliveryCount + ")");
        }
        if (uid == null || !attempted.contains(uid)) {
            violations.add("received a message nobody sent: uid=" + uid);
        } else if (consumed.contains(uid)) {
            violations.add("a message whose acknowledgement returned came back: " + uid);
        } else if (!body(uid).equals(body)) {
            violations.add("message " + uid + " has a damaged body (" + (body == null ? "null" : body.length()
                    + " chars") + ")");
        }
    }

    /** Called when an acknowledgement or commit covering {@code uids} returned. */
    public void consumed(Collection<String> uids) {
        for (String uid : uids) {
            if (!consumed.add(uid)) {
                violations.add("message " + uid + " was consumed twice");
            }
        }
    }

    /** Called when an acknowledgement or commit covering {@code uids} failed: the outcome is unknown. */
    public void consumedInDoubt(Collection<String> uids) {
        consumedInDoubt.addAll(uids);
    }

    /** Messages received again without being marked redelivered. */
    public List<String> unflaggedRedeliveries() {
        return List.copyOf(unflaggedRedeliveries);
    }

    public int sentCount() {
        return sent.size();
    }

    public int consumedCount() {
        return consumed.size();
    }

    public int inDoubtSends() {
        return attempted.size() - sent.size();
    }

    /**
     * Compares the ledger with what a final drain found after the last restart.
     *
     * @param drained the uids of every message left, in the order received (duplicates included)
     * @return every violation: those seen during the run, then those of the final state
     */
    public List<String> check(List<String> drained) {
        List<String> problems = new ArrayList<>(violations);
        Map<String, Integer> left = new HashMap<>();
        for (String uid : drained) {
            left.merge(uid, 1, Integer::sum);
        }
        left.forEach((uid, n) -> {
            if (n > 1) {
                problems.add("message " + uid + " is left " + n + " times");
            }
            if (consumed.contains(uid)) {
                problems.add("message " + uid + " was consumed (acknowledgement returned) but is still there");
            }
            if (!attempted.contains(uid)) {
                problems.add("message " + uid + " is left but nobody sent it");
            }
        });
        for (String uid : sent) {
            if (!consumed.contains(uid) && !consumedInDoubt.contains(uid) && !left.containsKey(uid)) {
                problems.add("message " + uid + " was sent (send returned) but is lost");
            }
        }
        return problems;
    }
}
