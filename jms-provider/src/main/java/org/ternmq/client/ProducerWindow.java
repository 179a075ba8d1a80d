package org.ternmq.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer window of one connection: at most {@code capacity} bytes of sends may await the broker's
 * answer; further sends wait. A single message larger than the window goes alone. Application threads
 * {@link #acquire}; the event loop {@link #release}s as answers arrive.
 */
final class ProducerWindow {

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private long inFlight;
    private boolean failed;

    /** The connection's link when it has no event loop: a waiting sender reads the answers that free room. */
    private final DirectLink direct;

    ProducerWindow(long capacity) {
        this(capacity, null);
    }

    ProducerWindow(long capacity, DirectLink direct) {
        this.capacity = capacity <= 0 ? Long.MAX_VALUE : capacity;
        this.direct = direct;
    }

    /** Waits until {@code bytes} fit. */
    void acquire(int bytes, long timeoutMillis) throws ClientException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!fits(bytes)) {
                if (nanos <= 0) {
                    throw new ClientException(org.ternmq.protocol.ErrorCode.RESOURCE_ALLOCATION,
                            "producer window full for " + timeoutMillis + " ms");
                }
                if (direct != null) {
                    long deadline = System.nanoTime() + nanos;
                    lock.unlock();
                    try {
                        direct.readUntil(() -> fits(bytes), deadline);
                    } finally {
                        lock.lock();
                    }
                    nanos = deadline - System.nanoTime();
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                } else {
                    nanos = freed.awaitNanos(nanos);
                }
            }
            if (failed) {
                throw ClientException.connectionFailure("connection lost", null);
            }
            inFlight += bytes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(org.ternmq.protocol.ErrorCode.INTERNAL, "interrupted while sending", e);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code bytes} may go now (alone, when more than the window); the connection's end lets them too. */
    private boolean fits(int bytes) {
        lock.lock();
        try {
            return failed || inFlight <= 0 || inFlight + bytes <= capacity;
        } finally {
            lock.unlock();
        }
    }

    void release(int bytes) {
        lock.lock();
        try {
            inFlight -= bytes;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting sender: the connection is gone. */
    void fail() {
        lock.lock();
        try {
            failed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
