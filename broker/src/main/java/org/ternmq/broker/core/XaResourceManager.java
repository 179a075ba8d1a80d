package org.ternmq.broker.core;

import static javax.transaction.xa.XAException.XAER_DUPID;
import static javax.transaction.xa.XAException.XAER_INVAL;
import static javax.transaction.xa.XAException.XAER_NOTA;
import static javax.transaction.xa.XAException.XAER_PROTO;
import static javax.transaction.xa.XAException.XAER_RMFAIL;
import static javax.transaction.xa.XAException.XA_HEURCOM;
import static javax.transaction.xa.XAException.XA_HEURRB;
import static javax.transaction.xa.XAException.XA_RBROLLBACK;
import static javax.transaction.xa.XAException.XA_RBTIMEOUT;
import static javax.transaction.xa.XAException.XA_RETRY;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMONEPHASE;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static javax.transaction.xa.XAResource.XA_RDONLY;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.persistence.HeuristicRecord;
import org.ternmq.broker.persistence.PreparedBranch;
import org.ternmq.broker.persistence.StoreBatch;
import org.ternmq.broker.persistence.StoreRecordDescriptor;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.XaRequest;
import org.ternmq.protocol.XaResponse;
import org.ternmq.protocol.XidValue;

/**
 * The broker as an XA resource manager: the table of transaction branches, with the journal as its only
 * memory. Sends and acknowledgements of a branch are staged in it; {@code prepare} writes them as a prepared
 * store transaction, forced before the answer; {@code commit} and {@code rollback} end it. Prepared branches
 * survive restarts (the store hands them back) and never time out; unprepared ones roll back when their
 * timeout passes or a connection that worked in them is lost. Heuristic outcomes are decided only by an
 * operator ({@link #completeByOperator}), stored, and reported to the transaction manager
 * ({@code XA_HEURCOM}, {@code XA_HEURRB}) until it calls {@code forget}.
 *
 * <p>Error codes follow JTA: an unknown Xid is {@code XAER_NOTA}, a call in the wrong state
 * {@code XAER_PROTO}, a malformed Xid or flags {@code XAER_INVAL}, a store that cannot write
 * {@code XAER_RMFAIL}; {@code XA_RETRY} only while another call is ending the same branch.
 *
 * <p>Owned by the agent thread.
 */
final class XaResourceManager {

    private static final Logger LOG = LoggerFactory.getLogger(XaResourceManager.class);

    private final BrokerAgent agent;
    private final long defaultTimeoutMillis;
    private final Map<XidValue, XaBranch> branches = new LinkedHashMap<>();
    private final Map<XidValue, HeuristicRecord> heuristics = new LinkedHashMap<>();

    XaResourceManager(BrokerAgent agent, long defaultTimeoutMillis) {
        this.agent = agent;
        this.defaultTimeoutMillis = defaultTimeoutMillis;
    }

    /** A failed call: the code the client's {@code XAException} carries, and why. */
    static final class XaError extends Exception {
        final int code;

        XaError(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * Handles one request of {@code connection}; returns the response, or null when it will be written
     * later (after the store has what the answer promises).
     */
    XaResponse handle(BrokerConnection connection, XaRequest r) {
        long corr = r.correlationId();
        try {
            XidValue xid = r.xid();
            if (r.operation() != org.ternmq.protocol.XaOperation.RECOVER) {
                checkXid(xid);
            }
            switch (r.operation()) {
                case START:
                    start(connection.xaSession(r.sessionId()), xid, r.flags(), r.timeoutSeconds());
                    return XaResponse.ok(corr, XA_OK);
                case END:
                    end(connection.xaSession(r.sessionId()), xid, r.flags());
                    return XaResponse.ok(corr, XA_OK);
                case PREPARE:
                    return withId(corr, prepare(xid, response -> connection.write(withId(corr, response))));
                case COMMIT:
                    return withId(corr, commit(xid, (r.flags() & TMONEPHASE) != 0,
                            response -> connection.write(withId(corr, response))));
                case ROLLBACK:
                    return withId(corr, rollback(xid, response -> connection.write(withId(corr, response))));
                case RECOVER:
                    return new XaResponse(corr, XA_OK, null, recover(r.flags()));
                case FORGET:
                    forget(xid, () -> connection.write(XaResponse.ok(corr, XA_OK)));
                    return null;
                default:
                    throw new XaError(XAER_INVAL, "unknown XA operation " + r.operation());
            }
        } catch (XaError e) {
            return XaResponse.error(corr, e.code, e.getMessage());
        }
    }

    /** {@code r} answering request {@code corr}; null (an answer that comes later) stays null. */
    private static XaResponse withId(long corr, XaResponse r) {
        return r == null ? null : new XaResponse(corr, r.code(), r.message(), r.xids());
    }

    private static void checkXid(XidValue xid) throws XaError {
        if (xid == null) {
            throw new XaError(XAER_INVAL, "no Xid");
        }
        String problem = xid.problem();
        if (problem != null) {
            throw new XaError(XAER_INVAL, "malformed Xid " + xid + ": " + problem);
        }
        if (HalfMessages.isHalf(xid)) {
            throw new XaError(XAER_INVAL, "format id " + xid.formatId() + " is reserved for Tern's half-messages");
        }
    }

    private XaBranch existing(XidValue xid) throws XaError {
        XaBranch b = branches.get(xid);
        if (b == null) {
            HeuristicRecord h = heuristics.get(xid);
            if (h != null) {
                throw new XaError(h.committed() ? XA_HEURCOM : XA_HEURRB, "branch " + xid + " was "
                        + (h.committed() ? "committed" : "rolled back") + " by an operator");
            }
            throw new XaError(XAER_NOTA, "no branch " + xid);
        }
        return b;
    }

    // ---- association -----------------------------------------------------------------------------

    private void start(BrokerSession session, XidValue xid, int flags, int timeoutSeconds) throws XaError {
        if (session.branch != null) {
            throw new XaError(XAER_PROTO, "session is associated with " + session.branch.xid + " already");
        }
        XaBranch b;
        switch (flags) {
            case TMNOFLAGS -> {
                if (branches.containsKey(xid) || heuristics.containsKey(xid)) {
                    throw new XaError(XAER_DUPID, "branch " + xid + " exists");
                }
                b = new XaBranch(xid, agent.now());
                branches.put(xid, b);
                long timeout = timeoutSeconds > 0 ? timeoutSeconds * 1000L : defaultTimeoutMillis;
                b.timeout = agent.scheduleCancellable(timeout, () -> timedOut(b));
            }
            case TMJOIN -> {
                b = existing(xid);
                checkNotRolledBack(b);
                if (b.state != XaBranch.State.ACTIVE && b.state != XaBranch.State.IDLE) {
                    throw new XaError(XAER_PROTO, "cannot join branch " + xid + ": it is " + b.state);
                }
            }
            case TMRESUME -> {
                b = existing(xid);
                checkNotRolledBack(b);
                if (!b.suspended.remove(session)) {
                    throw new XaError(XAER_PROTO, "branch " + xid + " is not suspended by this session");
                }
            }
            default -> throw new XaError(XAER_INVAL, "start takes TMNOFLAGS, TMJOIN or TMRESUME, not " + flags);
        }
        b.state = XaBranch.State.ACTIVE;
        b.associated.add(session);
        b.connections.add(session.connection);
        session.branch = b;
    }

    private static void checkNotRolledBack(XaBranch b) throws XaError {
        if (b.state == XaBranch.State.ROLLED_BACK) {
            throw new XaError(b.rollbackCode, "branch " + b.xid + " was rolled back by the broker");
        }
        if (b.state == XaBranch.State.ROLLBACK_ONLY) {
            throw new XaError(XA_RBROLLBACK, "branch " + b.xid + " is marked rollback-only");
        }
    }

    private void end(BrokerSession session, XidValue xid, int flags) throws XaError {
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw new XaError(XAER_INVAL, "end takes TMSUCCESS, TMFAIL or TMSUSPEND, not " + flags);
        }
        XaBranch b = existing(xid);
        boolean mine = session.branch == b;
        if (mine) {
            b.associated.remove(session);
            session.branch = null;
        }
        if (b.state == XaBranch.State.ROLLED_BACK) {
            throw new XaError(b.rollbackCode, "branch " + xid + " was rolled back by the broker");
        }
        if (flags == TMSUSPEND) {
            if (!mine) {
                throw new XaError(XAER_PROTO, "only the associated session may suspend branch " + xid);
            }
            b.suspended.add(session);
            return;
        }
        boolean wasSuspended = b.suspended.remove(session);
        if (!mine && !wasSuspended && b.state != XaBranch.State.IDLE && b.state != XaBranch.State.ROLLBACK_ONLY) {
            // JTA 1.2 transaction managers may end a branch twice: tolerated once it is ended
            throw new XaError(XAER_PROTO, "branch " + xid + " is " + b.state + " and not associated with this session");
        }
        if (flags == TMFAIL && !b.isPrepared()) {
            b.state = XaBranch.State.ROLLBACK_ONLY;
        } else if (b.associated.isEmpty() && b.suspended.isEmpty() && b.state == XaBranch.State.ACTIVE) {
            b.state = XaBranch.State.IDLE;
        }
    }

    /** The session closes while associated: its work stays in the branch, as after {@code end(TMSUCCESS)}. */
    void sessionClosed(BrokerSession session) {
        XaBranch b = session.branch;
        session.branch = null;
        if (b != null) {
            b.associated.remove(session);
            if (b.associated.isEmpty() && b.suspended.isEmpty() && b.state == XaBranch.State.ACTIVE) {
                b.state = XaBranch.State.IDLE;
            }
        }
        for (XaBranch other : branches.values()) {
            if (other.suspended.remove(session) && other.associated.isEmpty() && other.suspended.isEmpty()
                    && other.state == XaBranch.State.ACTIVE) {
                other.state = XaBranch.State.IDLE;
            }
        }
    }

    /** A connection is gone: unprepared branches it worked in roll back; prepared ones wait for their TM. */
    void connectionLost(BrokerConnection connection) {
        for (XaBranch b : new ArrayList<>(branches.values())) {
            if (b.connections.remove(connection)) {
                if (!b.isPrepared() && b.state != XaBranch.State.ROLLED_BACK) {
                    LOG.info("XA branch {}: a connection that worked in it closed before prepare; rolled back", b.xid);
                    rollBackUnprepared(b, XA_RBROLLBACK, true);
                }
                if (b.state == XaBranch.State.ROLLED_BACK && b.connections.isEmpty()) {
                    branches.remove(b.xid);
                }
            }
        }
    }

    private void timedOut(XaBranch b) {
        if (branches.get(b.xid) != b || b.isPrepared() || b.state == XaBranch.State.ROLLED_BACK) {
            return;
        }
        LOG.warn("XA branch {} was not prepared within its timeout; rolled back ({})", b.xid, b.contents());
        rollBackUnprepared(b, XA_RBTIMEOUT, true);
    }

    // ---- work of associated sessions ------------------------------------------------------------

    /** A send of a session associated with {@code b}. */
    void staged(XaBranch b, EncodedMessage message, BrokerConnection from) throws BrokerException {
        if (b.state == XaBranch.State.ROLLED_BACK) {
            throw new BrokerException(org.ternmq.protocol.ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch " + b.xid
                    + " was rolled back by the broker");
        }
        b.sends.add(new XaBranch.Send(message, from.id(), from.clientId()));
    }

    /**
     * An acknowledgement of a session associated with {@code b}; {@code failure} is why the application failed
     * on it, if it said so (a rollback then carries it to the dead-letter queue).
     */
    void staged(XaBranch b, Delivery d, String failure) {
        if (b.state == XaBranch.State.ROLLED_BACK) {
            agent.redeliver(d.ref(), d.queue(), failure, false);
            d.queue().dispatch();
            return;
        }
        b.acks.add(d);
        if (failure != null) {
            b.failures.put(d, failure);
        }
    }

    // ---- two-phase commit -----------------------------------------------------------------------

    private XaResponse prepare(XidValue xid, Consumer<XaResponse> later) throws XaError {
        XaBranch b = existing(xid);
        switch (b.state) {
            case PREPARED:
                return XaResponse.ok(0, XA_OK); // a repeated prepare changes nothing
            case PREPARING:
            case ENDING:
                throw new XaError(XA_RETRY, "branch " + xid + " is being " + (b.state == XaBranch.State.ENDING
                        ? "ended" : "prepared") + " by another call");
            case ACTIVE:
                throw new XaError(XAER_PROTO, "branch " + xid + " must be ended before it is prepared");
            case ROLLED_BACK:
                branches.remove(xid);
                throw new XaError(b.rollbackCode, "branch " + xid + " was rolled back by the broker");
            case ROLLBACK_ONLY:
                rollBackUnprepared(b, XA_RBROLLBACK, false);
                throw new XaError(XA_RBROLLBACK, "branch " + xid + " was marked rollback-only (TMFAIL)");
            default:
                break;
        }
        if (b.isEmpty()) {
            cancelTimeout(b);
            branches.remove(xid);
            return XaResponse.ok(0, XA_RDONLY);
        }
        String unavailable = agent.storeUnavailable(unpreparedPolicies(b));
        if (unavailable != null) {
            rollBackRefused(b);
            throw new XaError(XA_RBROLLBACK, "branch " + xid + " rolled back: " + unavailable);
        }
        cancelTimeout(b);
        b.state = XaBranch.State.PREPARING;
        b.preparedAt = agent.now();
        StoreBatch tx = agent.storeWriter().newBatch();
        agent.storeWriter().into(tx, () -> {
            for (XaBranch.Send s : b.sends) {
                try {
                    agent.routeForBranch(s.message(), s.originConnectionId(), s.originClientId(), b);
                } catch (BrokerException e) {
                    // e.g. a temporary destination deleted since: the message has nowhere to go
                    LOG.warn("XA branch {}: a message to {} is dropped: {}", b.xid, s.message().destination(),
                            e.getMessage());
                }
            }
            for (Delivery d : b.acks) {
                agent.storeWriter().refRemovedInBranch(d.ref());
                b.held.add(new XaBranch.Held(d.queue(), d.ref().refId, d.ref(), 0, b.failures.get(d)));
            }
        });
        if (tx.isEmpty()) {
            // nothing durable in it (non-persistent messages, temporary queues): nothing to recover either
            b.state = XaBranch.State.PREPARED;
            return XaResponse.ok(0, XA_OK);
        }
        byte[] payload = b.halfMessage == null ? StoreRecordDescriptor.encodeBranch(b.preparedAt, xid.toBytes())
                : StoreRecordDescriptor.encodeHalfBranch(b.preparedAt, xid.toBytes(), b.halfMessage);
        tx.prepare(payload).whenComplete((txId, e) ->
                agent.execute(() -> {
                    if (e != null) {
                        LOG.error("XA branch {}: the prepare could not be stored; rolled back: {}", xid, e.toString());
                        undoPrepare(b);
                        later.accept(XaResponse.error(0, XA_RBROLLBACK, "prepare not stored: " + e.getMessage()));
                        return;
                    }
                    b.txId = txId;
                    b.state = XaBranch.State.PREPARED;
                    later.accept(XaResponse.ok(0, XA_OK));
                }));
        return null;
    }

    /** The policies of the destinations an unprepared branch sends to or acknowledged from. */
    private java.util.Set<DestinationPolicy> unpreparedPolicies(XaBranch b) {
        java.util.Set<DestinationPolicy> policies = new java.util.HashSet<>();
        for (XaBranch.Send send : b.sends) {
            policies.add(agent.policyFor(send.message().destination()));
        }
        for (Delivery d : b.acks) {
            policies.add(d.queue().policy());
        }
        return policies;
    }

    /**
     * Whether the commit or rollback of a prepared branch awaits backups: when one of the queues it placed messages
     * in or holds messages of does ({@code replication=sync}); a branch without any does as the broker's mode says.
     */
    private boolean preparedAwaitsBackups(XaBranch b) {
        java.util.List<MessageQueue> queues = new java.util.ArrayList<>();
        b.placed.forEach(p -> queues.add(p.queue()));
        b.held.forEach(h -> queues.add(h.queue()));
        queues.removeIf(java.util.Objects::isNull);
        if (queues.isEmpty()) {
            return agent.storeWriter().store().awaitsBackupsByDefault();
        }
        return queues.stream().anyMatch(q -> agent.storeWriter().awaitsBackups(q.policy()));
    }

    /** The prepare record did not make it: the branch rolls back as if never prepared. */
    private void undoPrepare(XaBranch b) {
        b.sharedCreated.forEach(agent.storeWriter()::forgetShared);
        b.placed.clear();
        b.held.clear();
        b.sharedCreated.clear();
        rollBackUnprepared(b, XA_RBROLLBACK, false);
        branches.remove(b.xid);
    }

    private XaResponse commit(XidValue xid, boolean onePhase, Consumer<XaResponse> later) throws XaError {
        XaBranch b = existing(xid);
        if (b.state == XaBranch.State.PREPARING || b.state == XaBranch.State.ENDING) {
            throw new XaError(XA_RETRY, "branch " + xid + " is being prepared or ended by another call");
        }
        if (onePhase) {
            return commitOnePhase(b, later);
        }
        if (b.state != XaBranch.State.PREPARED) {
            throw new XaError(XAER_PROTO, "branch " + xid + " is " + b.state + ": a two-phase commit needs it prepared");
        }
        endPrepared(b, true, later);
        return null;
    }

    private XaResponse commitOnePhase(XaBranch b, Consumer<XaResponse> later) throws XaError {
        switch (b.state) {
            case PREPARED -> throw new XaError(XAER_PROTO, "branch " + b.xid + " is prepared: commit it in two phases");
            case ACTIVE -> throw new XaError(XAER_PROTO, "branch " + b.xid + " must be ended before it commits");
            case ROLLED_BACK -> {
                branches.remove(b.xid);
                throw new XaError(b.rollbackCode, "branch " + b.xid + " was rolled back by the broker");
            }
            case ROLLBACK_ONLY -> {
                rollBackUnprepared(b, XA_RBROLLBACK, false);
                throw new XaError(XA_RBROLLBACK, "branch " + b.xid + " was marked rollback-only (TMFAIL)");
            }
            default -> { }
        }
        String unavailable = agent.storeUnavailable(unpreparedPolicies(b));
        if (unavailable != null && !b.isEmpty()) {
            rollBackRefused(b);
            throw new XaError(XA_RBROLLBACK, "branch " + b.xid + " rolled back: " + unavailable);
        }
        cancelTimeout(b);
        branches.remove(b.xid);
        for (Delivery d : b.acks) {
            agent.consumed(d);
        }
        for (XaBranch.Send s : b.sends) {
            try {
                agent.routeCommitted(s.message(), s.originConnectionId(), s.originClientId());
            } catch (BrokerException e) {
                LOG.warn("XA branch {}: a message to {} could not be routed: {}", b.xid, s.message().destination(),
                        e.getMessage());
            }
        }
        agent.storeWriter().afterStored(true, failure -> later.accept(failure == null ? XaResponse.ok(0, XA_OK)
                : XaResponse.error(0, XAER_RMFAIL, "commit not stored: " + failure.getMessage())));
        return null;
    }

    private XaResponse rollback(XidValue xid, Consumer<XaResponse> later) throws XaError {
        XaBranch b = existing(xid);
        switch (b.state) {
            case PREPARING, ENDING -> throw new XaError(XA_RETRY, "branch " + xid + " is being prepared or ended");
            case PREPARED -> {
                endPrepared(b, false, later);
                return null;
            }
            case ROLLED_BACK -> {
                branches.remove(xid);
                return XaResponse.ok(0, XA_OK);
            }
            default -> {
                rollBackUnprepared(b, XA_RBROLLBACK, false);
                branches.remove(xid);
                return XaResponse.ok(0, XA_OK);
            }
        }
    }

    /**
     * Gives back what an unprepared branch acknowledged (seen: it counts as a delivery attempt) and drops its
     * sends. With {@code keep}, the branch stays as {@link XaBranch.State#ROLLED_BACK} so its sessions and
     * transaction manager learn why ({@code code}).
     */
    private void rollBackUnprepared(XaBranch b, int code, boolean keep) {
        rollBackUnprepared(b, code, keep, true);
    }

    /**
     * Rolls back an unprepared branch whose prepare or one-phase commit this broker refused (too few backups in
     * sync, or fenced): what it acknowledged comes back without being charged as failed attempts.
     */
    private void rollBackRefused(XaBranch b) {
        rollBackUnprepared(b, XA_RBROLLBACK, false, false);
    }

    private void rollBackUnprepared(XaBranch b, int code, boolean keep, boolean charged) {
        cancelTimeout(b);
        java.util.Set<MessageQueue> touched = new java.util.LinkedHashSet<>();
        for (Delivery d : b.acks) {
            if (agent.redeliver(d.ref(), d.queue(), b.failures.get(d), false, charged)) {
                touched.add(d.queue());
            }
        }
        b.acks.clear();
        b.failures.clear();
        b.sends.clear();
        touched.forEach(MessageQueue::dispatch);
        if (keep) {
            b.state = XaBranch.State.ROLLED_BACK;
            b.rollbackCode = code;
        } else {
            for (BrokerSession s : b.associated) {
                s.branch = null;
            }
            branches.remove(b.xid);
        }
    }

    /** Commits or rolls back a prepared branch in the store, then applies it and answers. */
    private void endPrepared(XaBranch b, boolean commit, Consumer<XaResponse> later) {
        b.state = XaBranch.State.ENDING;
        var written = b.txId == 0 ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null)
                : commit ? agent.storeWriter().store().commitPrepared(b.txId, preparedAwaitsBackups(b))
                : agent.storeWriter().store().rollbackPrepared(b.txId, preparedAwaitsBackups(b));
        written.whenComplete((v, e) -> agent.execute(() -> {
            if (e != null) {
                b.state = XaBranch.State.PREPARED;
                LOG.error("XA branch {}: the {} could not be stored: {}", b.xid, commit ? "commit" : "rollback", e.toString());
                later.accept(XaResponse.error(0, XAER_RMFAIL, (commit ? "commit" : "rollback") + " not stored: "
                        + e.getMessage()));
                return;
            }
            branches.remove(b.xid);
            if (commit) {
                applyCommit(b);
            } else {
                applyRollback(b);
            }
            later.accept(XaResponse.ok(0, XA_OK));
        }));
    }

    /** The prepared branch committed: its references join their queues, the held ones are gone for good. */
    private void applyCommit(XaBranch b) {
        java.util.Set<MessageQueue> touched = new java.util.LinkedHashSet<>();
        b.recoveredMessages.forEach(agent.storeWriter()::sharedMessageLoaded);
        for (XaBranch.Placed p : b.placed) {
            if (p.queue() == null || p.queue().isDeleted()) {
                agent.storeWriter().placedRefDropped(p.refId(), p.ref(), p.sharedMessageId());
            } else if (p.ref() != null) {
                p.queue().add(p.ref());
                touched.add(p.queue());
            } else {
                p.queue().appendStored(p.refId());
                touched.add(p.queue());
            }
        }
        for (XaBranch.Held h : b.held) {
            if (h.ref() != null) {
                agent.retention().left(h.queue(), h.ref(), org.ternmq.broker.persistence.RetainedRecord.ACKNOWLEDGED,
                        () -> "acknowledged in XA branch " + b.xid);
            }
            agent.storeWriter().heldRefCommitted(h.ref(), h.sharedMessageId());
        }
        for (EncodedMessage m : b.duplicateChecked) {
            agent.recordDuplicate(m);
        }
        touched.forEach(MessageQueue::dispatch);
    }

    /** The prepared branch rolled back: nothing it sent exists; what it acknowledged comes back. */
    private void applyRollback(XaBranch b) {
        b.sharedCreated.forEach(agent.storeWriter()::forgetShared);
        java.util.Set<MessageQueue> touched = new java.util.LinkedHashSet<>();
        for (XaBranch.Held h : b.held) {
            MessageQueue q = h.queue();
            if (h.ref() != null) {
                if (agent.redeliver(h.ref(), q, h.failure(), false)) {
                    touched.add(q);
                }
                continue;
            }
            MessageRef ref = agent.pager().pageIn(h.refId());
            if (ref == null) {
                continue;
            }
            if (q == null) {
                agent.storeWriter().refRemoved(ref);
            } else if (agent.redeliver(ref, q, null, true)) {
                touched.add(q);
            }
        }
        touched.forEach(MessageQueue::dispatch);
    }

    private List<XidValue> recover(int flags) throws XaError {
        if ((flags & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw new XaError(XAER_INVAL, "recover takes TMSTARTRSCAN, TMENDRSCAN or TMNOFLAGS, not " + flags);
        }
        if ((flags & TMSTARTRSCAN) == 0) {
            return List.of(); // the whole list went with the start of the scan
        }
        List<XidValue> xids = new ArrayList<>();
        for (XaBranch b : branches.values()) {
            if (b.isPrepared() && b.halfMessage == null) {
                xids.add(b.xid);
            }
        }
        xids.addAll(heuristics.keySet());
        return xids;
    }

    private void forget(XidValue xid, Runnable answer) throws XaError {
        HeuristicRecord h = heuristics.remove(xid);
        if (h == null) {
            if (branches.containsKey(xid)) {
                throw new XaError(XAER_PROTO, "branch " + xid + " was not completed heuristically: nothing to forget");
            }
            throw new XaError(XAER_NOTA, "no heuristically completed branch " + xid);
        }
        agent.storeWriter().heuristicForgotten(h.id());
        agent.storeWriter().afterStored(true, failure -> answer.run());
    }

    private static void cancelTimeout(XaBranch b) {
        if (b.timeout != null) {
            b.timeout.cancel(false);
            b.timeout = null;
        }
    }

    // ---- operators ------------------------------------------------------------------------------

    /** Adds the messages held (acknowledged, not yet committed) by every branch to {@code counts}, per queue. */
    void countHeld(Map<MessageQueue, int[]> counts) {
        for (XaBranch b : branches.values()) {
            for (XaBranch.Held h : b.held) {
                if (h.queue() != null) {
                    counts.computeIfAbsent(h.queue(), q -> new int[1])[0]++;
                }
            }
        }
    }

    /** Prepared branches, oldest first, one line each: Xid, age, what it holds. */
    List<String> listPrepared() {
        List<String> lines = new ArrayList<>();
        long now = agent.now();
        for (XaBranch b : branches.values()) {
            if (b.isPrepared() && b.halfMessage == null) {
                lines.add(b.xid + "  prepared " + (now - b.preparedAt) / 1000 + " s ago  " + b.contents());
            }
        }
        return lines;
    }

    /** Heuristic outcomes waiting for their transaction manager's forget. */
    List<String> listHeuristic() {
        List<String> lines = new ArrayList<>();
        for (HeuristicRecord h : heuristics.values()) {
            lines.add(XidValue.fromBytes(h.xid()) + "  " + (h.committed() ? "committed" : "rolled back")
                    + " by an operator at " + java.time.Instant.ofEpochMilli(h.decidedAt()));
        }
        return lines;
    }

    /**
     * An operator commits or rolls back a prepared branch its transaction manager left in doubt. The decision
     * is stored first, so the transaction manager is told ({@code XA_HEURCOM}/{@code XA_HEURRB}) even if the
     * broker stops right after.
     */
    void completeByOperator(XidValue xid, boolean commit, Consumer<String> done) throws BrokerException {
        XaBranch b = branches.get(xid);
        if (b == null || b.state != XaBranch.State.PREPARED || b.halfMessage != null) {
            throw new BrokerException(org.ternmq.protocol.ErrorCode.INVALID_DESTINATION, "no prepared branch " + xid
                    + (b == null ? "" : " (it is " + b.state + ")"));
        }
        HeuristicRecord h = agent.storeWriter().heuristicAdded(xid.toBytes(), commit, agent.now());
        heuristics.put(xid, h);
        b.state = XaBranch.State.ENDING;
        agent.storeWriter().afterStored(true, failure -> {
            if (failure != null) {
                b.state = XaBranch.State.PREPARED;
                heuristics.remove(xid);
                done.accept("failed: the decision could not be stored: " + failure.getMessage());
                return;
            }
            b.state = XaBranch.State.PREPARED;
            endPrepared(b, commit, r -> done.accept(r.returns() ? (commit ? "committed " : "rolled back ") + xid
                    : "failed: " + r.message()));
        });
    }

    /** Forgets a heuristic outcome (an operator's {@code forget}). */
    void forgetByOperator(XidValue xid, Runnable done) throws BrokerException {
        try {
            forget(xid, done);
        } catch (XaError e) {
            throw new BrokerException(org.ternmq.protocol.ErrorCode.INVALID_DESTINATION, e.getMessage());
        }
    }

    // ---- start-up --------------------------------------------------------------------------------

    void restoreHeuristic(HeuristicRecord h) {
        heuristics.put(XidValue.fromBytes(h.xid()), h);
    }

    /** A branch the store found prepared; {@code queues} maps store ids to the loaded queues. */
    void restorePrepared(PreparedBranch p, Map<Long, MessageQueue> queues) {
        XidValue xid;
        long preparedAt;
        try {
            xid = XidValue.fromBytes(StoreRecordDescriptor.branchXid(p.payload()));
            preparedAt = StoreRecordDescriptor.branchPreparedAt(p.payload());
        } catch (IllegalArgumentException e) {
            LOG.error("prepared transaction {} in the store is not readable ({}); it stays in doubt in the journal",
                    p.txId(), e.getMessage());
            return;
        }
        XaBranch b = new XaBranch(xid, preparedAt);
        b.state = XaBranch.State.PREPARED;
        b.txId = p.txId();
        b.preparedAt = preparedAt;
        for (PreparedBranch.Added a : p.added()) {
            b.placed.add(new XaBranch.Placed(queues.get(a.queueId()), a.refId(), null, a.messageId()));
            if (a.messageId() != 0) {
                b.recoveredMessages.merge(a.messageId(), 1, Integer::sum);
            }
        }
        for (PreparedBranch.Held h : p.held()) {
            b.held.add(new XaBranch.Held(queues.get(h.queueId()), h.refId(), null, h.messageId(), null));
        }
        branches.put(xid, b);
        byte[] half = StoreRecordDescriptor.branchHalfMessage(p.payload());
        if (half != null) {
            b.halfMessage = half;
            agent.halves().restored(xid, preparedAt, half);
            return;
        }
        LOG.warn("XA branch {} is prepared (since {}): it waits for its transaction manager or an operator ({})",
                xid, java.time.Instant.ofEpochMilli(preparedAt), b.contents());
        HeuristicRecord decided = heuristics.get(xid);
        if (decided != null) {
            // an operator's decision was stored but the broker stopped before it was carried out
            endPrepared(b, decided.committed(), r -> LOG.info("XA branch {}: the operator's {} completed", xid,
                    decided.committed() ? "commit" : "rollback"));
        }
    }

    int preparedCount() {
        return (int) branches.values().stream().filter(b -> b.isPrepared() && b.halfMessage == null).count();
    }

    // ---- half-messages (see HalfMessages) ---------------------------------------------------------

    /**
     * Stores half-message {@code message} as a branch {@code xid} that is prepared at once: its reference is
     * written and forced but joins no queue until {@link #completeHalf}. {@code done} gets null once it is
     * durable, or why it is not (the branch is gone then). Nothing is in the branch table under that Xid.
     */
    void prepareHalf(XidValue xid, EncodedMessage message, BrokerConnection from, Consumer<String> done) {
        XaBranch b = new XaBranch(xid, agent.now());
        b.state = XaBranch.State.IDLE;
        b.halfMessage = message.bytes();
        b.sends.add(new XaBranch.Send(message, from.id(), from.clientId()));
        branches.put(xid, b);
        try {
            XaResponse r = prepare(xid, later -> done.accept(later.returns() ? null : later.message()));
            if (r != null) {
                done.accept(r.returns() ? null : r.message());
            }
        } catch (XaError e) {
            branches.remove(xid);
            done.accept(e.getMessage());
        }
    }

    /**
     * Commits or rolls back half-message branch {@code xid}; {@code done} gets null once that is stored and
     * carried out, or why it failed (the half-message is then still prepared).
     *
     * @throws BrokerException {@code INVALID_DESTINATION} when there is no such half-message,
     *     {@code ILLEGAL_STATE} while it is being completed
     */
    void completeHalf(XidValue xid, boolean commit, Consumer<String> done) throws BrokerException {
        XaBranch b = branches.get(xid);
        if (b == null || b.halfMessage == null) {
            throw new BrokerException(org.ternmq.protocol.ErrorCode.INVALID_DESTINATION, "no half-message " + xid);
        }
        if (b.state != XaBranch.State.PREPARED) {
            throw new BrokerException(org.ternmq.protocol.ErrorCode.ILLEGAL_STATE, "half-message " + xid + " is "
                    + (b.state == XaBranch.State.ENDING ? "being completed" : b.state));
        }
        endPrepared(b, commit, r -> done.accept(r.returns() ? null : r.message()));
    }
}
