package org.ternmq.broker.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ternmq.broker.persistence.DuplicateIdRecord;
import org.ternmq.message.Address;
import org.ternmq.protocol.ErrorCode;

/**
 * The last commit of each transacted session of a client that fails over, so that a client whose connection was
 * lost before a commit's answer can learn whether it happened instead of being told "rolled back, outcome unknown"
 * (an application told that redoes work that was done, or waits for messages that were consumed).
 *
 * <p>A commit id is {@code <session key>:<number>}: the client makes the session key unique to one session of one
 * connection and numbers its commits from 1. Only the last commit of a session can be in doubt (a session commits
 * one transaction at a time), so one entry per session is kept, replaced by each commit. The entry is stored as a
 * duplicate-id record of {@link #RECORDS}, a destination no application can name, in the commit's own batch: it is
 * durable (and replicated) exactly when the commit is, and a broker restarted or a backup that takes over has it.
 * An entry goes when its session or connection is closed normally (nobody will ask), or {@link #WINDOW_MILLIS}
 * after its last commit (a client that never came back). Owned by the agent thread.
 */
final class CommitOutcomes {

    /** Where the records are kept: not a name a client can send to (it starts with a NUL character). */
    static final Address RECORDS = new Address(Address.Kind.TEMPORARY_TOPIC, "\u0000tern-commit-outcomes");
    /** How long after a session's last commit its entry is kept for a client that did not close it. */
    static final long WINDOW_MILLIS = TimeUnit.HOURS.toMillis(1);

    private record Last(long number, long recordId, long at) {
    }

    private final BrokerAgent agent;
    /** By session key, oldest commit first (an entry is removed and put again on each commit). */
    private final LinkedHashMap<String, Last> bySession = new LinkedHashMap<>();
    /** Records found at load that no entry keeps, removed by the next {@link #expire}. */
    private final java.util.List<Long> stale = new java.util.ArrayList<>();

    CommitOutcomes(BrokerAgent agent) {
        this.agent = agent;
    }

    /** A commit id taken apart: its session's key and the commit's number. */
    private record Id(String key, long number) {
        /** The parts of {@code commitId}, or null when it is not {@code <key>:<number from 1>}. */
        static Id parse(String commitId) {
            int colon = commitId.lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            try {
                long number = Long.parseLong(commitId, colon + 1, commitId.length(), 10);
                return number < 1 ? null : new Id(commitId.substring(0, colon), number);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * Checks a commit id before anything of its transaction happens; returns its session's key.
     *
     * @throws BrokerException MALFORMED for an id that is not {@code <key>:<number>} with a number from 1
     */
    static String check(String commitId) throws BrokerException {
        Id id = Id.parse(commitId);
        if (id == null) {
            throw new BrokerException(ErrorCode.MALFORMED, "malformed commit id '" + commitId
                    + "': expected <session key>:<commit number from 1>");
        }
        return id.key();
    }

    /** The commit {@code commitId} (a {@link #check checked} id) happened in the current task: recorded in its batch. */
    void committed(String commitId) {
        Id id = Id.parse(commitId);
        StoreWriter writer = agent.storeWriter();
        Last previous = bySession.remove(id.key());
        if (previous != null && previous.recordId() != 0) {
            writer.duplicateIdForgotten(previous.recordId());
        }
        long now = agent.now();
        long recordId = writer.persistent() ? writer.ownRecordAdded(RECORDS, commitId, now) : 0;
        bySession.put(id.key(), new Last(id.number(), recordId, now));
    }

    /** Whether the commit {@code commitId} (a {@link #check checked} id) happened here. */
    boolean happened(String commitId) {
        Id id = Id.parse(commitId);
        Last last = bySession.get(id.key());
        return last != null && last.number() == id.number();
    }

    /** The session {@code key} was closed by its client: no question about its commits can come. */
    void forget(String key) {
        Last last = bySession.remove(key);
        if (last != null && last.recordId() != 0) {
            agent.storeWriter().duplicateIdForgotten(last.recordId());
        }
    }

    /** Forgets the entries of sessions that committed last more than the window ago. */
    void expire(long now) {
        if (!stale.isEmpty()) {
            stale.forEach(agent.storeWriter()::duplicateIdForgotten);
            stale.clear();
        }
        for (Iterator<Map.Entry<String, Last>> it = bySession.entrySet().iterator(); it.hasNext(); ) {
            Last last = it.next().getValue();
            if (now - last.at() < WINDOW_MILLIS) {
                return;
            }
            if (last.recordId() != 0) {
                agent.storeWriter().duplicateIdForgotten(last.recordId());
            }
            it.remove();
        }
    }

    /** Whether {@code record} is one of these entries (else it is a destination's duplicate id). */
    static boolean isOwn(DuplicateIdRecord record) {
        return RECORDS.equals(record.destination());
    }

    /**
     * Restores an entry recorded before a restart or by the broker this one took over from. Loading runs outside
     * any task, so a record that is not kept (one a newer commit of its session replaced; none should be, the two
     * change in one batch) is removed by the next {@link #expire}.
     */
    void restore(DuplicateIdRecord record) {
        Id id = Id.parse(record.duplicateId());
        if (id == null) {
            stale.add(record.id());
            return;
        }
        String key = id.key();
        long number = id.number();
        Last previous = bySession.get(key);
        if (previous != null && previous.number() >= number) {
            stale.add(record.id());
            return;
        }
        if (previous != null) {
            stale.add(previous.recordId());
            bySession.remove(key);
        }
        bySession.put(key, new Last(number, record.id(), record.seenAt()));
    }
}
