package org.ternmq.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of an answer on a connection without an event loop ({@link DirectLink}): the thread that waits for it
 * reads the connection's socket until it completes. Futures derived from it ({@code thenApply}, {@code
 * whenComplete}, ...) are of this kind too, so whoever waits for any of them reads.
 */
final class ReadingFuture<T> extends CompletableFuture<T> {

    private static final long FOREVER_NANOS = TimeUnit.DAYS.toNanos(365);

    private final ClientConnection connection;

    ReadingFuture(ClientConnection connection) {
        this.connection = connection;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ReadingFuture<>(connection);
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        connection.readUntil(this::isDone, deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        connection.readUntil(this::isDone, System.nanoTime() + FOREVER_NANOS);
        return super.get();
    }

    @Override
    public T join() {
        connection.readUntil(this::isDone, System.nanoTime() + FOREVER_NANOS);
        return super.join();
    }
}
