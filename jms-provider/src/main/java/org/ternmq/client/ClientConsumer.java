package org.ternmq.client;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.protocol.CloseConsumer;
import org.ternmq.protocol.Credit;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.FlushConsumer;

/**
 * A consumer's buffer of deliveries, flow-controlled by credits: the broker may send at most {@code prefetch}
 * messages beyond what the application has taken; credits go back in batches of half the window as the
 * application consumes. Messages are handed out only while the connection's delivery is started.
 *
 * <p>Thread-safety: the event loop adds deliveries ({@link #onDeliver}); application threads and the
 * session's listener thread take them. One lock guards the buffer; it is never held while waiting for
 * the broker.
 */
public final class ClientConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ClientConsumer.class);

    private final ClientSession session;
    private final ClientConnection connection;
    private final long id;
    private final int creditBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
    private int uncredited;
    private boolean closed;
    private boolean ended;
    private volatile Runnable availabilityListener;

    ClientConsumer(ClientSession session, long id, int prefetch) {
        this.session = session;
        this.connection = session.connection();
        this.id = id;
        this.creditBatch = Math.max(1, prefetch / 2);
    }

    public long id() {
        return id;
    }

    ClientSession session() {
        return session;
    }

    /**
     * Registers a callback run whenever a delivery may be available to {@link #poll()}: on arrival (on the
     * event loop, so it must not block) and when delivery is started. Null removes it.
     */
    public void setAvailabilityListener(Runnable listener) {
        listen(listener);
        if (listener != null) {
            notifyAvailable();
        }
    }

    /** Sets or (null) removes the message listener's callback, counted by the connection. */
    synchronized void listen(Runnable listener) {
        boolean had = availabilityListener != null;
        availabilityListener = listener;
        if (had != (listener != null)) {
            connection.listenersChanged(had ? -1 : 1);
        }
    }

    // ---- event loop ------------------------------------------------------------------------------------

    void onDeliver(Deliver deliver) {
        EncodedMessage message;
        try {
            message = EncodedMessage.wrap(deliver.message());
        } catch (MalformedMessageException e) {
            LOG.warn("consumer {}: malformed delivery {} dropped: {}", id, deliver.deliveryId(), e.getMessage());
            message = null;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (session.isReturning()) {
                // in flight while a rollback/recover runs: above its watermark, the broker takes it back
                // with its credit and count unchanged
                return;
            }
            if (message == null) {
                uncredited++;
                grantLocked(creditBatch);
                return;
            }
            buffer.add(new Delivery(id, deliver.deliveryId(), deliver.deliveryCount(), message));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyAvailable();
    }

    void deliveryResumed() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyAvailable();
    }

    void connectionEnded() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        notifyAvailable();
    }

    private void notifyAvailable() {
        Runnable listener = availabilityListener;
        if (listener != null && connection.isDeliveryStarted()) {
            listener.run();
        }
    }

    // ---- application threads ---------------------------------------------------------------------------

    /**
     * Waits for the next delivery while delivery is started.
     *
     * @param timeoutMillis 0 waits for ever
     * @return the delivery, or null on timeout or when the consumer is closed meanwhile
     * @throws ClientException when the connection is lost
     */
    public Delivery receive(long timeoutMillis) throws ClientException {
        long deadline = timeoutMillis == 0 ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                if (ended) {
                    throw failure();
                }
                if (connection.isDeliveryStarted()) {
                    Delivery d = takeLocked();
                    if (d != null) {
                        return d;
                    }
                }
                DirectLink direct = connection.direct();
                if (direct != null) {
                    long until = deadline == Long.MAX_VALUE ? System.nanoTime() + TimeUnit.DAYS.toNanos(365) : deadline;
                    if (until - System.nanoTime() <= 0) {
                        return null;
                    }
                    lock.unlock();
                    try {
                        direct.readUntil(this::receivable, until);
                    } finally {
                        lock.lock();
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        return null; // as an interrupted wait below
                    }
                } else if (deadline == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    changed.awaitNanos(left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a waiting {@link #receive} has something to do: a delivery to take, or an end. */
    private boolean receivable() {
        lock.lock();
        try {
            return closed || ended || (connection.isDeliveryStarted() && !buffer.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next delivery available now: when the buffer is empty, asks the broker to dispatch what this consumer
     * can have now ({@code FlushConsumer}) and looks again, so a message waiting on the broker is not missed.
     *
     * @return the delivery, or null (also while delivery is stopped)
     */
    public Delivery receiveNoWait() throws ClientException {
        lock.lock();
        try {
            if (closed || !connection.isDeliveryStarted()) {
                return null;
            }
            if (ended) {
                throw failure();
            }
            Delivery d = takeLocked();
            if (d != null) {
                return d;
            }
            grantLocked(1);
        } finally {
            lock.unlock();
        }
        try {
            connection.call(new FlushConsumer(connection.nextCorrelationId(), id));
        } catch (ClientException e) {
            if (isClosed()) {
                return null;
            }
            throw e;
        }
        return poll();
    }

    /** The next delivery if one is buffered and delivery is started, else null; never blocks (listener use). */
    public Delivery poll() {
        lock.lock();
        try {
            if (closed || ended || !connection.isDeliveryStarted()) {
                return null;
            }
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

    private Delivery takeLocked() {
        Delivery d;
        while ((d = buffer.poll()) != null) {
            uncredited++;
            grantLocked(creditBatch);
            if (d.message().isExpired(System.currentTimeMillis())) {
                session.consumedExpired(d.deliveryId());
                continue;
            }
            session.consumed(d.deliveryId());
            return d;
        }
        return null;
    }

    private void grantLocked(int threshold) {
        if (uncredited >= threshold) {
            connection.sendOneWay(new Credit(id, uncredited));
            uncredited = 0;
        }
    }

    private ClientException failure() {
        ClientException f = connection.failure();
        return f != null ? f : new ClientException(ErrorCode.INTERNAL, "connection ended");
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many deliveries wait in the buffer */
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /** Empties the buffer; with {@code close}, also stops accepting deliveries. @return the ids taken out */
    long[] drain(boolean close) {
        lock.lock();
        try {
            long[] ids = buffer.stream().mapToLong(Delivery::deliveryId).toArray();
            buffer.clear();
            if (close) {
                closed = true;
                changed.signalAll();
            }
            return ids;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the consumer: a blocked {@link #receive} returns null, buffered deliveries go back to the broker
     * untouched; consumed but unacknowledged ones stay with the session. Idempotent.
     */
    public void close() throws ClientException {
        if (isClosed()) {
            return;
        }
        listen(null);
        session.flushAcks();
        if (session.isClosed() || connection.failure() != null) {
            drain(true);
            connection.unregister(this);
            return;
        }
        connection.await(connection.requestFromEventLoop(lastReceived -> {
            long[] unconsumed = drain(true);
            connection.unregister(this);
            return new CloseConsumer(connection.nextCorrelationId(), id, lastReceived, unconsumed);
        }, null));
    }

    @Override
    public String toString() {
        return "ClientConsumer[" + session + "/" + id + "]";
    }
}
