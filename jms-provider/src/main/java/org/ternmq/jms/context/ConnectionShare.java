package org.ternmq.jms.context;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateRuntimeException;

/**
 * A classic {@link Connection} shared by the {@link TernJMSContext}s built on it, with a count of the contexts
 * still open: the context that brings the count to zero closes the connection.
 *
 * <p>Thread-safe: contexts on the same connection may be used, and closed, from different threads.
 */
final class ConnectionShare {

    private final Connection connection;
    /** Open contexts; zero means the connection is closed (or being closed) and can never be reused. */
    private final AtomicInteger users = new AtomicInteger(1);
    /** Whether a context on this connection called stop() last (rather than start()). */
    private volatile boolean stopped;

    /** @param connection a connection owned from now on by the one context that is about to be created */
    ConnectionShare(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /**
     * Counts one more context on the connection.
     *
     * @throws IllegalStateRuntimeException if the last context already released it
     */
    void retain() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                throw new IllegalStateRuntimeException("the connection of this JMSContext is closed");
            }
            if (users.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    /** Counts one context less, and closes the connection when it was the last. */
    void release() {
        if (users.decrementAndGet() == 0) {
            RuntimeExceptions.uncheckedRun(connection::close);
        }
    }

    /** Records a start or stop made through a context, so consumers can honour it for what they hold back. */
    void stopped(boolean stopped) {
        this.stopped = stopped;
    }

    /** @return whether delivery was last stopped through a context on this connection */
    boolean isStopped() {
        return stopped;
    }

    /** @return how many contexts still use the connection */
    int users() {
        return users.get();
    }
}
