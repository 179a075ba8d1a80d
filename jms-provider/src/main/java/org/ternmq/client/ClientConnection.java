package org.ternmq.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.message.Address;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.CreateTemporary;
import org.ternmq.protocol.DeleteTemporary;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.Disconnect;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.FrameDescriptor;
import org.ternmq.protocol.Hello;
import org.ternmq.protocol.HelloOk;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.SetClientId;
import org.ternmq.protocol.Unsubscribe;
import org.ternmq.transport.ProtocolPipeline;
import org.ternmq.transport.TransportAddress;
import org.ternmq.transport.TransportGroups;

/**
 * One connection to a broker: the channel, the handshake, request/response correlation, the sessions and
 * consumers that deliveries are routed to, and failure notification. Knows nothing of JMS.
 *
 * <p>Thread-safety: any application thread may call any public method. The channel's event loop calls the
 * {@code on...} methods through {@link ConnectionHandler}; they never block. Blocking waits (answers,
 * the producer window) happen on the calling application thread, bounded by the request timeout.
 */
public final class ClientConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final ConnectionUrl url;
    private final String user;
    private final String password;
    private final long requestTimeoutMillis;
    private final Map<Long, PendingRequest> pending = new ConcurrentHashMap<>();
    private final Map<Integer, ClientSession> sessions = new ConcurrentHashMap<>();
    private final Map<Long, ClientConsumer> consumers = new ConcurrentHashMap<>();
    /** Large deliveries whose body may still be pulled, by delivery id. */
    private final Map<Long, LargeBodyReceiver> largeBodies = new ConcurrentHashMap<>();
    private final Set<Address> temporaries = ConcurrentHashMap.newKeySet();
    private final AtomicLong correlationIds = new AtomicLong();
    private final AtomicInteger sessionIds = new AtomicInteger();
    private final AtomicLong consumerIds = new AtomicLong();
    private final AtomicLong temporaryIds = new AtomicLong();
    private final AtomicBoolean closeCalled = new AtomicBoolean();

    private volatile Channel channel;
    /** The connection's socket when it has no event loop ({@code directIo}); {@link #channel} is null then. */
    private volatile DirectLink direct;
    /** Consumers with a message listener: their deliveries are read as they come ({@link DirectLink}). */
    private final AtomicInteger listeners = new AtomicInteger();
    private volatile EventLoopGroup group;
    private volatile TransportAddress.Type groupType;
    private volatile HelloOk hello;
    private volatile ProducerWindow producerWindow = new ProducerWindow(0);
    private volatile ClientException failure;
    private volatile Disconnect disconnect;
    private volatile java.util.function.Consumer<org.ternmq.protocol.HalfCheck> halfCheckListener;
    private volatile boolean started;
    /** Highest delivery id received; written and read on the event loop only. */
    private long lastReceived;
    private volatile ConnectionListener listener;
    /** The last error the pipeline reported (a TLS alert after the handshake, say), for the open's message. */
    private volatile Throwable channelError;
    /** Non-null with {@code failover=true}: re-establishes the connection when it is lost. */
    private final Failover failover;
    private final String failoverKey;
    /** True from the loss of the channel until failover restored everything on a new one (or gave up). */
    private volatile boolean reconnecting;
    private volatile String clientId;

    /**
     * A request waiting for its response; {@code beforeCompletion} runs on the event loop first. {@code claim}
     * is the channel it was written on (null while not written): with failover, the writer and the
     * {@link Failover} race to claim it, so a request is written once per channel.
     */
    static final class PendingRequest {
        final Packet.Request request;
        final CompletableFuture<Packet.Response> future;
        final Runnable beforeCompletion;
        /** A request of the handshake or of a failover's restore: it belongs to one channel. */
        final boolean internal;
        final java.util.concurrent.atomic.AtomicReference<Channel> claim = new java.util.concurrent.atomic.AtomicReference<>();

        PendingRequest(Packet.Request request, Runnable beforeCompletion, boolean internal,
                CompletableFuture<Packet.Response> future) {
            this.future = future;
            this.request = request;
            this.beforeCompletion = beforeCompletion;
            this.internal = internal;
        }

        CompletableFuture<Packet.Response> future() {
            return future;
        }

        void complete(Packet.Response response) {
            runHook();
            future.complete(response);
        }

        void fail(Throwable cause) {
            runHook();
            future.completeExceptionally(cause);
        }

        private void runHook() {
            if (beforeCompletion != null) {
                try {
                    beforeCompletion.run();
                } catch (RuntimeException e) {
                    LOG.warn("hook of a request failed", e);
                }
            }
        }
    }

    private ClientConnection(ConnectionUrl url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.requestTimeoutMillis = url.requestTimeoutMillis();
        this.failover = url.failover() ? new Failover(this) : null;
        this.failoverKey = failover != null ? java.util.UUID.randomUUID().toString() : null;
    }

    /**
     * Connects to the first broker of the URL that answers and completes the handshake.
     *
     * @param user     overrides the URL's user when not null
     * @param password overrides the URL's password when {@code user} is not null
     * @throws ClientException {@code SECURITY} for refused credentials, a connection failure when no broker answers
     */
    public static ClientConnection connect(ConnectionUrl url, String user, String password) throws ClientException {
        ClientConnection connection = user != null
                ? new ClientConnection(url, user, password)
                : new ClientConnection(url, url.user(), url.password());
        connection.open();
        return connection;
    }

    private void open() throws ClientException {
        if (failover != null) {
            failover.connectFirst();
            return;
        }
        ClientException last = null;
        for (TransportAddress address : url.addresses()) {
            try {
                openChannel(address);
                try {
                    handshake();
                } catch (ClientException e) {
                    if (e.isConnectionFailure() && !url.ssl() && address.type() == TransportAddress.Type.TCP
                            && hello == null) {
                        throw ClientException.connectionFailure(e.getMessage() + " during the handshake with " + address
                                + " (if that port is a TLS port, connect with tern+ssl://)", e);
                    }
                    if (e.isConnectionFailure() && url.ssl() && hello == null) {
                        // TLS 1.3: the broker judges the client's certificate after the client finished its handshake
                        Throwable tlsError = channelError;
                        throw ClientException.connectionFailure(tlsError != null
                                ? ClientTls.describe(tlsError, address.toString())
                                : "TLS handshake with " + address + " failed: the broker closed the connection (it may "
                                + "require a client certificate: keyStore option)", e);
                    }
                    throw e;
                }
                return;
            } catch (ClientException e) {
                last = e;
                closeChannelAndLoops();
                if (!e.isConnectionFailure()) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private void openChannel(TransportAddress address) throws ClientException {
        channelError = null;
        groupType = address.type();
        if (readsItself(address)) {
            failure = null;
            try {
                direct = new DirectLink(this, (java.net.InetSocketAddress) address.socketAddress(),
                        url.connectTimeoutMillis());
            } catch (java.io.IOException e) {
                throw ClientException.connectionFailure("cannot connect to " + address + ": " + e, e);
            }
            return;
        }
        io.netty.handler.ssl.SslContext tls = url.ssl() ? ClientTls.context(url) : null;
        group = ClientEventLoops.acquire(address.type());
        failure = null;
        // kept here: a failed handshake closes the channel, which may empty its pipeline before connect returns
        java.util.concurrent.atomic.AtomicReference<io.netty.handler.ssl.SslHandler> sslHandler =
                new java.util.concurrent.atomic.AtomicReference<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(TransportGroups.clientChannelClass(address.type()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, url.connectTimeoutMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            io.netty.handler.ssl.SslHandler ssl = tls.newHandler(ch.alloc(), address.host(), address.port());
                            ssl.setHandshakeTimeoutMillis(url.connectTimeoutMillis());
                            sslHandler.set(ssl);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ProtocolPipeline.install(ch.pipeline(), FrameDescriptor.DEFAULT_MAX_FRAME_LENGTH,
                                new ConnectionHandler(ClientConnection.this));
                    }
                });
        if (address.type() == TransportAddress.Type.TCP) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture connect = bootstrap.connect(address.socketAddress());
        channel = connect.channel();
        try {
            if (!connect.await(url.connectTimeoutMillis() + 1000L)) {
                connect.cancel(false);
                throw ClientException.connectionFailure("timed out connecting to " + address, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.connectionFailure("interrupted connecting to " + address, e);
        }
        if (!connect.isSuccess()) {
            throw ClientException.connectionFailure("cannot connect to " + address + ": " + connect.cause(),
                    connect.cause());
        }
        if (tls != null) {
            awaitTls(address, sslHandler.get());
        }
    }

    /**
     * Whether the connection to {@code address} goes without an event loop ({@link DirectLink}): plain TCP
     * without failover, unless {@code directIo=false}. TLS and in-VM connections, and those that fail over, keep
     * theirs.
     */
    private boolean readsItself(TransportAddress address) {
        return url.directIo() && address.type() == TransportAddress.Type.TCP && !url.ssl() && failover == null;
    }

    /** Waits for the TLS handshake, so that its failure is reported as what it is. */
    private void awaitTls(TransportAddress address, io.netty.handler.ssl.SslHandler ssl) throws ClientException {
        io.netty.util.concurrent.Future<Channel> done = ssl.handshakeFuture();
        try {
            if (!done.await(url.connectTimeoutMillis() + 1000L)) {
                throw ClientException.connectionFailure("TLS handshake with " + address + " timed out: no TLS answer in "
                        + "time: is it a plain-TCP port (connect with tern:// then)?", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ClientException.connectionFailure("interrupted during the TLS handshake with " + address, e);
        }
        if (!done.isSuccess()) {
            throw ClientException.connectionFailure(ClientTls.describe(done.cause(), address.toString()), done.cause());
        }
    }

    private void handshake() throws ClientException {
        long id = nextCorrelationId();
        boolean tcp = groupType == TransportAddress.Type.TCP; // in-VM needs no heartbeats: no network between
        Packet.Response response = await(requestInternal(new Hello(id, FrameDescriptor.MAGIC,
                FrameDescriptor.PROTOCOL_VERSION, user, password, failoverKey, tcp ? url.connectionTtlMillis() : 0)),
                url.connectTimeoutMillis());
        if (!(response instanceof HelloOk ok)) {
            throw new ClientException(ErrorCode.INTERNAL, "unexpected answer to Hello: " + response);
        }
        DirectLink d = direct;
        Channel ch = channel;
        if (tcp && url.heartbeatMillis() > 0) {
            if (d != null) {
                d.startHeartbeat(url.heartbeatMillis(), url.connectionTtlMillis());
            } else if (ch.isActive()) {
                ch.pipeline().addBefore("decoder", Heartbeat.NAME,
                        new Heartbeat(this, url.heartbeatMillis(), url.connectionTtlMillis()));
            }
        }
        hello = ok;
        producerWindow = new ProducerWindow(ok.producerWindow(), direct);
    }

    private void closeChannelAndLoops() {
        DirectLink d = direct;
        if (d != null) {
            d.close(null);
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(requestTimeoutMillis);
        }
        EventLoopGroup g = group;
        if (g != null) {
            group = null;
            ClientEventLoops.release(groupType, g);
        }
    }

    // ---- requests -------------------------------------------------------------------------------------

    long nextCorrelationId() {
        return correlationIds.incrementAndGet();
    }

    /** Sends a request; the future completes on the event loop with its response, or fails. */
    CompletableFuture<Packet.Response> request(Packet.Request request) {
        return request(request, null);
    }

    /**
     * Sends a request whose {@code beforeCompletion} runs on the event loop when the answer arrives (or the
     * connection fails), before any later packet is handled: used to end a "returning deliveries" phase
     * exactly where the broker ended it.
     */
    CompletableFuture<Packet.Response> request(Packet.Request request, Runnable beforeCompletion) {
        if (!(request instanceof org.ternmq.protocol.Send || request instanceof org.ternmq.protocol.Acknowledge
                || request instanceof org.ternmq.protocol.LargeChunk)) {
            flushPendingAcks();
        }
        Packet.Response local = null;
        if (failover != null) {
            request = failover.beforeRequest(request);
            local = failover.localAnswer(request);
        }
        PendingRequest p = new PendingRequest(request, beforeCompletion, false, newFuture());
        if (local != null) {
            p.complete(local);
            return p.future();
        }
        pending.put(request.correlationId(), p);
        ClientException failed = failure;
        if (failed != null) {
            if (pending.remove(request.correlationId()) != null) {
                p.fail(failed);
            }
            return p.future();
        }
        if (reconnecting) {
            return p.future(); // the failover handles it once the connection is restored
        }
        Channel ch = channel;
        if (p.claim.compareAndSet(null, ch)) {
            write(p, ch);
        }
        return p.future();
    }

    /**
     * Writes the auto-acknowledgements the sessions still batch, ahead of a request: what the application
     * received before it asked (a browse, a replay, a commit of another session, ...) is acknowledged when the
     * broker reads the request. Sends and acknowledgements themselves need no such order.
     */
    private void flushPendingAcks() {
        for (ClientSession session : sessions.values()) {
            session.flushAcks();
        }
    }

    /** A request of the handshake or of a restore: written on the current channel, whatever the state. */
    CompletableFuture<Packet.Response> requestInternal(Packet.Request request) {
        PendingRequest p = new PendingRequest(request, null, true, newFuture());
        pending.put(request.correlationId(), p);
        Channel ch = channel;
        p.claim.set(ch);
        write(p, ch);
        return p.future();
    }

    void write(PendingRequest p, Channel ch) {
        Packet.Request request = p.request;
        DirectLink d = direct;
        if (d != null) {
            d.write(request, cause -> {
                if (pending.remove(request.correlationId()) != null) {
                    p.fail(ClientException.connectionFailure("cannot write " + request.type() + ": " + cause, cause));
                }
            });
            return;
        }
        ch.writeAndFlush(request).addListener(f -> {
            if (f.isSuccess()) {
                return;
            }
            if (failover != null && !p.internal && !closeCalled.get()) {
                failover.writeFailed(p, ch); // lost with the channel: the failover sends it again
            } else if (pending.remove(request.correlationId()) != null) {
                p.fail(ClientException.connectionFailure("cannot write " + request.type() + ": " + f.cause(),
                        f.cause()));
            }
        });
    }

    /**
     * Builds a request on the event loop, where no delivery can arrive meanwhile, and sends it: used for the
     * requests that return deliveries, whose {@code lastReceived} watermark and {@code unconsumed} list must
     * agree exactly with what the consumers' buffers held (protocol.md, "Returning deliveries").
     *
     * @param prepare given the highest delivery id received so far, empties buffers and builds the request
     */
    CompletableFuture<Packet.Response> requestFromEventLoop(java.util.function.LongFunction<Packet.Request> prepare,
            Runnable beforeCompletion) {
        CompletableFuture<Packet.Response> result = newFuture();
        Runnable task = () -> {
            try {
                request(prepare.apply(lastReceived), beforeCompletion).whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(r);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        DirectLink d = direct;
        if (d != null) {
            d.runSerially(task);
            return result;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(ClientException.connectionFailure("connection closed", e));
        }
        return result;
    }

    /** Sends a request and waits for its answer. */
    Packet.Response call(Packet.Request request) throws ClientException {
        return await(request(request), requestTimeoutMillis);
    }

    Packet.Response await(CompletableFuture<Packet.Response> future) throws ClientException {
        return await(future, requestTimeoutMillis);
    }

    /**
     * Waits for an answer.
     *
     * @throws ClientException the broker's error, a connection failure or a timeout
     */
    static Packet.Response await(CompletableFuture<Packet.Response> future, long timeoutMillis) throws ClientException {
        Packet.Response response;
        try {
            response = future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ErrorCode.INTERNAL, "interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new ClientException(ErrorCode.INTERNAL, "no answer from the broker within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw asClientException(e.getCause());
        }
        return checked(response);
    }

    static Packet.Response checked(Packet.Response response) throws ClientException {
        if (response instanceof ErrorResponse error) {
            throw ClientException.refused(error.code(), error.message());
        }
        return response;
    }

    static ClientException asClientException(Throwable t) {
        if (t instanceof ClientException c) {
            return c;
        }
        return new ClientException(ErrorCode.INTERNAL, String.valueOf(t), t);
    }

    /** Runs {@code task} on the connection's event loop after {@code delayMillis}; nothing once it is gone. */
    void schedule(Runnable task, long delayMillis) {
        DirectLink d = direct;
        if (d != null) {
            if (failure == null) {
                d.schedule(task, delayMillis);
            }
            return;
        }
        Channel ch = channel;
        if (ch == null || failure != null) {
            return;
        }
        try {
            ch.eventLoop().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the event loop is shutting down with the connection
        }
    }

    /** Writes a one-way packet (credit); lost silently if the connection is gone. */
    void sendOneWay(Packet packet) {
        DirectLink d = direct;
        if (d != null) {
            if (failure == null) {
                d.write(packet, null);
            }
            return;
        }
        if (failure == null && !reconnecting) {
            channel.writeAndFlush(packet);
        }
    }

    // ---- operations -----------------------------------------------------------------------------------

    /** @throws ClientException {@code INVALID_CLIENT_ID} when the broker refuses it */
    public void setClientId(String clientId) throws ClientException {
        checkOpen();
        call(new SetClientId(nextCorrelationId(), clientId));
        this.clientId = clientId;
    }

    /**
     * @param ackMode {@code jakarta.jms.Session} constants, 0 meaning transacted
     */
    public ClientSession createSession(int ackMode) throws ClientException {
        checkOpen();
        int id = sessionIds.incrementAndGet();
        ClientSession session = new ClientSession(this, id, ackMode);
        sessions.put(id, session);
        try {
            call(new CreateSession(nextCorrelationId(), id, ackMode));
        } catch (ClientException e) {
            sessions.remove(id);
            throw e;
        }
        return session;
    }

    /**
     * Creates a temporary destination with a unique name.
     *
     * @param queue a temporary queue when true, else a temporary topic
     */
    public Address createTemporary(boolean queue) throws ClientException {
        checkOpen();
        String name = "tmp." + hello.connectionId() + "." + temporaryIds.incrementAndGet();
        Address address = new Address(queue ? Address.Kind.TEMPORARY_QUEUE : Address.Kind.TEMPORARY_TOPIC, name);
        call(new CreateTemporary(nextCorrelationId(), address));
        temporaries.add(address);
        return address;
    }

    /** @throws ClientException {@code ILLEGAL_STATE} while it has consumers */
    public void deleteTemporary(Address address) throws ClientException {
        checkOpen();
        call(new DeleteTemporary(nextCorrelationId(), address));
        temporaries.remove(address);
    }

    /** @return whether this connection created the temporary destination and has not deleted it */
    public boolean ownsTemporary(Address address) {
        return temporaries.contains(address);
    }

    /**
     * Runs a management operation (see {@code ManagementOperations} on the broker); the connection's
     * user must be an administrator.
     *
     * @throws ClientException {@code SECURITY} for a user who is not, {@code INVALID_DESTINATION} for an
     *     unknown queue, {@code INVALID_SELECTOR}, {@code UNSUPPORTED} for an unknown operation
     */
    public org.ternmq.protocol.ManageResult manage(String operation, String queue, String target, String selector)
            throws ClientException {
        checkOpen();
        return (org.ternmq.protocol.ManageResult) call(
                new org.ternmq.protocol.Manage(nextCorrelationId(), operation, queue, target, selector));
    }

    /**
     * One XA call. {@code sessionId} names the session a {@code START} or {@code END} associates (0 for the
     * calls that are about the branch alone).
     *
     * @return the broker's answer: {@code code} says whether the call returns or what it throws
     * @throws ClientException when there is no answer (lost connection, timeout, closed connection)
     */
    public org.ternmq.protocol.XaResponse xa(org.ternmq.protocol.XaOperation operation, int sessionId,
            org.ternmq.protocol.XidValue xid, int flags, int timeoutSeconds) throws ClientException {
        checkOpen();
        return (org.ternmq.protocol.XaResponse) call(new org.ternmq.protocol.XaRequest(nextCorrelationId(), sessionId,
                operation, xid, flags, timeoutSeconds));
    }

    /**
     * A half-message request: the outcome of half-message {@code halfId} ({@code COMMIT}, {@code ROLLBACK},
     * {@code UNKNOWN} as the answer to a check), or a checker (un)registration for producer {@code group}.
     *
     * @throws ClientException {@code INVALID_DESTINATION} for an unknown half-message, {@code ILLEGAL_STATE}
     *     for one being completed, a connection failure or a timeout
     */
    public void half(org.ternmq.protocol.HalfOperation operation, String halfId, String group) throws ClientException {
        checkOpen();
        call(new org.ternmq.protocol.HalfRequest(nextCorrelationId(), operation, halfId, group));
    }

    /**
     * Who hears the broker's check-backs of half-messages ({@code HalfCheck}); called on an event-loop thread,
     * so it must hand the work to a thread of its own. Null: checks are ignored (the broker asks again).
     */
    public void setHalfCheckListener(java.util.function.Consumer<org.ternmq.protocol.HalfCheck> listener) {
        this.halfCheckListener = listener;
    }

    void onHalfCheck(org.ternmq.protocol.HalfCheck check) {
        java.util.function.Consumer<org.ternmq.protocol.HalfCheck> l = halfCheckListener;
        if (l == null) {
            LOG.debug("{}: half-message check with no listener ignored: {}", this, check);
            return;
        }
        l.accept(check);
    }

    /** Deletes a durable subscription of this connection's client id. */
    public void unsubscribe(String subscriptionName) throws ClientException {
        checkOpen();
        call(new Unsubscribe(nextCorrelationId(), subscriptionName));
    }

    /**
     * Lets consumers hand out messages (JMS start), or holds them back (stop); the broker is told, so a
     * stopped connection's consumers are sent nothing more.
     */
    public void setDeliveryStarted(boolean started) throws ClientException {
        boolean changed = this.started != started;
        this.started = started;
        if (changed) {
            checkOpen();
            call(new org.ternmq.protocol.DeliveryState(nextCorrelationId(), started));
        }
        if (started) {
            for (ClientConsumer c : consumers.values()) {
                c.deliveryResumed();
            }
        }
    }

    public boolean isDeliveryStarted() {
        return started;
    }

    public void setListener(ConnectionListener listener) {
        this.listener = listener;
    }

    /** @return the broker-assigned connection id */
    public String connectionId() {
        return hello.connectionId();
    }

    public String serverName() {
        return hello.serverName();
    }

    /** The broker's lasting identity: equal for every connection to the same broker (XA {@code isSameRM}). */
    public String nodeId() {
        return hello.nodeId();
    }

    public String serverVersion() {
        return hello.serverVersion();
    }

    public ConnectionUrl url() {
        return url;
    }

    public int prefetch() {
        return url.prefetch();
    }

    long requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    ProducerWindow producerWindow() {
        return producerWindow;
    }

    long nextConsumerId() {
        return consumerIds.incrementAndGet();
    }

    void register(ClientConsumer consumer) {
        consumers.put(consumer.id(), consumer);
    }

    void unregister(ClientConsumer consumer) {
        if (consumers.remove(consumer.id()) != null) {
            consumer.listen(null);
        }
    }

    void unregister(ClientSession session) {
        sessions.remove(session.id());
    }

    /** @return the failure that ended the connection, or null while it is up */
    public ClientException failure() {
        return failure;
    }

    public boolean isClosed() {
        return closeCalled.get();
    }

    void checkOpen() throws ClientException {
        if (closeCalled.get()) {
            throw ClientException.closed("connection");
        }
        ClientException failed = failure;
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Closes the sessions (returning their unacknowledged deliveries), deletes this connection's temporary
     * destinations, then the channel. Idempotent; a lost connection just releases its resources.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        if (failover != null) {
            failover.stop();
        }
        if (failure == null && !reconnecting) {
            for (ClientSession session : new ArrayList<>(sessions.values())) {
                session.closeQuietly();
            }
            for (Address temporary : new ArrayList<>(temporaries)) {
                try {
                    call(new DeleteTemporary(nextCorrelationId(), temporary));
                } catch (ClientException e) {
                    LOG.debug("{}: could not delete {} at close: {}", this, temporary, e.getMessage());
                }
            }
            try {
                // the broker frees the client id before it answers, so it can be used again at once
                call(new org.ternmq.protocol.CloseConnection(nextCorrelationId()));
            } catch (ClientException e) {
                LOG.debug("{}: the broker did not confirm the close: {}", this, e.getMessage());
            }
        }
        if (failure == null) {
            failure = ClientException.closed("connection");
        }
        closeChannelAndLoops();
        failAll(failure);
    }

    // ---- event loop -----------------------------------------------------------------------------------

    void onResponse(Packet.Response response) {
        if (response.correlationId() == 0) {
            return; // a heartbeat's answer
        }
        PendingRequest p = pending.remove(response.correlationId());
        if (p == null) {
            LOG.warn("{}: response to no pending request: {}", this, response);
            return;
        }
        p.complete(response);
    }

    void onDeliver(Deliver deliver) {
        lastReceived = Math.max(lastReceived, deliver.deliveryId());
        ClientConsumer consumer = consumers.get(deliver.consumerId());
        if (consumer == null) {
            LOG.debug("{}: delivery for closed consumer dropped: {}", this, deliver);
            return;
        }
        consumer.onDeliver(deliver);
    }

    /** The body of large delivery {@code deliveryId}, to be pulled from the broker by the application. */
    public LargeBodyReceiver largeBody(long deliveryId, long size) {
        LargeBodyReceiver receiver = new LargeBodyReceiver(this, deliveryId, size);
        largeBodies.put(deliveryId, receiver);
        if (failure != null || reconnecting) {
            receiver.onLost("the connection is gone");
        }
        return receiver;
    }

    void forgetLarge(long deliveryId) {
        largeBodies.remove(deliveryId);
    }

    void onLargeBodyChunk(org.ternmq.protocol.LargeBodyChunk chunk) {
        LargeBodyReceiver receiver = largeBodies.get(chunk.deliveryId());
        if (receiver != null) {
            receiver.onChunk(chunk);
        }
    }

    void onDisconnect(Disconnect d) {
        LOG.info("{}: broker disconnects: {} {}", this, d.code(), d.reason());
        disconnect = d;
    }

    void onChannelError(Throwable cause) {
        channelError = cause;
        if (!closeCalled.get()) {
            LOG.warn("{}: channel error: {}", this, cause.toString());
        }
    }

    /**
     * A future for an answer: without an event loop ({@link DirectLink}), the thread that waits for it reads the
     * socket meanwhile, and so do the futures derived from it.
     */
    <T> CompletableFuture<T> newFuture() {
        return direct != null ? new ReadingFuture<>(this) : new CompletableFuture<>();
    }

    /**
     * Without an event loop, reads and dispatches on the calling thread until {@code done} or the deadline (or
     * waits while another thread reads); with one, returns at once and the caller waits its own way.
     */
    void readUntil(java.util.function.BooleanSupplier done, long deadlineNanos) {
        DirectLink d = direct;
        if (d != null) {
            d.readUntil(done, deadlineNanos);
        }
    }

    /** The link without an event loop, or null. */
    DirectLink direct() {
        return direct;
    }

    /** A consumer's message listener came ({@code +1}) or went ({@code -1}). */
    void listenersChanged(int delta) {
        listeners.addAndGet(delta);
        DirectLink d = direct;
        if (d != null) {
            d.listenersChanged();
        }
    }

    boolean hasListeners() {
        return listeners.get() > 0;
    }

    /**
     * Dispatches a packet read from the broker: on the event loop, or serially ({@link DirectLink#runSerially}).
     *
     * @return false for a packet the broker never sends a client (the connection is then closed)
     */
    boolean onPacket(Packet packet) {
        if (packet instanceof Deliver deliver) {
            onDeliver(deliver);
        } else if (packet instanceof org.ternmq.protocol.LargeBodyChunk chunk) {
            onLargeBodyChunk(chunk);
        } else if (packet instanceof Packet.Response response) {
            onResponse(response);
        } else if (packet instanceof Disconnect d) {
            onDisconnect(d);
        } else if (packet instanceof org.ternmq.protocol.HalfCheck check) {
            onHalfCheck(check);
        } else {
            LOG.warn("{}: unexpected packet from the broker, closing: {}", this, packet);
            return false;
        }
        return true;
    }

    /** The link without an event loop is closed: the connection ends (it does not fail over). */
    void onDirectClosed(DirectLink closed) {
        lostLargeBodies();
        if (closed == direct) {
            ended();
        }
    }

    void onChannelClosed(Channel closed) {
        lostLargeBodies();
        if (failover != null && failure == null && !closeCalled.get()) {
            failover.channelLost(closed);
            return;
        }
        if (closed != channel) {
            return; // an earlier attempt of open()
        }
        ended();
    }

    private void lostLargeBodies() {
        for (LargeBodyReceiver receiver : largeBodies.values()) {
            receiver.onLost("the connection was lost"); // the broker's delivery went with it
        }
    }

    /** The connection's channel or link closed for good. */
    private void ended() {
        if (failure != null) {
            failAll(failure);
            return;
        }
        Disconnect d = disconnect;
        ClientException cause = d != null
                ? ClientException.connectionFailure("broker closed the connection: " + d.code() + " " + d.reason(), null)
                : ClientException.connectionFailure("connection to the broker lost"
                        + (channelError != null ? ": " + channelError.getMessage() : ""), channelError);
        end(cause);
    }

    /** The connection ends with {@code cause}: every waiting request fails and the listener hears it once. */
    private void end(ClientException cause) {
        failure = cause;
        failAll(cause);
        ConnectionListener l = listener;
        if (l != null && !closeCalled.get()) {
            try {
                l.connectionFailed(cause);
            } catch (RuntimeException e) {
                LOG.warn("{}: connection listener failed", this, e);
            }
        }
    }

    private void failAll(ClientException cause) {
        producerWindow.fail();
        for (LargeBodyReceiver receiver : largeBodies.values()) {
            receiver.onLost("connection failed: " + cause.getMessage());
        }
        for (Long id : new ArrayList<>(pending.keySet())) {
            PendingRequest p = pending.remove(id);
            if (p != null) {
                p.fail(cause);
            }
        }
        for (ClientConsumer c : consumers.values()) {
            c.connectionEnded();
        }
    }

    ClientConsumer consumer(long consumerId) {
        return consumers.get(consumerId);
    }

    List<ClientConsumer> consumersOf(ClientSession session) {
        List<ClientConsumer> result = new ArrayList<>();
        for (ClientConsumer c : consumers.values()) {
            if (c.session() == session) {
                result.add(c);
            }
        }
        return result;
    }

    // ---- failover (see Failover) ------------------------------------------------------------------------

    /**
     * Opens a channel to {@code address} and completes the handshake, replacing the current channel. The event
     * loop group of the old channel is released only after the new one is acquired, so the shared group
     * stays up while a failover runs.
     */
    void reopen(TransportAddress address) throws ClientException {
        EventLoopGroup oldGroup = group;
        TransportAddress.Type oldType = groupType;
        disconnect = null;
        try {
            openChannel(address);
        } finally {
            if (oldGroup != null) {
                ClientEventLoops.release(oldType, oldGroup);
            }
        }
        handshake();
        lastReceived = 0; // delivery ids start again on the new connection; no consumer exists there yet
    }

    /** Closes the current channel and releases its event loops (a first connection attempt that failed). */
    void abandonChannel() {
        closeChannelAndLoops();
    }

    Channel channel() {
        return channel;
    }

    boolean isReconnecting() {
        return reconnecting;
    }

    void setReconnecting(boolean reconnecting) {
        this.reconnecting = reconnecting;
    }

    Map<Long, PendingRequest> pending() {
        return pending;
    }

    Map<Integer, ClientSession> sessions() {
        return sessions;
    }

    Map<Long, ClientConsumer> consumers() {
        return consumers;
    }

    Set<Address> temporaries() {
        return temporaries;
    }

    String clientId() {
        return clientId;
    }

    /** Failover gave up: the connection ends as it would have without failover, and the listener hears it. */
    void failoverGaveUp(ClientException cause) {
        if (failure != null) {
            return;
        }
        reconnecting = false;
        end(cause);
    }

    /**
     * With failover, a key unique to this connection object and kept across its failovers, else null: the resume key
     * of each of its handshakes (a broker still holding an older channel of it closes that one) and the start of its
     * sessions' commit ids ({@code Commit#commitId}).
     */
    String failoverKey() {
        return failoverKey;
    }

    /** Whether this connection fails over ({@code failover=true}). */
    public boolean isFailoverEnabled() {
        return failover != null;
    }

    /** How many times failover restored this connection (for tests and diagnostics). */
    public int failoverCount() {
        return failover == null ? 0 : failover.restoredCount();
    }

    @Override
    public String toString() {
        HelloOk h = hello;
        return "ClientConnection[" + (h == null ? url.toString() : h.connectionId()) + "]";
    }
}
