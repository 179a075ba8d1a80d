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
    private volatile boolean closed;
    /** An XA session between start and end: what it consumes is acknowledged into the branch at end. */
    private volatile boolean xaAssociated;

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
        return returning || closed;
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
        ProducerWindow window = connection.producerWindow();
        window.acquire(size, connection.requestTimeoutMillis());
        CompletableFuture<Packet.Response> answer = connection.request(
                new Send(connection.nextCorrelationId(), id, message.bytes()), () -> window.release(size));
        CompletableFuture<Void> result = new CompletableFuture<>();
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

    /** Sends and waits until the broker has the message (or, transacted, has staged it). */
    public void send(EncodedMessage message) throws ClientException {
        awaitVoid(sendAsync(message), connection.requestTimeoutMillis());
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
     * A consumer met an expired delivery in its buffer and skipped it: it counts as consumed, acknowledged at
     * once when the session acknowledges each message, else with the next acknowledge or commit.
     */
    void consumedExpired(long deliveryId) {
        if (acknowledgesEach()) {
            connection.request(new Acknowledge(connection.nextCorrelationId(), id, new long[] {deliveryId}));
        } else {
            consumed(deliveryId);
        }
    }

    /** Acknowledges one consumed delivery (auto-acknowledge), unless a recover already took it back. */
    public void acknowledge(long deliveryId) throws ClientException {
        synchronized (unackedLock) {
            if (!unacked.remove(deliveryId)) {
                return;
            }
        }
        checkOpen();
        connection.call(new Acknowledge(connection.nextCorrelationId(), id, new long[] {deliveryId}));
    }

    /**
     * Acknowledges without waiting for the broker (dups-ok: a lost acknowledgement only means a duplicate).
     * Requests of a connection are handled in order, so a later close or commit still follows it.
     */
    public void acknowledgeLazily(long deliveryId) throws ClientException {
        synchronized (unackedLock) {
            if (!unacked.remove(deliveryId)) {
                return;
            }
        }
        checkOpen();
        connection.request(new Acknowledge(connection.nextCorrelationId(), id, new long[] {deliveryId}))
                .whenComplete((response, error) -> {
                    if (error != null || response instanceof org.ternmq.protocol.ErrorResponse) {
                        LOG.debug("lazy acknowledgement of delivery {} failed: {}", deliveryId,
                                error != null ? error : response);
                    }
                });
    }

    /** Acknowledges every delivery the application has consumed in this session (client-acknowledge). */
    public void acknowledgeAll() throws ClientException {
        checkOpen();
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
        long[] ids = takeUnacked();
        try {
            if (ids.length > 0) {
                connection.call(new Acknowledge(connection.nextCorrelationId(), id, ids));
            }
            connection.call(new Commit(connection.nextCorrelationId(), id));
        } catch (ClientException e) {
            if (e.code() == ErrorCode.TRANSACTION_ROLLED_BACK) {
                // the broker rolled back; take our buffered deliveries back too so none is stale
                rollback();
            }
            throw e;
        }
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
        returnDeliveries((lastReceived, unconsumed) -> new Rollback(connection.nextCorrelationId(), id, lastReceived, unconsumed));
    }

    /** Returns every unacknowledged delivery of the session for redelivery. */
    public void recover() throws ClientException {
        returnDeliveries((lastReceived, unconsumed) -> new Recover(connection.nextCorrelationId(), id, lastReceived, unconsumed));
    }

    private void returnDeliveries(BiFunction<Long, long[], Packet.Request> request) throws ClientException {
        checkOpen();
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
        closed = true;
        if (connection.failure() != null) {
            drainConsumers(true);
            connection.unregister(this);
            return;
        }
        connection.await(connection.requestFromEventLoop(lastReceived -> {
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
