package org.ternmq.broker.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.protocol.Acknowledge;
import org.ternmq.protocol.BrowseBatch;
import org.ternmq.protocol.BrowseNext;
import org.ternmq.protocol.CloseBrowser;
import org.ternmq.protocol.CloseConsumer;
import org.ternmq.protocol.CloseSession;
import org.ternmq.protocol.Commit;
import org.ternmq.protocol.CreateBrowser;
import org.ternmq.protocol.CreateConsumer;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.CreateTemporary;
import org.ternmq.protocol.Credit;
import org.ternmq.protocol.DeleteTemporary;
import org.ternmq.protocol.DeliveryFailure;
import org.ternmq.protocol.DeliveryState;
import org.ternmq.protocol.Manage;
import org.ternmq.protocol.Disconnect;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.FlushConsumer;
import org.ternmq.protocol.FrameDescriptor;
import org.ternmq.protocol.Hello;
import org.ternmq.protocol.HelloOk;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.Recover;
import org.ternmq.protocol.Rollback;
import org.ternmq.protocol.Send;
import org.ternmq.protocol.SetClientId;
import org.ternmq.protocol.Unsubscribe;
import org.ternmq.selector.Selector;
import org.ternmq.selector.SelectorSyntaxException;
import org.ternmq.broker.security.AuditLog;
import org.ternmq.broker.security.AuthenticatedUser;
import org.ternmq.broker.security.Authenticator;
import org.ternmq.broker.security.LoginRequest;
import org.ternmq.broker.security.Permission;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's side of one client connection: its sessions, consumers, browsers and temporary
 * destinations, and the handling of each request it sends.
 *
 * <p>Owned by the agent thread: the Netty handler hands every packet over, right where it reads it when the channel
 * is on the agent's event loop (TCP, {@link BrokerAgent#runInBurst}), else as a task ({@link BrokerAgent#execute}).
 * Its writes go to the channel's outbound buffer and are flushed when the task or read burst ends.
 */
public final class BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);

    final BrokerAgent agent;
    private final Channel channel;
    private final String id;
    /** Who logged in; null until the login succeeded. Written on the agent thread, read by the handshake timer. */
    private volatile AuthenticatedUser user;
    private boolean helloReceived;
    private String clientId;
    /** The resume key of the handshake ({@link #resume}), or null. */
    private String resumeKey;
    private boolean closed;
    private final Map<Integer, BrokerSession> sessions = new HashMap<>();
    private final long connectedAt = System.currentTimeMillis();
    /** Most destinations remembered per connection for the producers metric (bounds a connection's memory). */
    private static final int MAX_SENT_TO = 10_000;
    /** Destinations this connection has sent to (for the producers metric; temporary ones are not kept). */
    private final java.util.Set<org.ternmq.message.Address> sentTo = new java.util.HashSet<>();
    private final Map<Long, BrokerConsumer> consumers = new HashMap<>();
    private final Map<Long, BrowserCursor> browsers = new HashMap<>();
    private LargeTransfers large;
    private long lastDeliveryId;
    private boolean unflushed;
    /**
     * What this connection was sent from its first delivery of a stored message whose count is not written yet on, in
     * order: it leaves once the record counting that delivery is in the journal's files ({@link #deliveryCounted}).
     */
    private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();
    /** Whether this task counted a delivery to this connection: what it sends from then on is held. */
    private boolean countedInTask;
    /** Whether this task held a packet here (the agent then tells this connection when the task ends). */
    private boolean heldInTask;
    /** The write the first held packet waits for, once the agent was asked to release this connection after it. */
    private java.util.concurrent.CompletableFuture<Void> releaseRequested;
    /** JMS start/stop: a connection begins stopped, and a stopped one is sent no messages. */
    private boolean deliveryStarted;

    public BrokerConnection(BrokerAgent agent, Channel channel) {
        this.agent = agent;
        this.channel = channel;
        this.id = agent.newConnectionId();
    }

    String id() {
        return id;
    }

    java.util.Set<org.ternmq.message.Address> sentTo() {
        return sentTo;
    }

    int sessionCount() {
        return sessions.size();
    }

    /** Adds this connection's unacknowledged deliveries to {@code counts}, per queue. */
    void countInFlight(Map<MessageQueue, int[]> counts) {
        for (BrokerSession s : sessions.values()) {
            s.countInFlight(counts);
        }
    }

    BrokerStatistics.Connection info() {
        return new BrokerStatistics.Connection(id, clientId, user == null ? null : user.name(), String.valueOf(channel.remoteAddress()), connectedAt,
                sessions.size(), consumers.size());
    }

    String clientId() {
        return clientId;
    }

    /** Who this connection is, for message traces: id, client id, user and remote address. */
    String describe() {
        return "connection " + id + " (client id " + (clientId == null ? "none" : clientId) + ", user "
 + (user == null ? "none" : user.name()) + ", from " + channel.remoteAddress() + ")";
    }

    boolean deliveryStarted() {
        return deliveryStarted;
    }

    long nextDeliveryId() {
        return ++lastDeliveryId;
    }

    /** Registers the connection with the agent. Agent thread. */
    public void opened() {
        agent.connected(this);
    }

    /** The channel closed: everything not acknowledged goes back, temporary destinations go away. Agent thread. */
    public void channelClosed() {
        if (closed) {
            return;
        }
        closed = true;
        held.clear(); // never shown: their deliveries go back to their queues counted, as any unacknowledged one
        Set<MessageQueue> touched = new java.util.LinkedHashSet<>();
        for (BrokerSession s : new ArrayList<>(sessions.values())) {
            touched.addAll(closeSession(s, Long.MAX_VALUE, new long[0]));
        }
        browsers.clear();
        if (large != null) {
            large.closed();
        }
        agent.disconnected(this);
        touched.forEach(MessageQueue::dispatch);
        LOG.debug("connection {} closed", id);
    }

    /** Handles one packet from the client. Agent thread. */
    public void handle(Packet packet) {
        if (closed) {
            return;
        }
        if (packet instanceof Credit credit) {
            onCredit(credit);
            return;
        }
        if (packet instanceof org.ternmq.protocol.LargePull pull) {
            large().pull(pull);
            return;
        }
        if (packet instanceof DeliveryFailure failure) {
            BrokerSession s = sessions.get(failure.sessionId());
            if (s != null) {
                s.deliveryFailed(failure.deliveryId(), failure.reason());
            }
            return;
        }
        if (!(packet instanceof Packet.Request request)) {
            protocolViolation("unexpected packet " + packet.type() + " from a client");
            return;
        }
        if (user == null && !(request instanceof Hello)) {
            protocolViolation(packet.type() + " before the handshake");
            return;
        }
        try {
            Packet.Response response = handleRequest(request);
            if (response != null) {
                write(response);
            }
        } catch (BrokerException e) {
            write(new ErrorResponse(request.correlationId(), e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("connection {}: failed to handle {}", id, request, e);
            write(new ErrorResponse(request.correlationId(), ErrorCode.INTERNAL, "internal error: " + e));
        }
    }

    private Packet.Response handleRequest(Packet.Request r) throws BrokerException {
        long corr = r.correlationId();
        switch (r.type()) {
            case HELLO:
                return hello((Hello) r);
            case SET_CLIENT_ID:
                setClientId(((SetClientId) r).clientId());
                return new Ok(corr);
            case CREATE_SESSION:
                createSession((CreateSession) r);
                return new Ok(corr);
            case CLOSE_SESSION:
                return closeSession((CloseSession) r);
            case CREATE_CONSUMER:
                return createConsumer((CreateConsumer) r);
            case CLOSE_CONSUMER:
                return closeConsumer((CloseConsumer) r);
            case FLUSH_CONSUMER:
                flushConsumer((FlushConsumer) r);
                return new Ok(corr);
            case SEND:
                return send((Send) r);
            case LARGE_CHUNK:
                large().chunk((org.ternmq.protocol.LargeChunk) r);
                return null;
            case ACKNOWLEDGE:
                Acknowledge ack = (Acknowledge) r;
                BrokerSession acking = session(ack.sessionId());
                acking.acknowledge(ack.deliveryIds());
                if (acking.acknowledgesLazily()) {
                    // the client does not wait for this answer: it goes now (none for a one-way acknowledgement,
                    // correlation id 0), the records are written when the task ends and ride the next force,
                    // without a second wake-up of this thread for the answer
                    return corr == 0 ? null : new Ok(corr);
                }
                return respondWhenStored(corr);
            case COMMIT:
                commit((Commit) r);
                return respondWhenStored(corr);
            case COMMIT_OUTCOME:
                return commitOutcome((org.ternmq.protocol.CommitOutcome) r);
            case ROLLBACK:
                Rollback rb = (Rollback) r;
                BrokerSession rolling = session(rb.sessionId());
                return respondThenRedeliver(corr, rolling, rolling.rollback(rb.lastReceived(), rb.unconsumed(), null));
            case RECOVER:
                Recover rc = (Recover) r;
                BrokerSession s = session(rc.sessionId());
                if (s.transacted()) {
                    throw new BrokerException(ErrorCode.ILLEGAL_STATE, "recover on a transacted session");
                }
                return respondThenRedeliver(corr, s, s.rollback(rc.lastReceived(), rc.unconsumed(), null));
            case CREATE_BROWSER:
                createBrowser((CreateBrowser) r);
                return new Ok(corr);
            case BROWSE_NEXT:
                return browseNext((BrowseNext) r);
            case CLOSE_BROWSER:
                browsers.remove(((CloseBrowser) r).browserId());
                return new Ok(corr);
            case CREATE_TEMPORARY:
                require(Permission.CREATE_TEMPORARY, ((CreateTemporary) r).address());
                agent.temporaries().create(((CreateTemporary) r).address(), this);
                return new Ok(corr);
            case DELETE_TEMPORARY:
                agent.temporaries().delete(((DeleteTemporary) r).address(), this);
                return new Ok(corr);
            case UNSUBSCRIBE:
                Subscription named = agent.namedSubscription(this, ((Unsubscribe) r).subscriptionName());
                if (named != null) {
                    require(Permission.DELETE_DURABLE, named.topic);
                }
                agent.unsubscribe(this, ((Unsubscribe) r).subscriptionName());
                return new Ok(corr);
            case PING:
                return new Ok(corr);
            case MANAGE:
                return manage((Manage) r);
            case DELIVERY_STATE:
                return deliveryState((DeliveryState) r);
            case XA_REQUEST:
                return agent.xa().handle(this, (org.ternmq.protocol.XaRequest) r);
            case HALF_REQUEST:
                return half((org.ternmq.protocol.HalfRequest) r);
            case CLOSE_CONNECTION:
                // closed by its client: none of its commits will be asked about
                sessions.values().forEach(this::forgetCommits);
                // everything released before the answer: the client id is free when the client's close returns
                channelClosed();
                write(new Ok(corr));
                return null;
            default:
                throw new BrokerException(ErrorCode.UNSUPPORTED, "unsupported request " + r.type());
        }
    }

    private Packet.Response half(org.ternmq.protocol.HalfRequest r) throws BrokerException {
        long corr = r.correlationId();
        switch (r.operation()) {
            case COMMIT, ROLLBACK -> {
                boolean commit = r.operation() == org.ternmq.protocol.HalfOperation.COMMIT;
                agent.halves().complete(r.halfId(), commit, "by connection " + id, failure -> write(failure == null
                        ? new Ok(corr) : new ErrorResponse(corr, ErrorCode.RESOURCE_ALLOCATION, failure)));
                return null;
            }
            case UNKNOWN -> agent.halves().unknown(r.halfId(), this);
            case REGISTER_CHECKER -> agent.halves().register(this, r.group());
            case UNREGISTER_CHECKER -> agent.halves().unregister(this, r.group());
            default -> throw new BrokerException(ErrorCode.UNSUPPORTED, "unknown half-message operation " + r.operation());
        }
        return new Ok(corr);
    }

    private Packet.Response deliveryState(DeliveryState r) {
        deliveryStarted = r.started();
        if (!deliveryStarted) {
            return new Ok(r.correlationId());
        }
        Set<MessageQueue> queues = new java.util.LinkedHashSet<>();
        for (BrokerConsumer c : consumers.values()) {
            queues.add(c.queue);
        }
        return respondThenDispatch(r.correlationId(), queues);
    }

    private Packet.Response manage(Manage m) throws BrokerException {
        boolean ownReplay = ManagementOperations.REPLAY.equals(m.operation()) && clientId != null
                && agent.isDurableSubscriptionOf(m.queue(), clientId);
        // an operation on one queue needs manage on it; one on the whole broker, manage on every name (#)
        String target = m.queue() == null || m.queue().isEmpty() ? "#" : m.queue();
        if (!ownReplay && !allowed(Permission.MANAGE, target)) {
            AuditLog.denied(user.name(), id, channel.remoteAddress(), Permission.MANAGE.key(), target);
            AuditLog.management(user.name(), id, m.operation(), arguments(m), "denied");
            throw new BrokerException(ErrorCode.SECURITY, "user '" + user.name() + "' lacks permission 'manage' on '"
                    + target + "' (administrators have the role '" + Authenticator.ADMIN_ROLE + "')");
        }
        AuditLog.management(user.name(), id, m.operation(), arguments(m), "allowed");
        agent.management().run(m, this::write);
        return null;
    }

    private static final String JMSX_USER_ID = "JMSXUserID";

    /**
     * Checks a permission of the logged-in user on {@code destination}; temporary destinations need none
     * beyond their own rules (only their connection consumes; anyone may reply to them).
     *
     * @throws BrokerException {@code SECURITY} naming the permission and the destination, audited
     */
    private void require(Permission permission, Address destination) throws BrokerException {
        if (destination == null || (destination.kind().isTemporary() && permission != Permission.CREATE_TEMPORARY)) {
            return;
        }
        String name = permission == Permission.CREATE_TEMPORARY ? "temporary destinations" : destination.name();
        if (!allowed(permission, permission == Permission.CREATE_TEMPORARY ? "#" : name)) {
            AuditLog.denied(user.name(), id, channel.remoteAddress(), permission.key(), name);
            throw new BrokerException(ErrorCode.SECURITY, "user '" + user.name() + "' lacks permission '"
                    + permission.key() + "' on " + (permission == Permission.CREATE_TEMPORARY ? name
                    : (destination.isQueue() ? "queue '" : "topic '") + name + "'"));
        }
    }

    private boolean allowed(Permission permission, String destination) {
        return agent.authenticator().isAdministrator(user) || agent.permissions().allows(user, permission, destination);
    }

    private static String arguments(Manage m) {
        return "queue=" + m.queue() + " target=" + m.target() + " selector=" + m.selector();
    }

    /** Whether the login succeeded (any thread: the handshake timer asks). */
    public boolean loggedIn() {
        return user != null;
    }

    private Packet.Response hello(Hello h) {
        if (helloReceived) {
            protocolViolation("second handshake");
            return null;
        }
        helloReceived = true;
        if (h.magic() != FrameDescriptor.MAGIC || h.version() != FrameDescriptor.PROTOCOL_VERSION) {
            refuse(h.correlationId(), ErrorCode.UNSUPPORTED, "unsupported protocol magic/version "
                    + Integer.toHexString(h.magic()) + "/" + h.version());
            return null;
        }
        if (h.connectionTtlMillis() < 0) {
            refuse(h.correlationId(), ErrorCode.MALFORMED, "a connection TTL must be 0 (none) or a positive number of"
                    + " milliseconds, not " + h.connectionTtlMillis());
            return null;
        }
        LoginRequest request = new LoginRequest(h.user(), h.password(), peerCertificate(), channel.remoteAddress());
        // off the agent thread: a password hash takes a fifth of a second on purpose, and failures are slowed
        agent.authenticator().login(request, id, outcome -> agent.execute(() -> loginDone(h, outcome)));
        return null;
    }

    private void loginDone(Hello h, Authenticator.Outcome outcome) {
        if (closed) {
            return;
        }
        if (!outcome.succeeded()) {
            refuse(h.correlationId(), ErrorCode.SECURITY, outcome.refusal());
            return;
        }
        user = outcome.user();
        if (h.resumeKey() != null) {
            resume(h.resumeKey());
        }
        if (h.connectionTtlMillis() > 0) {
            // counts raw reads, before any decoding: a large frame arriving slowly is not silence
            channel.pipeline().addBefore("decoder", "ttl", new io.netty.handler.timeout.IdleStateHandler(
                    h.connectionTtlMillis(), 0, 0, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        write(new HelloOk(h.correlationId(), id, agent.brokerName(), BrokerVersion.VERSION, agent.producerWindow(),
                agent.nodeId()));
    }

    /**
     * The client reconnected with {@code key}: an older connection of it that is still open here (its client saw it
     * fail, this broker did not; the old socket may even hold requests not read yet) is closed now, as if its channel
     * had gone, before this one is answered. Nothing that connection sent can then happen after this one asks what
     * happened (a commit's outcome), and the client id and subscriptions it held are free for the new one. Only a
     * connection of the same user is closed so.
     */
    private void resume(String key) {
        resumeKey = key;
        BrokerConnection older = agent.resumed(key, this);
        if (older == null) {
            return;
        }
        if (!java.util.Objects.equals(older.userName(), userName())) {
            LOG.warn("connection {} ({}) gave the resume key of connection {} ({}): not closing that one", id,
                    userName(), older.id, older.userName());
            return;
        }
        LOG.info("closing connection {}: its client reconnected as connection {}", older.id, id);
        older.channel.close();
        older.channelClosed();
    }

    /** The key this connection's client gave to supersede its older connections, or null. */
    String resumeKey() {
        return resumeKey;
    }

    private String userName() {
        AuthenticatedUser u = user;
        return u == null ? null : u.name();
    }

    /** The client's TLS certificate, verified by the handshake, or null (no TLS, or none presented). */
    private X509Certificate peerCertificate() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }

    /** How long a refused connection stays open after its answer was written. */
    private static final long REFUSAL_CLOSE_DELAY_MILLIS = 200;

    private void refuse(long corr, ErrorCode code, String message) {
        closed = true;
        // closed a moment after the answer is written: an in-VM peer closed at once may drop what it has not
        // read yet (Netty's LocalChannel releases its inbound queue), and the client must see why it was refused
        channel.writeAndFlush(new ErrorResponse(corr, code, message)).addListener(written ->
                channel.eventLoop().schedule(() -> channel.close(), REFUSAL_CLOSE_DELAY_MILLIS,
                        java.util.concurrent.TimeUnit.MILLISECONDS));
        agent.disconnected(this);
    }

    private void setClientId(String requested) throws BrokerException {
        if (requested == null || requested.isEmpty()) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client id must not be empty");
        }
        if (clientId != null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "client id already set to '" + clientId + "'");
        }
        agent.claimClientId(this, requested);
        clientId = requested;
    }

    private void createSession(CreateSession r) throws BrokerException {
        if (r.ackMode() < 0 || r.ackMode() > BrokerSession.XA) {
            throw new BrokerException(ErrorCode.MALFORMED, "unknown acknowledge mode " + r.ackMode());
        }
        if (sessions.containsKey(r.sessionId())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "session " + r.sessionId() + " exists");
        }
        sessions.put(r.sessionId(), new BrokerSession(r.sessionId(), r.ackMode(), this));
    }

    private Packet.Response closeSession(CloseSession r) {
        BrokerSession s = sessions.get(r.sessionId());
        if (s == null) {
            return new Ok(r.correlationId());
        }
        forgetCommits(s);
        return respondThenDispatch(r.correlationId(), closeSession(s, r.lastReceived(), r.unconsumed()));
    }

    /** {@code s} is closed by its client, so the outcome of its last commit will not be asked. */
    private void forgetCommits(BrokerSession s) {
        if (s.commitKey() != null) {
            agent.commitOutcomes().forget(s.commitKey());
        }
    }

    private Set<MessageQueue> closeSession(BrokerSession s, long lastReceived, long[] unconsumed) {
        sessions.remove(s.id);
        agent.xa().sessionClosed(s);
        List<BrokerConsumer> mine = new ArrayList<>();
        for (BrokerConsumer c : consumers.values()) {
            if (c.session == s) {
                mine.add(c);
            }
        }
        for (BrokerConsumer c : mine) {
            consumers.remove(c.id);
            c.close();
        }
        browsers.clear();
        Set<MessageQueue> touched = s.rollback(lastReceived, unconsumed, null);
        for (BrokerConsumer c : mine) {
            if (c.subscription != null) {
                agent.consumerClosed(c.subscription);
            }
        }
        return touched;
    }

    private Packet.Response createConsumer(CreateConsumer r) throws BrokerException {
        BrokerSession session = session(r.sessionId());
        if (consumers.containsKey(r.consumerId())) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "consumer " + r.consumerId() + " exists");
        }
        Address address = r.address();
        if (address == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "consumer needs a destination");
        }
        require(Permission.CONSUME, address);
        if (!address.isQueue() && r.subscriptionName() != null && r.durable()) {
            Subscription existing = agent.namedSubscription(this, r.subscriptionName());
            if (existing == null || !existing.topic.name().equals(address.name())) {
                require(Permission.CREATE_DURABLE, address);
            }
        }
        Selector selector = parseSelector(r.selector());
        BrokerConsumer consumer;
        if (address.isQueue()) {
            MessageQueue q = agent.queue(address, this, true);
            consumer = new BrokerConsumer(r.consumerId(), session, q, selector, null, r.credits());
        } else {
            BrokerTopic topic = agent.topic(address, this, true);
            Subscription sub = agent.subscribe(this, topic, address, r.selector(), selector, r.noLocal(),
                    r.subscriptionName(), r.durable(), r.shared());
            consumer = new BrokerConsumer(r.consumerId(), session, sub.queue, null, sub, r.credits());
        }
        consumer.queue.addConsumer(consumer);
        consumers.put(consumer.id, consumer);
        return respondThenDispatch(r.correlationId(), Set.of(consumer.queue));
    }

    private static Selector parseSelector(String text) throws BrokerException {
        try {
            return Selector.parse(text);
        } catch (SelectorSyntaxException e) {
            throw new BrokerException(ErrorCode.INVALID_SELECTOR, "invalid selector: " + e.getMessage());
        }
    }

    private Packet.Response closeConsumer(CloseConsumer r) {
        BrokerConsumer c = consumers.remove(r.consumerId());
        if (c == null) {
            return new Ok(r.correlationId());
        }
        c.close();
        Set<MessageQueue> touched = c.session.returnUnseen(c, r.lastReceived(), r.unconsumed());
        if (c.subscription != null) {
            agent.consumerClosed(c.subscription);
        }
        return respondThenDispatch(r.correlationId(), touched);
    }

    private void flushConsumer(FlushConsumer r) throws BrokerException {
        BrokerConsumer c = consumers.get(r.consumerId());
        if (c == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "no consumer " + r.consumerId());
        }
        c.queue.dispatch();
    }

    private void onCredit(Credit credit) {
        BrokerConsumer c = consumers.get(credit.consumerId());
        if (c != null) {
            c.grant(credit.messages());
            c.queue.dispatch();
        }
    }

    /**
     * Answers once everything this task changed is forced to disk (at once when nothing was): an answered
     * commit or client acknowledgement never comes back.
     */
    private Packet.Response respondWhenStored(long corr) {
        agent.storeWriter().afterStored(true, failure -> write(stored(corr, failure)));
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root + ")";
    }

    private Packet.Response send(Send r) throws BrokerException {
        BrokerSession session = session(r.sessionId());
        EncodedMessage message;
        try {
            message = EncodedMessage.wrap(r.message());
        } catch (MalformedMessageException e) {
            throw new BrokerException(ErrorCode.MESSAGE_FORMAT, "malformed message: " + e.getMessage());
        }
        if (message.destination() == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "message has no destination");
        }
        if (!message.destination().kind().isTemporary() && sentTo.size() < MAX_SENT_TO) {
            sentTo.add(message.destination());
        }
        if (agent.needsStore(message)) {
            String unavailable = agent.storeUnavailable(List.of(agent.policyFor(message.destination())));
            if (unavailable != null) {
                throw new BrokerException(ErrorCode.RESOURCE_ALLOCATION, "persistent messages to "
                        + message.destination().name() + " are refused: " + unavailable);
            }
        }
        if (!message.destination().isQueue() && !message.destination().kind().isTemporary()
                && BrokerTopic.isWildcard(message.destination().name())) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "cannot send to wildcard topic '"
                    + message.destination().name() + "': a name with a '*' or '#' word is for subscribing to the topics it matches");
        }
        require(Permission.SEND, message.destination());
        if (agent.policyFor(message.destination()).setUserId()) {
            message = message.withProperties(java.util.Map.of(JMSX_USER_ID, user.name()));
        }
        if (message.destination().kind().isTemporary()) {
            // fail now rather than at commit: the destination must exist when the message is sent
            if (message.destination().isQueue()) {
                agent.queue(message.destination(), this, false);
            } else {
                agent.topic(message.destination(), this, false);
            }
        }
        long corr = r.correlationId();
        if (message.isLarge()) {
            return sendLarge(session, large().complete(message), corr);
        }
        String halfGroup = HalfMessages.groupOf(message);
        if (halfGroup != null) {
            agent.halves().send(this, session, message, halfGroup, failure -> write(failure == null ? new Ok(corr)
                    : new ErrorResponse(corr, ErrorCode.RESOURCE_ALLOCATION, "half-message not stored: " + failure)));
            return null;
        }
        boolean staged = session.stagesSends();
        session.send(message);
        if (staged) {
            agent.whenMemoryAllows(() -> write(new Ok(corr)));
            return null;
        }
        agent.storeWriter().afterStored(agent.policyFor(message.destination()).syncSends(),
                failure -> agent.whenMemoryAllows(() -> write(stored(corr, failure))));
        return null;
    }

    /** The large-message traffic of this connection. Agent thread. */
    LargeTransfers large() {
        if (large == null) {
            large = new LargeTransfers(this, agent.largeBodies());
        }
        return large;
    }

    /**
     * Sends a large message whose body {@link LargeTransfers#complete} has registered and holds: the hold ends
     * once the message is routed (its refs hold the body) or, staged in a transaction, when that ends.
     */
    private Packet.Response sendLarge(BrokerSession session, EncodedMessage message, long corr) throws BrokerException {
        boolean staged = session.stagesSends();
        try {
            session.send(message);
        } finally {
            // an XA branch keeps its hold: the body then stays until a restart counts its holders afresh
            if (!staged) {
                agent.largeBodies().release(message);
            }
        }
        if (staged) {
            agent.whenMemoryAllows(() -> write(new Ok(corr)));
            return null;
        }
        agent.storeWriter().afterStored(agent.policyFor(message.destination()).syncSends(),
                failure -> agent.whenMemoryAllows(() -> write(stored(corr, failure))));
        return null;
    }

    private static Packet.Response stored(long corr, Throwable failure) {
        return failure == null ? new Ok(corr)
                : new ErrorResponse(corr, ErrorCode.RESOURCE_ALLOCATION, "not stored: " + rootMessage(failure));
    }

    private void commit(Commit r) throws BrokerException {
        BrokerSession s = session(r.sessionId());
        if (!s.transacted()) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "commit on a session that is not transacted");
        }
        String commitKey = r.commitId() == null ? null : CommitOutcomes.check(r.commitId());
        String unavailable = agent.storeUnavailable(s.touchedPolicies());
        if (unavailable != null) {
            // refused before anything is written, so the outcome is known: the transaction stays open to roll back,
            // and what it consumed comes back without being charged as failed attempts (the broker failed, not
            // the application)
            s.commitRefused();
            throw new BrokerException(ErrorCode.RESOURCE_ALLOCATION, "commit refused: " + unavailable);
        }
        s.commit();
        if (r.commitId() != null) {
            // in the commit's own batch: the record is durable, and replicated, exactly when the commit is
            agent.commitOutcomes().committed(r.commitId());
            s.commitKey(commitKey);
        }
    }

    /**
     * Whether a commit whose answer a lost connection took happened here. A known one is recorded again, so the
     * answer waits until everything written before it (the commit too, if this broker made it moments ago) is
     * stored here. Not on backups: a backup that took over has the commit from its live broker, and may have no
     * backup of its own yet.
     */
    private Packet.Response commitOutcome(org.ternmq.protocol.CommitOutcome r) throws BrokerException {
        if (r.commitId() == null) {
            throw new BrokerException(ErrorCode.MALFORMED, "a commit outcome request needs a commit id");
        }
        CommitOutcomes.check(r.commitId());
        if (!agent.commitOutcomes().happened(r.commitId())) {
            return new ErrorResponse(r.correlationId(), ErrorCode.TRANSACTION_ROLLED_BACK, "commit " + r.commitId()
                    + " did not happen on this broker (broker '" + agent.brokerName()
                    + "'): its transaction was rolled back");
        }
        agent.storeWriter().answerOnceStoredHere();
        agent.commitOutcomes().committed(r.commitId());
        return respondWhenStored(r.correlationId());
    }

    private void createBrowser(CreateBrowser r) throws BrokerException {
        session(r.sessionId());
        if (r.address() == null || !r.address().isQueue()) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "a browser needs a queue");
        }
        require(Permission.BROWSE, r.address());
        Selector selector = parseSelector(r.selector());
        MessageQueue q = agent.queue(r.address(), this, true);
        BrowserCursor cursor = new BrowserCursor();
        q.snapshot(agent.now(), ref -> {
            if (selector.matchesAll() || selector.matches(ref.message)) {
                cursor.add(ref);
            }
        });
        cursor.addPaged(q.pagedRefIds(), agent.pager(), m -> selector.matchesAll() || selector.matches(m), agent::now);
        browsers.put(r.browserId(), cursor);
    }

    private Packet.Response browseNext(BrowseNext r) throws BrokerException {
        BrowserCursor cursor = browsers.get(r.browserId());
        if (cursor == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "no browser " + r.browserId());
        }
        List<byte[]> batch = cursor.next(r.max());
        return new BrowseBatch(r.correlationId(), batch, cursor.done());
    }

    /** The XA session {@code sessionId}, for an XA request that names one. */
    BrokerSession xaSession(int sessionId) throws XaResourceManager.XaError {
        BrokerSession s = sessions.get(sessionId);
        if (s == null) {
            throw new XaResourceManager.XaError(javax.transaction.xa.XAException.XAER_PROTO, "no session " + sessionId
                    + " on this connection (closed?)");
        }
        if (s.ackMode != BrokerSession.XA) {
            throw new XaResourceManager.XaError(javax.transaction.xa.XAException.XAER_PROTO, "session " + sessionId
                    + " is not an XA session");
        }
        return s;
    }

    private BrokerSession session(int sessionId) throws BrokerException {
        BrokerSession s = sessions.get(sessionId);
        if (s == null) {
            throw new BrokerException(ErrorCode.ILLEGAL_STATE, "no session " + sessionId);
        }
        return s;
    }

    /**
     * Answers a request that returned messages (recover, rollback, a consumer's or session's close) once the task's
     * records (the returned messages' delivery counts) are written,
     * not forced: an application that acts on the answer (a process killed right after it, say) must find the count
     * it was shown, and with the agent answering from the thread that read the request the answer could otherwise
     * overtake the journal's write. Then the returned messages are dispatched again, after the answer as before.
     */
    private Packet.Response respondThenDispatch(long corr, Set<MessageQueue> queues) {
        return respondThenRedeliver(corr, null, queues);
    }

    /**
     * {@link #respondThenDispatch} for a recover or rollback of {@code session}: until the answer is written the
     * session's consumers are sent nothing, since its client drops what comes for them before the answer (the
     * returned messages, dispatched again by any other task meanwhile, would be counted as delivered once more
     * and could go to the dead-letter queue an attempt early). Then every queue they consume from is dispatched.
     */
    private Packet.Response respondThenRedeliver(long corr, BrokerSession session, Set<MessageQueue> returned) {
        if (session != null) {
            session.holdDeliveries();
        }
        agent.storeWriter().afterStored(false, failure -> {
            write(stored(corr, failure));
            Set<MessageQueue> queues = returned;
            if (session != null) {
                session.releaseDeliveries();
                queues = new java.util.LinkedHashSet<>(returned);
                for (BrokerConsumer c : consumers.values()) {
                    if (c.session == session) {
                        queues.add(c.queue);
                    }
                }
            }
            if (!queues.isEmpty()) {
                Set<MessageQueue> dispatch = queues;
                agent.execute(() -> dispatch.forEach(MessageQueue::dispatch));
            }
        });
        return null;
    }

    /** A delivery of message {@code messageId} not yet acknowledged on this connection, or null. */
    Delivery inFlight(String messageId) {
        for (BrokerSession s : sessions.values()) {
            Delivery d = s.inFlight(messageId);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    boolean holdsDeliveryFrom(MessageQueue queue) {
        for (BrokerSession s : sessions.values()) {
            if (s.holdsDeliveryFrom(queue)) {
                return true;
            }
        }
        return false;
    }

    void write(Packet packet) {
        if (!channel.isActive()) {
            return;
        }
        if (countedInTask || !held.isEmpty()) {
            held.add(new Held(packet));
            if (!heldInTask) {
                heldInTask = true;
                agent.markHolding(this);
            }
            return;
        }
        writeNow(packet);
    }

    private void writeNow(Packet packet) {
        channel.write(packet, channel.voidPromise());
        if (!unflushed) {
            unflushed = true;
            agent.markUnflushed(this);
        }
    }

    /**
     * A delivery of a stored message to this connection was counted in the task's store batch: from here on, what this
     * task sends here leaves only once that batch is written (not forced). A broker killed before then has shown the
     * application nothing its journal does not count, so every message it was shown comes back with
     * {@code JMSRedelivered} set; sent at once, the delivery could overtake the journal's write of its count.
     */
    void deliveryCounted() {
        countedInTask = true;
    }

    /**
     * The task ended; what it held here waits for {@code written} (the write of its batch) if it counted a delivery
     * here, else only for what was held before it. Then whatever may leave does.
     */
    void endTaskHolding(java.util.concurrent.CompletableFuture<Void> written) {
        java.util.concurrent.CompletableFuture<Void> until = countedInTask && written != null ? written : Held.READY;
        countedInTask = false;
        heldInTask = false;
        for (java.util.Iterator<Held> it = held.descendingIterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.until != null) {
                break;
            }
            h.until = until;
        }
        releaseWritten();
    }

    /**
     * Sends the held packets whose writes are done, in order, up to the first that still waits; the agent says when
     * that one's write is done ({@link #written}). A failed write releases too: the store is fenced and refuses
     * everything after it, and a client left waiting for a delivery would be worse than one counted the store never
     * kept.
     */
    private void releaseWritten() {
        if (!channel.isActive()) {
            held.clear();
            return;
        }
        Held h;
        while ((h = held.peek()) != null && h.until != null && h.until.isDone()) {
            held.poll();
            writeNow(h.packet);
        }
        if (h != null && h.until != null && h.until != releaseRequested) {
            releaseRequested = h.until;
            agent.releaseWhenWritten(this, h.until);
        }
    }

    /** The write {@code done}, which the first held packet waited for, is done. Agent thread. */
    void written(java.util.concurrent.CompletableFuture<Void> done) {
        if (releaseRequested == done) {
            releaseRequested = null;
        }
        releaseWritten();
    }

    /** A packet held until {@link #until} is done (null while the task that sent it runs). */
    private static final class Held {
        static final java.util.concurrent.CompletableFuture<Void> READY =
                java.util.concurrent.CompletableFuture.completedFuture(null);
        final Packet packet;
        java.util.concurrent.CompletableFuture<Void> until;

        Held(Packet packet) {
            this.packet = packet;
        }
    }

    void flush() {
        unflushed = false;
        channel.flush();
    }

    /** Tells the client why and closes the connection. Agent thread. */
    void disconnect(ErrorCode code, String reason) {
        // what was held goes first, as it would have: their counts are handed to the journal already, and a broker
        // that stops closes its journal in order, which writes them (unless it refuses writes: then they stay unsent)
        if (agent.storeWriter().store().fencedReason() == null) {
            for (Held h; (h = held.poll()) != null; ) {
                channel.write(h.packet, channel.voidPromise());
            }
        }
        channel.writeAndFlush(new Disconnect(code, reason)).addListener(ChannelFutureListener.CLOSE);
        channelClosed();
    }

    private void protocolViolation(String reason) {
        LOG.warn("closing connection {} from {}: {}", id, channel.remoteAddress(), reason);
        channel.close();
        channelClosed();
    }

    @Override
    public String toString() {
        return "BrokerConnection[" + id + ", user=" + user + ", clientId=" + clientId + "]";
    }
}
