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

    ProducerWindow(long capacity) {
        this.capacity = capacity <= 0 ? Long.MAX_VALUE : capacity;
    }

    /** Waits until {@code bytes} fit. */
    void acquire(int bytes, long timeoutMillis) throws ClientException {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!failed && inFlight > 0 && inFlight + bytes > capacity) {
                if (nanos <= 0) {
                    throw new ClientException(org.ternmq.protocol.ErrorCode.RESOURCE_ALLOCATION,
                            "producer window full for " + timeoutMillis + " ms");
                }
                nanos = freed.awaitNanos(nanos);
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
