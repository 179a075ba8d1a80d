package org.ternmq.perf;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Stop signals for the two sides of a run, and the first failure of any worker, which stops both.
 * Thread-safe: workers, completion listeners and the main thread all use it.
 */
final class RunControl {
    private volatile boolean producersStopped;
    private volatile boolean consumersStopped;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    boolean producersStopped() {
        return producersStopped;
    }

    boolean consumersStopped() {
        return consumersStopped;
    }

    void stopProducers() {
        producersStopped = true;
    }

    void stopConsumers() {
        consumersStopped = true;
    }

    /** Records {@code e} if it is the first failure and stops everything. */
    void fail(Exception e) {
        failure.compareAndSet(null, e);
        producersStopped = true;
        consumersStopped = true;
    }

    /** The first failure, or null. */
    Exception failure() {
        return failure.get();
    }
}
