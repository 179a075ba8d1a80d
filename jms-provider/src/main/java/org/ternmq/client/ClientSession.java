package org.ternmq.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.Acknowledge;
import org.ternmq.protocol.CloseSession;
import org.ternmq.protocol.Commit;
import org.ternmq.protocol.CreateBrowser;
import org.ternmq.protocol.CreateConsumer;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.LargeChunk;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.Recover;
import org.ternmq.protocol.Rollback;
import org.ternmq.protocol.Send;

/**
 * A session channel: sends, acknowledgements, transactions and the return of unconsumed deliveries
 * (protocol.md, "Returning deliveries"). It remembers which deliveries the application has seen but not yet
 * acknowledged; a delivery belongs to the session, not its consumer.
 *
 * <p>Thread-safety: meant for one application thread at a time (the JMS session rule), plus the session's
 * listener thread; the unacknowledged set has its own lock because consumers, the listener thread and
 * the closing thread all touch it. The event loop only reads {@link #isReturning()}.
 */
public final class ClientSession {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClientSession.class);

    private final ClientConnection connection;
    private final int id;
    private final int ackMode;
    private final Object unackedLock = new Object();
    private final LinkedHashSet<Long> unacked = new LinkedHashSet<>();
    private volatile boolean returning;
    /**
     * Set on the event loop when the CloseSession request is built: from there deliveries in flight are dropped.
     * Not {@link #closed}, which the closing thread sets earlier: a delivery that arrived between the two would be
     * dropped although it is below the request's watermark, and the broker would count it as seen.
     */
    private volatile boolean closeSent;
    private volatile boolean closed;
    /** An XA session between start and end: what it consumes is acknowledged into the branch at end. */
    private volatile boolean xaAssociated;
    /**
     * Auto-ack and dups-ok acknowledgements not yet written (guarded by {@code unackedLock}): sent as one
     * Acknowledge when {@link #ACK_BATCH} gather, when the consumer's buffer runs dry, after
     * {@link #ACK_DELAY_MILLIS}, and before any request that returns deliveries or ends the session.
     */
    private long[] pendingAcks = new long[16];
    private int pendingAckCount;
    /** Commits made so far, numbering the commit ids when the connection fails over. */
    private long commits;
    private boolean ackFlushScheduled;
    /** The last send not waited for (non-persistent, or in a transaction); they complete in send order. */
    private volatile CompletableFuture<Void> lastUnwaitedSend;
    /** The first failure of a send not waited for, reported by the next send, commit or rollback. */
    private volatile ClientException unwaitedSendFailure;

    /** Acknowledgements gathered before they are written as one packet. */
    static final int ACK_BATCH = 64;
    /** The longest an acknowledgement waits on the client before it is written. */
    static final long ACK_DELAY_MILLIS = 5;

    /** The protocol's acknowledge mode of an XA session (protocol.md, "XA"). */
    public static final int XA = 4;

    ClientSession(ClientConnection connection, int id, int ackMode) {
        this.connection = connection;
        this.id = id;
        this.ackMode = ackMode;
    }

    public int id() {
        return id;
    }

    /** @return the {@code jakarta.jms.Session} acknowledge mode, 0 for transacted */
    public int ackMode() {
        return ackMode;
    }

    public boolean isTransacted() {
        return ackMode == 0;
    }

    public boolean isXa() {
        return ackMode == XA;
    }

    /** Whether this XA session is associated with a branch now (set by its {@code XAResource}). */
    public boolean isXaAssociated() {
        return xaAssociated;
    }

    public void setXaAssociated(boolean associated) {
        this.xaAssociated = associated;
    }

    /** AUTO_ACKNOWLEDGE (1) or DUPS_OK_ACKNOWLEDGE (3): acknowledged one by one as consumed. */
    private boolean acknowledgesEach() {
        return ackMode == 1 || ackMode == 3;
    }

    public ClientConnection connection() {
        return connection;
    }

    public boolean isClosed() {
        return closed;
    }

    /** @return whether a rollback, recover or close is taking deliveries back: in-flight ones are dropped */
    boolean isReturning() {
        return returning || closeSent;
    }

    private void checkOpen() throws ClientException {
        if (closed) {
            throw ClientException.closed("session");
        }
        connection.checkOpen();
    }

    // ---- consumers and browsers -----------------------------------------------------------------------

    /**
     * Opens a consumer; see protocol.md "Consuming" for the meaning of the subscription arguments.
     *
     * @throws ClientException {@code INVALID_SELECTOR}, {@code INVALID_DESTINATION}, {@code ILLEGAL_STATE}
     */
    public ClientConsumer createConsumer(Address address, String selector, boolean noLocal, String subscriptionName,
            boolean durable, boolean shared) throws ClientException {
        checkOpen();
        int prefetch = connection.prefetch();
        ClientConsumer consumer = new ClientConsumer(this, connection.nextConsumerId(), prefetch);
        connection.register(consumer);
        try {
            connection.call(new CreateConsumer(connection.nextCorrelationId(), id, consumer.id(), address, selector,
                    noLocal, subscriptionName, durable, shared, prefetch));
        } catch (ClientException e) {
            connection.unregister(consumer);
            throw e;
        }
        return consumer;
    }

    /** Opens a browser on a queue. */
    public ClientBrowser createBrowser(Address queue, String selector) throws ClientException {
        checkOpen();
        ClientBrowser browser = new ClientBrowser(this, connection.nextConsumerId());
        connection.call(new CreateBrowser(connection.nextCorrelationId(), id, browser.id(), queue, selector));
        return browser;
    }

    // ---- sending ----------------------------------------------------------------------------------------

    /**
     * Sends without waiting: waits only for room in the producer window. The future completes (on the event
     * loop, in send order) when the broker has the message, or fails with a {@link ClientException}.
     */
    public CompletableFuture<Void> sendAsync(EncodedMessage message) throws ClientException {
        checkOpen();
        int size = message.size();
        long limit = connection.url().maxMessageSize();
        if (size > limit) {
            // refused here: the broker would close the whole connection on a frame over its limit
            throw tooLarge(size, limit);
        }
        if (size > connection.url().largeMessageSize()) {
            return sendLarge(message, null);
        }
        return sendFrame(message);
    }

    private static ClientException tooLarge(long size, long limit) {
        return new ClientException(ErrorCode.RESOURCE_ALLOCATION, "message of " + size
                + " bytes (encoded) exceeds the maximum message size of " + limit
                + " bytes (connection URL option maxMessageSize)");
    }

    /**
     * Sends a large message: its body, read from {@code body} (or, when null, the message's own body), goes
     * in chunks of the connection's {@code largeMessageSize}, at most {@link #LARGE_WINDOW} of them unanswered,
     * then the message itself with a reference to them. Blocks the calling thread until the last chunk is
     * answered; the returned future is the message's own answer. A stream that fails, or a body over the
     * maximum message size, abandons the upload (the broker drops its chunks) and throws.
     *
     * <p>With failover, a connection lost during the upload (or before the message's own answer) does not reach the
     * application: a non-transacted send is uploaded again on the new connection, and waited for, carrying the
     * duplicate-detection id of every such send, so it is stored once (a non-persistent one only if its message had
     * not gone out yet: at most once); in a local transaction the transaction is doomed instead (its commit throws
     * {@code TransactionRolledBackException}). A body streamed from the application is read from it once and kept
     * in a temporary file meanwhile ({@link BodySpool}), so it is uploaded again the same way.
     */
    public CompletableFuture<Void> sendLarge(EncodedMessage message, java.io.InputStream body) throws ClientException {
        checkOpen();
        boolean failover = connection.isFailoverEnabled() && !(isXa() && isXaAssociated());
        boolean again = failover && !isTransacted();
        BodySpool spool = again && body != null ? BodySpool.open(body, connection.url().spoolDirectory()) : null;
        try {
            return sendLarge(message, body, spool, failover, again);
        } finally {
            if (spool != null) {
                spool.close();
            }
        }
    }

    private CompletableFuture<Void> sendLarge(EncodedMessage message, java.io.InputStream body, BodySpool spool,
            boolean failover, boolean again) throws ClientException {
        for (int attempt = 1; ; attempt++) {
            boolean uploaded = false;
            try {
                Object channel = connection.channel();
                CompletableFuture<Void> answer = upload(message, spool != null ? spool.replay() : body,
                        failover ? channel : null);
                uploaded = true;
                if (!again) {
                    return answer;
                }
                awaitVoid(answer, connection.requestTimeoutMillis()); // a failover may lose it: then sent again
                return answer;
            } catch (ClientException e) {
                if (!failover || !e.isConnectionFailure() || connection.failure() != null || connection.isClosed()
                        || (uploaded && !message.persistent())) {
                    // a non-persistent message that may have arrived is not sent twice: at most once
                    throw e;
                }
                if (isTransacted()) {
                    // the upload made the transaction dirty, so the failover doomed it: the commit says so
                    return CompletableFuture.completedFuture(null);
                }
                if (attempt >= MAX_LARGE_ATTEMPTS) {
                    throw e;
                }
                LOG.info("{}: the connection failed over during a large message's upload; sending it again",
                        connection);
            }
        }
    }

    /** Uploads of one large message that failovers may interrupt before its send fails. */
    static final int MAX_LARGE_ATTEMPTS = 5;

    /**
     * One attempt of {@link #sendLarge}. With {@code channel} (failover), an upload whose chunks did not all go out
     * on that one channel fails as a connection failure: the broker has only a part of it.
     */
    private CompletableFuture<Void> upload(EncodedMessage message, java.io.InputStream body, Object channel)
            throws ClientException {
        java.io.InputStream source = body != null ? body
                : new java.io.ByteArrayInputStream(message.bytes(), message.bodyOffset(), message.bodyLength());
        long limit = connection.url().maxMessageSize();
        int chunkSize = connection.url().largeMessageSize();
        long uploadId = connection.nextCorrelationId();
        java.util.ArrayDeque<CompletableFuture<Void>> inFlight = new java.util.ArrayDeque<>();
        long total = 0;
        try {
            while (true) {
                byte[] chunk;
                try {
                    chunk = readChunk(source, chunkSize);
                } catch (java.io.IOException | RuntimeException e) {
                    throw new ClientException(ErrorCode.INTERNAL, "the large message's body stream failed after "
                            + total + " bytes: " + e, e);
                }
                if (chunk.length == 0) {
                    break;
                }
                total += chunk.length;
                if (total + message.size() > limit) {
                    throw tooLarge(total + message.size(), limit);
                }
                while (inFlight.size() >= LARGE_WINDOW) {
                    awaitVoid(inFlight.poll(), connection.requestTimeoutMillis());
                }
                inFlight.add(chunkRequest(new LargeChunk(connection.nextCorrelationId(), id, uploadId, chunk)));
                if (chunk.length < chunkSize) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                awaitVoid(inFlight.poll(), connection.requestTimeoutMillis());
            }
            if (channel != null && connection.channel() != channel) {
                throw ClientException.connectionFailure("the connection failed over during a large message's upload",
                        null);
            }
        } catch (ClientException e) {
            // the chunks already sent are dropped by the broker; the connection stays usable
            connection.request(new LargeChunk(connection.nextCorrelationId(), id, uploadId, null));
            throw e;
        }
        return sendFrame(message.asLarge(total, uploadId));
    }

    /** Chunks of a large message sent but not yet answered, at most. */
    static final int LARGE_WINDOW = 4;

    private static byte[] readChunk(java.io.InputStream in, int size) throws java.io.IOException {
        byte[] buffer = new byte[size];
        int n = in.readNBytes(buffer, 0, size);
        return n == size ? buffer : java.util.Arrays.copyOf(buffer, n);
    }

    private CompletableFuture<Void> chunkRequest(LargeChunk chunk) throws ClientException {
        ProducerWindow window = connection.producerWindow();
        int size = chunk.data().length;
        window.acquire(size, connection.requestTimeoutMillis());
        return answered(connection.request(chunk, () -> window.release(size)));
    }

    private static CompletableFuture<Void> answered(CompletableFuture<Packet.Response> answer) {
        CompletableFuture<Void> result = answer.newIncompleteFuture();
        answer.whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(ClientConnection.asClientException(unwrap(error)));
            } else if (response instanceof ErrorResponse e) {
                result.completeExceptionally(ClientException.refused(e.code(), e.message()));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    private CompletableFuture<Void> sendFrame(EncodedMessage message) throws ClientException {
        int size = message.size();
        ProducerWindow window = connection.producerWindow();
        window.acquire(size, connection.requestTimeoutMillis());
        CompletableFuture<Packet.Response> answer = connection.request(
                new Send(connection.nextCorrelationId(), id, message.bytes()), () -> window.release(size));
        CompletableFuture<Void> result = answer.newIncompleteFuture();
        answer.whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(ClientConnection.asClientException(unwrap(error)));
            } else if (response instanceof ErrorResponse e) {
                result.completeExceptionally(ClientException.refused(e.code(), e.message()));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    /**
     * Sends a message with JMS's synchronous semantics. A persistent message outside a transaction waits until
     * the broker has stored it (an answered send is never lost). A non-persistent message, or any message in a
     * local transaction, is not waited for: nothing has to be durable yet, the producer window still bounds what
     * is in flight, and a failure is reported by the next send or, transacted, by the commit (which then rolls
     * back). XA sessions and half-messages always wait.
     */
    public void send(EncodedMessage message) throws ClientException {
        send(message, null);
    }

    /** As {@link #send(EncodedMessage)}; a non-null {@code body} makes it a large message whose body it is. */
    public void send(EncodedMessage message, java.io.InputStream body) throws ClientException {
        throwUnwaitedFailure();
        CompletableFuture<Void> sent = body != null ? sendLarge(message, body) : sendAsync(message);
        if (!waitsFor(message)) {
            // awaited through the callback's own future: a thread woken by the send's answer could otherwise read
            // unwaitedSendFailure before the callback had recorded it (a waiter is woken before earlier callbacks run)
            lastUnwaitedSend = sent.whenComplete((ok, error) -> {
                if (error != null) {
                    ClientException failure = ClientConnection.asClientException(unwrap(error));
                    if (unwaitedSendFailure == null) {
                        unwaitedSendFailure = failure;
                    }
                    LOG.debug("send not waited for failed: {}", failure.getMessage());
                }
            });
            return;
        }
        awaitVoid(sent, connection.requestTimeoutMillis());
    }

    private boolean waitsFor(EncodedMessage message) {
        if (ackMode == XA || message.property(HALF_GROUP_PROPERTY) != null) {
            return true;
        }
        return !isTransacted() && message.persistent();
    }

    /** The half-message group property (HalfMessaging.GROUP_PROPERTY): such a send always waits. */
    private static final String HALF_GROUP_PROPERTY = "JMS_TERN_HalfGroup";

    /** Throws (once) the failure of an earlier send that was not waited for, outside a transaction. */
    private void throwUnwaitedFailure() throws ClientException {
        if (!isTransacted()) {
            ClientException f = unwaitedSendFailure;
            if (f != null) {
                unwaitedSendFailure = null;
                throw new ClientException(f.code(), "an earlier non-persistent send failed: " + f.getMessage(), f);
            }
        }
    }

    /** Waits until every send not waited for has its answer (they are answered in order). */
    private void awaitUnwaitedSends() throws ClientException {
        CompletableFuture<Void> last = lastUnwaitedSend;
        if (last == null) {
            return;
        }
        try {
            last.get(connection.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ErrorCode.INTERNAL, "interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new ClientException(ErrorCode.INTERNAL, "no answer from the broker within "
                    + connection.requestTimeoutMillis() + " ms", e);
        } catch (ExecutionException e) {
            // recorded in unwaitedSendFailure by the send's own callback
        }
        if (lastUnwaitedSend == last) {
            lastUnwaitedSend = null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    static void awaitVoid(CompletableFuture<Void> future, long timeoutMillis) throws ClientException {
        try {
            future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ErrorCode.INTERNAL, "interrupted while waiting for the broker", e);
        } catch (TimeoutException e) {
            throw new ClientException(ErrorCode.INTERNAL, "no answer from the broker within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw ClientConnection.asClientException(e.getCause());
        }
    }

    // ---- acknowledging ----------------------------------------------------------------------------------

    /** A consumer handed {@code deliveryId} to the application. */
    void consumed(long deliveryId) {
        synchronized (unackedLock) {
            unacked.add(deliveryId);
        }
    }

    /**
     * A consumer met an expired delivery in its buffer and skipped it: it counts as consumed, acknowledged
     * with the next batch when the session acknowledges each message, else with the next acknowledge or commit.
     */
    void consumedExpired(long deliveryId) {
        if (acknowledgesEach()) {
            synchronized (unackedLock) {
                addPendingAckLocked(deliveryId);
            }
        } else {
            consumed(deliveryId);
        }
    }

    /**
     * Acknowledges one consumed delivery (auto-acknowledge and dups-ok), unless a recover already took it back.
     * The acknowledgement is not a round trip: it joins a batch that is written as one Acknowledge when
     * {@link #ACK_BATCH} have gathered, when the consumer has nothing more buffered, at the latest after
     * {@link #ACK_DELAY_MILLIS}, and always before a recover, rollback or close of the session. The broker writes
     * each batch without a force of its own (it rides the next one). After a failure, what was consumed but not yet acknowledged comes back with
     * {@code JMSRedelivered} set (JMS 6.2.10 allows this for AUTO_ACKNOWLEDGE and DUPS_OK_ACKNOWLEDGE).
     *
     * @param moreBuffered whether the delivery's consumer holds further deliveries now (the application will
     *                     be back soon, so the batch may grow)
     */
    public void acknowledge(long deliveryId, boolean moreBuffered) throws ClientException {
        long[] flush;
        boolean schedule = false;
        synchronized (unackedLock) {
            if (!unacked.remove(deliveryId)) {
                return;
            }
            addPendingAckLocked(deliveryId);
            if (!moreBuffered || pendingAckCount >= ACK_BATCH) {
                flush = takePendingAcksLocked();
            } else {
                flush = null;
                if (!ackFlushScheduled) {
                    ackFlushScheduled = true;
                    schedule = true;
                }
            }
        }
        checkOpen();
        if (flush != null) {
            writeAcks(flush);
        } else if (schedule) {
            connection.schedule(this::flushAcks, ACK_DELAY_MILLIS);
        }
    }

    /** Auto-acknowledge or dups-ok of one delivery; see {@link #acknowledge(long, boolean)}. */
    public void acknowledge(Delivery delivery) throws ClientException {
        ClientConsumer consumer = connection.consumer(delivery.consumerId());
        acknowledge(delivery.deliveryId(), consumer != null && !consumer.isClosed() && consumer.buffered() > 0);
    }

    private void addPendingAckLocked(long deliveryId) {
        if (pendingAckCount == pendingAcks.length) {
            pendingAcks = java.util.Arrays.copyOf(pendingAcks, pendingAckCount * 2);
        }
        pendingAcks[pendingAckCount++] = deliveryId;
    }

    private long[] takePendingAcksLocked() {
        if (pendingAckCount == 0) {
            return null;
        }
        long[] ids = java.util.Arrays.copyOf(pendingAcks, pendingAckCount);
        pendingAckCount = 0;
        return ids;
    }

    /** Writes the acknowledgements gathered so far (any thread; the event loop's timer too). */
    void flushAcks() {
        long[] ids;
        synchronized (unackedLock) {
            ackFlushScheduled = false;
            ids = takePendingAcksLocked();
        }
        if (ids != null) {
            writeAcks(ids);
        }
    }

    private void writeAcks(long[] ids) {
        if (closed && connection.failure() != null) {
            return;
        }
        // one way (correlation id 0): nobody waits for the answer of an auto or dups-ok acknowledgement, so the
        // broker sends none; one lost with the connection brings its messages back flagged redelivered, as JMS
        // allows for these modes (a broker before this change answers Ok(0), which is ignored like a heartbeat's)
        connection.sendOneWay(new Acknowledge(0, id, ids));
    }

    /** Acknowledges every delivery the application has consumed in this session (client-acknowledge). */
    public void acknowledgeAll() throws ClientException {
        checkOpen();
        flushAcks();
        long[] ids = takeUnacked();
        if (ids.length > 0) {
            connection.call(new Acknowledge(connection.nextCorrelationId(), id, ids));
        }
    }

    private long[] takeUnacked() {
        synchronized (unackedLock) {
            long[] ids = unacked.stream().mapToLong(Long::longValue).toArray();
            unacked.clear();
            return ids;
        }
    }

    /**
     * The connection failed over: the deliveries consumed on the old channel come again from the broker, so
     * their ids (meaningless on the new channel) are forgotten, also those gathered for a batched acknowledgement.
     */
    void failedOver() {
        synchronized (unackedLock) {
            unacked.clear();
            pendingAckCount = 0; // acknowledgements gathered for the lost channel
        }
    }

    /** @return how many consumed deliveries await acknowledgement (for tests and diagnostics) */
    public int unacknowledgedCount() {
        synchronized (unackedLock) {
            return unacked.size();
        }
    }

    // ---- transactions and returns -------------------------------------------------------------------------

    /**
     * Commits: stages the acknowledgement of everything consumed, then commits sends and acknowledgements as one.
     *
     * @throws ClientException {@code TRANSACTION_ROLLED_BACK} when the broker rolled back instead
     */
    public void commit() throws ClientException {
        checkOpen();
        awaitUnwaitedSends();
        ClientException sendFailure = unwaitedSendFailure;
        if (sendFailure != null) {
            rollback();
            throw new ClientException(ErrorCode.TRANSACTION_ROLLED_BACK,
                    "the transaction was rolled back: a send in it failed: " + sendFailure.getMessage(), sendFailure);
        }
        long[] ids = takeUnacked();
        try {
            // the acknowledgement and the commit go out together; the broker handles them in order and an
            // acknowledgement is never refused (unknown ids are skipped), so only the commit's answer matters
            CompletableFuture<Packet.Response> acked = ids.length > 0
                    ? connection.request(new Acknowledge(connection.nextCorrelationId(), id, ids)) : null;
            connection.call(new Commit(connection.nextCorrelationId(), id, nextCommitId()));
            if (acked != null) {
                connection.await(acked);
            }
        } catch (ClientException e) {
            if (e.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                // the broker rolled back; take our buffered deliveries back too so none is stale
                rollback();
            }
            throw e;
        }
    }

    /**
     * The id of the next commit when the connection fails over, else null: a failover that loses the commit's
     * answer asks the broker whether the commit with this id happened.
     */
    private String nextCommitId() {
        String prefix = connection.failoverKey();
        return prefix == null ? null : prefix + "." + id + ":" + (++commits);
    }

    /**
     * Tells the broker the application failed on a delivery (one-way), so a dead-lettered message can
     * carry the reason. Sent before the request that returns the delivery, on the same connection.
     */
    public void reportFailure(long deliveryId, String reason) {
        connection.sendOneWay(new org.ternmq.protocol.DeliveryFailure(id, deliveryId, reason));
    }

    /** Drops staged sends and returns every unacknowledged delivery of the session. */
    public void rollback() throws ClientException {
        try {
            awaitUnwaitedSends();
        } finally {
            unwaitedSendFailure = null;
        }
        returnDeliveries((lastReceived, unconsumed) -> new Rollback(connection.nextCorrelationId(), id, lastReceived, unconsumed));
    }

    /** Returns every unacknowledged delivery of the session for redelivery. */
    public void recover() throws ClientException {
        returnDeliveries((lastReceived, unconsumed) -> new Recover(connection.nextCorrelationId(), id, lastReceived, unconsumed));
    }

    private void returnDeliveries(BiFunction<Long, long[], Packet.Request> request) throws ClientException {
        checkOpen();
        flushAcks();
        connection.await(connection.requestFromEventLoop(lastReceived -> {
            // from here until the broker's answer, deliveries in flight are dropped: the broker takes them back
            returning = true;
            long[] unconsumed = drainConsumers(false);
            synchronized (unackedLock) {
                unacked.clear();
            }
            return request.apply(lastReceived, unconsumed);
        }, () -> returning = false));
    }

    private long[] drainConsumers(boolean close) {
        List<Long> ids = new ArrayList<>();
        for (ClientConsumer consumer : connection.consumersOf(this)) {
            for (long d : consumer.drain(close)) {
                ids.add(d);
            }
            if (close) {
                connection.unregister(consumer);
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Closes the session: its consumers stop, their buffered deliveries go back untouched, the consumed but
     * unacknowledged ones are returned as delivered, a transaction in progress rolls back. Idempotent.
     */
    public void close() throws ClientException {
        if (closed) {
            return;
        }
        flushAcks();
        closed = true;
        if (connection.failure() != null) {
            closeSent = true;
            drainConsumers(true);
            connection.unregister(this);
            return;
        }
        connection.await(connection.requestFromEventLoop(lastReceived -> {
            closeSent = true;
            long[] unconsumed = drainConsumers(true);
            synchronized (unackedLock) {
                unacked.clear();
            }
            connection.unregister(this);
            return new CloseSession(connection.nextCorrelationId(), id, lastReceived, unconsumed);
        }, null));
    }

    void closeQuietly() {
        try {
            close();
        } catch (ClientException e) {
            // the connection is closing anyway; what the broker does not hear it cleans up with the connection
        }
    }

    @Override
    public String toString() {
        return "ClientSession[" + connection + "/" + id + "]";
    }
}
