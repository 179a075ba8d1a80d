package org.ternmq.it.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What must exist in the broker, per destination: the messages a model test sent and did not consume, in
 * arrival order, with what the broker must report for each (delivery count, where it may be). Some facts
 * are certain, some only bounds (an expired message still in its queue or already in the expiry queue; a
 * dups-ok acknowledgement a kill may have lost): each entry says which.
 *
 * <p>Used by one test thread.
 */
final class Model {

    /** Expiry and delivery times within this many ms of "now" may go either way. */
    static final long SLACK = 400;

    /** One message as one destination holds it. */
    static final class Entry {
        final int uid;
        final boolean persistent;
        final int priority;
        /** Absolute JMSExpiration, 0 for none. */
        final long expiration;
        /** Absolute delivery time, 0 for none. */
        final long deliveryTime;
        /** Arrival order in its destination. */
        final long seq;
        /** Deliveries the application saw and gave back here (JMSXDeliveryCount of the next one minus 1). */
        int deliveries;
        /** False when the broker may or may not hold it here (at most once). */
        boolean certain = true;
        /**
         * How much higher than the model's the delivery count may be: each kill may have lost the update that
         * gave back a delivery the consumer never saw (prefetched, returned unseen), one per kill it lived through.
         */
        int countMayBeHigherBy;

        Entry(int uid, boolean persistent, int priority, long expiration, long deliveryTime, long seq) {
            this.uid = uid;
            this.persistent = persistent;
            this.priority = priority;
            this.expiration = expiration;
            this.deliveryTime = deliveryTime;
            this.seq = seq;
        }

        /** A copy moved to another destination: new arrival, count from zero, no expiry or delay. */
        Entry movedAs(long newSeq) {
            Entry e = new Entry(uid, persistent, priority, 0, 0, newSeq);
            e.certain = certain;
            return e;
        }

        boolean sameClass(Entry other) {
            return persistent == other.persistent && priority == other.priority;
        }

        /** Surely deliverable during [from, to]: due before it, not expiring until after it. */
        boolean surelyAvailable(long from, long to) {
            return certain && deliveryTime <= from - SLACK && (expiration == 0 || expiration > to + SLACK);
        }

        /** Possibly deliverable at some moment of [from, to]. */
        boolean possiblyAvailable(long from, long to) {
            return deliveryTime <= to + SLACK && (expiration == 0 || expiration > from - SLACK);
        }

        /** Surely expired by {@code now}: never to be delivered from here again. */
        boolean surelyExpired(long now) {
            return expiration != 0 && expiration < now - SLACK;
        }

        @Override
        public String toString() {
            return "m" + uid + (persistent ? "P" : "N") + priority + "#" + seq + "[d=" + deliveries
                    + (certain ? "" : ",maybe") + (expiration != 0 ? ",exp=" + expiration : "")
                    + (deliveryTime != 0 ? ",at=" + deliveryTime : "") + "]";
        }
    }

    /** One queue or durable subscription as the model sees it. */
    static final class Destination {
        final String name;
        /** The name list-queues shows. */
        final String managedName;
        /** Whether arrival order is known (false for the expiry queue, which messages reach when the broker finds them). */
        final boolean ordered;
        final List<Entry> entries = new ArrayList<>();
        /** Messages acknowledged dups-ok that a kill may bring back (JMS allows that duplicate). */
        final List<Entry> ghosts = new ArrayList<>();

        Destination(String name, String managedName, boolean ordered) {
            this.name = name;
            this.managedName = managedName;
            this.ordered = ordered;
        }

        int certainCount() {
            return (int) entries.stream().filter(e -> e.certain).count();
        }

        /** Messages surely here at {@code now}: certain, and not possibly expired (moved out) by then. */
        long surelyHere(long now) {
            return entries.stream().filter(e -> e.certain && (e.expiration == 0 || e.expiration > now + SLACK)).count();
        }

        Entry find(int uid) {
            for (Entry e : entries) {
                if (e.uid == uid) {
                    return e;
                }
            }
            return null;
        }

        void removeIf(Predicate<Entry> p) {
            entries.removeIf(p);
        }

        @Override
        public String toString() {
            return name + entries;
        }
    }

    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final Destination expiry;
    private final Destination deadLetters;
    private long seq;
    private final int maxDeliveryAttempts;

    Model(int maxDeliveryAttempts, String expiryQueue, String deadLetterQueue) {
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.expiry = add(expiryQueue, expiryQueue, false);
        this.deadLetters = add(deadLetterQueue, deadLetterQueue, true);
    }

    Destination add(String name, String managedName, boolean ordered) {
        Destination d = new Destination(name, managedName, ordered);
        destinations.put(name, d);
        return d;
    }

    Destination get(String name) {
        return destinations.get(name);
    }

    Iterable<Destination> all() {
        return destinations.values();
    }

    Destination expiry() {
        return expiry;
    }

    Destination deadLetters() {
        return deadLetters;
    }

    long nextSeq() {
        return ++seq;
    }

    /** A message arrived in {@code d} (a send returned, a commit returned). */
    Entry arrived(Destination d, int uid, boolean persistent, int priority, long expiration, long deliveryTime) {
        Entry e = new Entry(uid, persistent, priority, expiration, deliveryTime, nextSeq());
        d.entries.add(e);
        return e;
    }

    /**
     * The application gave {@code e} back (rollback, recover, close without acknowledging): its count goes up,
     * and past the policy's maximum it moves to the dead-letter queue.
     */
    void returned(Destination d, Entry e) {
        e.deliveries++;
        if (e.deliveries >= maxDeliveryAttempts) {
            d.entries.remove(e);
            Entry dead = e.movedAs(nextSeq());
            deadLetters.entries.add(dead);
        }
    }

    /**
     * Moves every message surely expired by {@code now} out of its destination: the broker moves it to the
     * expiry queue when it finds it (at once on the heap, when paged in otherwise), so until it is seen it
     * is uncertain in both places; the expiry queue's copy is at most one.
     */
    void expire(long now) {
        for (Destination d : destinations.values()) {
            if (d == expiry) {
                continue;
            }
            for (Iterator<Entry> it = d.entries.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.surelyExpired(now)) {
                    it.remove();
                    Entry copy = e.movedAs(nextSeq());
                    copy.certain = false;
                    expiry.entries.add(copy);
                }
            }
        }
    }

    /** Messages outside the expiry queue that may have expired by {@code now} (the broker may have moved them). */
    long possiblyExpiredOutsideExpiry(long now) {
        long n = 0;
        for (Destination d : destinations.values()) {
            if (d != expiry) {
                n += d.entries.stream().filter(e -> e.expiration != 0 && e.expiration <= now + SLACK).count();
            }
        }
        return n;
    }

    /**
     * The expiry queue delivered {@code uid} before the model counted it surely expired: if some destination
     * holds it and it may have expired by {@code now}, it moves to the expiry queue now.
     */
    Entry expiredEarly(int uid, long now) {
        for (Destination d : destinations.values()) {
            if (d == expiry) {
                continue;
            }
            for (Entry e : d.entries) {
                if (e.uid == uid && e.expiration != 0 && e.expiration <= now + SLACK) {
                    d.entries.remove(e);
                    Entry copy = e.movedAs(nextSeq());
                    expiry.entries.add(copy);
                    return copy;
                }
            }
        }
        return null;
    }

    /**
     * A restart: non-persistent messages are gone. After a kill, dups-ok acknowledgements may be undone, and a
     * delivery count may be one higher than the model's for each kill: a delivery's count is stored when it
     * starts and put back when the consumer returns it unseen, a write the kill may have beaten (JMS allows a
     * message to look redelivered when it may not have been; the other way round, never). A message sitting
     * in a consumer's prefetch buffer across two kills may so come back with a count two higher.
     */
    void restarted(boolean killed) {
        for (Destination d : destinations.values()) {
            d.entries.removeIf(e -> !e.persistent);
            if (killed) {
                d.entries.forEach(e -> e.countMayBeHigherBy++);
                for (Entry g : d.ghosts) {
                    if (g.persistent) {
                        g.certain = false;
                        g.countMayBeHigherBy++;
                        d.entries.add(g);
                    }
                }
                d.entries.sort((a, b) -> Long.compare(a.seq, b.seq));
            }
            d.ghosts.clear();
        }
    }

    /** A later durable operation completed: every earlier dups-ok acknowledgement is stored by now. */
    void durablePoint() {
        for (Destination d : destinations.values()) {
            d.ghosts.clear();
        }
    }
}
