package org.ternmq.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.message.MessageDescriptor;
import org.ternmq.protocol.Acknowledge;
import org.ternmq.protocol.CloseConsumer;
import org.ternmq.protocol.CloseSession;
import org.ternmq.protocol.Commit;
import org.ternmq.protocol.CommitOutcome;
import org.ternmq.protocol.CreateConsumer;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.CreateTemporary;
import org.ternmq.protocol.DeliveryState;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.LargeChunk;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.Rollback;
import org.ternmq.protocol.Send;
import org.ternmq.protocol.SetClientId;
import org.ternmq.transport.TransportAddress;

/**
 * Client failover ({@code failover=true}): when the channel of a {@link ClientConnection} is lost, tries the URL's
 * hosts in turn (starting after the one that failed), with a delay that doubles each pass up to
 * {@code maxReconnectDelay}, for {@code reconnectAttempts} passes; on a new channel it re-creates the client id,
 * the delivery state, the temporary destinations, the sessions and the consumers under their old ids, then
 * settles every request that was waiting:
 * <ul>
 *   <li>a send of a non-transacted session is sent again; a persistent one carries a duplicate-detection id from
 *       its first send ({@link #beforeRequest}), so the broker stores it once;</li>
 *   <li>a transacted session that had work under way is doomed: its next commit answers
 *       {@code TRANSACTION_ROLLED_BACK} (and {@link ClientSession#commit} rolls the new transaction back); a commit
 *       that was on the wire when the channel broke is answered with its outcome, asked of the new broker by its
 *       commit id ({@link #resolveCommits}): done, or rolled back when the broker has no record of it;</li>
 *   <li>acknowledgements, rollbacks, recovers and closes of the old channel are answered locally: the broker
 *       (the same one restarted, or a backup) gives every unacknowledged message again, flagged redelivered,
 *       because it counted the delivery before making it;</li>
 *   <li>XA calls and browsers fail with a connection failure ({@code XAER_RMFAIL} for XA);</li>
 *   <li>the rest (temporary destinations, management, unsubscribe...) is sent again.</li>
 * </ul>
 * The connection's listener (the JMS {@code ExceptionListener}) hears only when failover gives up.
 *
 * <p>Threads: {@link #beforeRequest} on any application thread; {@link #channelLost} and {@link #writeFailed}
 * on event loops; the reconnection runs on a thread of its own, one at a time.
 */
final class Failover {

    private static final Logger LOG = LoggerFactory.getLogger(Failover.class);

    private final ClientConnection connection;
    private final ConnectionUrl url;
    /** How each open consumer was created, by consumer id, to create it again. */
    private final Map<Long, CreateConsumer> consumerSpecs = new ConcurrentHashMap<>();
    /** Transacted sessions with sends or acknowledgements since their last commit or rollback. */
    private final Set<Integer> dirty = ConcurrentHashMap.newKeySet();
    /** Transacted sessions whose transaction was lost with a channel: their next commit rolls back. */
    private final Set<Integer> doomed = ConcurrentHashMap.newKeySet();
    /** Commits lost with a channel whose outcome the new one told ({@link #resolveCommits}), by correlation id. */
    private final Map<Long, Boolean> resolved = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean established;
    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile int current;
    private volatile int restored;

    Failover(ClientConnection connection) {
        this.connection = connection;
        this.url = connection.url();
    }

    int restoredCount() {
        return restored;
    }

    // ---- first connection -------------------------------------------------------------------------------

    /** Connects the first time, with the same hosts, backoff and bound as a failover. */
    void connectFirst() throws ClientException {
        List<TransportAddress> addresses = url.addresses();
        ClientException last = null;
        long delay = url.reconnectDelayMillis();
        for (int pass = 0; passAllowed(pass); pass++) {
            if (pass > 0 && !sleep(delay)) {
                break;
            }
            for (int i = 0; i < addresses.size(); i++) {
                try {
                    connection.reopen(addresses.get(i));
                    current = i;
                    established = true;
                    return;
                } catch (ClientException e) {
                    last = e;
                    connection.abandonChannel();
                    if (!e.isConnectionFailure()) {
                        throw e;
                    }
                }
            }
            delay = Math.min(delay * 2, url.maxReconnectDelayMillis());
        }
        throw last != null ? last : ClientException.connectionFailure("connection closed while connecting", null);
    }

    private boolean passAllowed(int pass) {
        int attempts = url.reconnectAttempts();
        return pass == 0 || attempts < 0 || pass <= attempts;
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- watching requests ------------------------------------------------------------------------------

    /**
     * Sees every request before it is sent: remembers what is needed to restore the connection, gives a
     * persistent send of a non-transacted session a duplicate-detection id, and returns the request to send.
     */
    Packet.Request beforeRequest(Packet.Request request) {
        switch (request.type()) {
            case SEND -> {
                Send send = (Send) request;
                ClientSession session = connection.sessions().get(send.sessionId());
                if (session != null && (session.isTransacted() || inXaBranch(session))) {
                    dirty.add(send.sessionId());
                    return request;
                }
                // an XA session outside a branch sends as a non-transacted one (the adapter's handles outside a
                // container transaction): stored once through its duplicate id, like any other
                return withDuplicateId(send);
            }
            case LARGE_CHUNK -> {
                ClientSession session = connection.sessions().get(((LargeChunk) request).sessionId());
                if (session != null && session.isTransacted()) {
                    dirty.add(session.id()); // a large send under way: the transaction is lost with the channel
                }
            }
            case ACKNOWLEDGE -> {
                ClientSession session = connection.sessions().get(((Acknowledge) request).sessionId());
                if (session != null && session.isTransacted()) {
                    dirty.add(session.id());
                }
            }
            case ROLLBACK -> {
                int id = ((Rollback) request).sessionId();
                dirty.remove(id);
                doomed.remove(id);
            }
            case COMMIT -> dirty.remove(((Commit) request).sessionId());
            case CREATE_CONSUMER -> {
                CreateConsumer c = (CreateConsumer) request;
                consumerSpecs.put(c.consumerId(), c);
            }
            case CLOSE_CONSUMER -> consumerSpecs.remove(((CloseConsumer) request).consumerId());
            case CLOSE_SESSION -> {
                dirty.remove(((CloseSession) request).sessionId());
                doomed.remove(((CloseSession) request).sessionId());
            }
            default -> {
            }
        }
        return request;
    }

    /** An answer given without the broker, or null: the commit of a doomed transaction rolls back. */
    Packet.Response localAnswer(Packet.Request request) {
        if (request instanceof Commit commit && doomed.remove(commit.sessionId())) {
            return rolledBack(commit.correlationId(), "the connection failed over while a transaction was under way");
        }
        return null;
    }

    private static boolean inXaBranch(ClientSession session) {
        return session.isXa() && session.isXaAssociated();
    }

    private static ErrorResponse rolledBack(long correlationId, String why) {
        return new ErrorResponse(correlationId, ErrorCode.TRANSACTION_ROLLED_BACK, why + "; it was rolled back");
    }

    /** Whether {@code send} is the message of a large upload (it names chunks sent before it). */
    private static boolean namesUpload(Send send) {
        try {
            return EncodedMessage.wrap(send.message()).isLarge();
        } catch (MalformedMessageException e) {
            return false;
        }
    }

    private static Packet.Request withDuplicateId(Send send) {
        EncodedMessage message;
        try {
            message = EncodedMessage.wrap(send.message());
        } catch (MalformedMessageException e) {
            return send; // the broker refuses it with the right error
        }
        if (!message.persistent() || message.duplicateId() != null) {
            return send;
        }
        String id = message.messageId() != null ? message.messageId() : "tern-failover:" + UUID.randomUUID();
        EncodedMessage marked = message.withProperties(Map.of(MessageDescriptor.DUPLICATE_ID_PROPERTY, id));
        return new Send(send.correlationId(), send.sessionId(), marked.bytes());
    }

    // ---- losing the channel -----------------------------------------------------------------------------

    /** The event loop saw {@code closed} close. */
    void channelLost(Channel closed) {
        failInternal(closed);
        if (!established || stopped || closed != connection.channel() || connection.isReconnecting()) {
            return; // a failed attempt, or a loss a running reconnection already handles
        }
        LOG.warn("{}: connection lost; failing over", connection);
        connection.setReconnecting(true);
        // what the lost channel delivered and nobody took comes again from the broker: never hand it out now
        for (ClientConsumer consumer : connection.consumers().values()) {
            consumer.drain(false);
        }
        for (ClientSession s : connection.sessions().values()) {
            if (s.isTransacted() && (dirty.contains(s.id()) || s.unacknowledgedCount() > 0)) {
                doomed.add(s.id());
            }
        }
        if (running.compareAndSet(false, true)) {
            Thread t = new Thread(this::run, "tern-failover-" + connection);
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    /** Handshake and restore requests belong to their channel: they fail with it. */
    private void failInternal(Channel closed) {
        for (ClientConnection.PendingRequest p : new ArrayList<>(connection.pending().values())) {
            if (p.internal && p.claim.get() == closed && connection.pending().remove(p.request.correlationId()) != null) {
                p.fail(ClientException.connectionFailure("connection lost during failover", null));
            }
        }
    }

    /** A request's write on {@code channel} failed: if a failover already restored the connection, settle it now. */
    void writeFailed(ClientConnection.PendingRequest p, Channel channel) {
        Channel now = connection.channel();
        if (!connection.isReconnecting() && now != channel && p.claim.compareAndSet(channel, now)) {
            settle(p, true, now);
        }
    }

    // ---- reconnecting -----------------------------------------------------------------------------------

    private void run() {
        try {
            while (!stopped) {
                reconnect();
                running.set(false);
                // a loss during the last steps of a restore found us running: go round again
                if (!connection.isReconnecting() || stopped || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        } finally {
            running.set(false);
        }
    }

    private void reconnect() {
        List<TransportAddress> addresses = url.addresses();
        long delay = url.reconnectDelayMillis();
        long started = System.nanoTime();
        Exception last = null;
        for (int pass = 0; passAllowed(pass) && !stopped; pass++) {
            if (pass > 0 && !sleep(delay)) {
                return;
            }
            for (int k = 1; k <= addresses.size() && !stopped; k++) {
                int i = (current + k) % addresses.size();
                try {
                    restoreOn(addresses.get(i));
                    current = i;
                    restored++;
                    LOG.info("{}: failed over to {} in {} ms", connection, addresses.get(i),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    return;
                } catch (ClientException | RuntimeException e) {
                    last = e;
                    LOG.debug("{}: failover to {} failed: {}", connection, addresses.get(i), e.toString());
                    Channel ch = connection.channel();
                    if (ch != null) {
                        ch.close();
                    }
                    if (!connection.isReconnecting()) {
                        // the restore failed after requests flowed again: start over as after a new loss
                        connection.setReconnecting(true);
                    }
                }
            }
            delay = Math.min(delay * 2, url.maxReconnectDelayMillis());
        }
        if (!stopped) {
            connection.failoverGaveUp(ClientException.connectionFailure("failover gave up after "
                    + url.reconnectAttempts() + " passes over " + addresses + ": " + last, last));
        }
    }

    private void restoreOn(TransportAddress address) throws ClientException {
        connection.reopen(address);
        Channel ch = connection.channel();
        String clientId = connection.clientId();
        if (clientId != null) {
            call(new SetClientId(connection.nextCorrelationId(), clientId));
        }
        if (connection.isDeliveryStarted()) {
            call(new DeliveryState(connection.nextCorrelationId(), true));
        }
        for (Address temporary : connection.temporaries()) {
            call(new CreateTemporary(connection.nextCorrelationId(), temporary));
        }
        // what the old channel delivered goes back to the broker's queues by itself: forget it here
        for (ClientConsumer consumer : connection.consumers().values()) {
            consumer.drain(false);
        }
        for (ClientSession session : connection.sessions().values()) {
            session.failedOver();
        }
        for (ClientSession session : new ArrayList<>(connection.sessions().values())) {
            if (!session.isClosed()) {
                call(new CreateSession(connection.nextCorrelationId(), session.id(), session.ackMode()));
            }
        }
        resolveCommits(ch);
        settleWaiting(ch);
        connection.setReconnecting(false);
        settleWaiting(ch); // those that saw "reconnecting" just before it ended
        if (!ch.isActive()) {
            // lost while "reconnecting" still held: its channelLost left the loss to this restore, and what
            // settleWaiting wrote on it went nowhere, so it is not restored (a broker that is stopping may answer
            // the handshake and the sessions, then close)
            throw ClientException.connectionFailure("connection lost while it was being restored", null);
        }
        // consumers last: a delivery to them may only ever be acknowledged on this channel
        consumerSpecs.keySet().removeIf(id -> !connection.consumers().containsKey(id));
        for (ClientConsumer consumer : new ArrayList<>(connection.consumers().values())) {
            CreateConsumer spec = consumerSpecs.get(consumer.id());
            if (spec != null && !consumer.isClosed()) {
                call(new CreateConsumer(connection.nextCorrelationId(), spec.sessionId(), spec.consumerId(),
                        spec.address(), spec.selector(), spec.noLocal(), spec.subscriptionName(), spec.durable(),
                        spec.shared(), spec.credits()));
            }
        }
    }

    /**
     * Asks the broker about each commit that went out on a lost channel with a commit id: whether it happened
     * there (a backup that took over, or the same broker restarted, has the commit's record exactly when it has
     * the commit). {@link #settle} answers the application with what it says.
     */
    private void resolveCommits(Channel ch) throws ClientException {
        for (ClientConnection.PendingRequest p : connection.pending().values()) {
            Channel claimed = p.claim.get();
            if (p.internal || !(p.request instanceof Commit commit) || commit.commitId() == null || claimed == null
                    || claimed == ch) {
                continue;
            }
            boolean happened;
            try {
                call(new CommitOutcome(connection.nextCorrelationId(), commit.commitId()));
                happened = true;
            } catch (ClientException e) {
                if (e.code() != ErrorCode.TRANSACTION_ROLLED_BACK) {
                    throw e;
                }
                happened = false;
            }
            LOG.info("{}: commit {} was under way when the connection was lost; the broker says it {}", connection,
                    commit.commitId(), happened ? "happened" : "did not happen");
            resolved.put(commit.correlationId(), happened);
        }
    }

    private void call(Packet.Request request) throws ClientException {
        ClientConnection.await(connection.requestInternal(request), connection.requestTimeoutMillis());
    }

    /** Settles, in request order, every waiting request not yet written on {@code ch}. */
    private void settleWaiting(Channel ch) {
        List<ClientConnection.PendingRequest> waiting = new ArrayList<>();
        for (ClientConnection.PendingRequest p : connection.pending().values()) {
            if (!p.internal) {
                waiting.add(p);
            }
        }
        waiting.sort(Comparator.comparingLong(p -> p.request.correlationId()));
        for (ClientConnection.PendingRequest p : waiting) {
            while (true) {
                Channel claimed = p.claim.get();
                if (claimed == ch) {
                    break;
                }
                if (p.claim.compareAndSet(claimed, ch)) {
                    settle(p, claimed != null, ch);
                    break;
                }
            }
        }
    }

    /**
     * Sends a waiting request again on {@code ch}, or answers it here.
     *
     * @param wasWritten whether it went out on a channel now lost (so the broker may have acted on it)
     */
    private void settle(ClientConnection.PendingRequest p, boolean wasWritten, Channel ch) {
        Packet.Request r = p.request;
        switch (r.type()) {
            case SEND -> {
                ClientSession session = connection.sessions().get(((Send) r).sessionId());
                if (session != null && inXaBranch(session)) {
                    fail(p, "the connection failed over while an XA send was under way");
                } else if (session != null && session.isTransacted() && doomed.contains(session.id())) {
                    answer(p, new Ok(r.correlationId())); // its transaction rolls back at commit
                } else if (namesUpload((Send) r)) {
                    // its chunks went to the broker on the lost channel: ClientSession#sendLarge uploads it again
                    fail(p, "the connection failed over while a large message was being sent");
                } else {
                    connection.write(p, ch);
                }
            }
            case LARGE_CHUNK -> {
                LargeChunk chunk = (LargeChunk) r;
                if (chunk.data() == null) {
                    answer(p, new Ok(r.correlationId())); // abandoning an upload the broker no longer has
                } else if (wasWritten) {
                    fail(p, "the connection failed over during a large message's upload");
                } else {
                    connection.write(p, ch); // sendLarge sees the channel changed if earlier chunks went on the old
                }
            }
            case COMMIT -> {
                int id = ((Commit) r).sessionId();
                Boolean happened = resolved.remove(r.correlationId());
                if (wasWritten && happened != null) {
                    doomed.remove(id);
                    answer(p, happened ? new Ok(r.correlationId()) : rolledBack(r.correlationId(),
                            "the connection failed over while the commit was under way, and the broker has no record"
                            + " of it"));
                } else if (wasWritten || doomed.remove(id)) {
                    doomed.remove(id);
                    answer(p, rolledBack(r.correlationId(), wasWritten
                            ? "the connection failed over while the commit was under way, so its outcome is unknown"
                            : "the connection failed over while a transaction was under way"));
                } else {
                    connection.write(p, ch);
                }
            }
            case ACKNOWLEDGE, ROLLBACK, RECOVER, CLOSE_SESSION, CLOSE_CONSUMER, CREATE_SESSION, CREATE_CONSUMER,
                    DELIVERY_STATE, CLOSE_CONNECTION, FLUSH_CONSUMER, CLOSE_BROWSER -> answer(p, new Ok(r.correlationId()));
            case XA_REQUEST, CREATE_BROWSER, BROWSE_NEXT -> fail(p, "the connection failed over during " + r.type());
            default -> connection.write(p, ch);
        }
    }

    private void answer(ClientConnection.PendingRequest p, Packet.Response response) {
        if (connection.pending().remove(p.request.correlationId()) != null) {
            p.complete(response);
        }
    }

    private void fail(ClientConnection.PendingRequest p, String why) {
        if (connection.pending().remove(p.request.correlationId()) != null) {
            p.fail(ClientException.connectionFailure(why, null));
        }
    }

    /** The connection is closing: no further attempts. */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(url.connectTimeoutMillis() + 2000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
