package org.ternmq.it.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.ternmq.jms.TernConnectionFactory;

/**
 * The client side of a failover test: its threads (producers, consumers), which run until {@link #stop} and whose
 * first failure is kept ({@link #failed}), and the connections they use, closed together at the end. Threads are
 * started and stopped by the test thread; {@link #stopped()} and {@link #failed} are read by any.
 */
final class Workers implements AutoCloseable {

    /** A worker's body: it runs until {@link #stopped()} and may throw. */
    interface Body {
        void run() throws Exception;
    }

    /** The first failure of a worker that was not stopping; null while none failed. */
    final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();

    /** Starts a worker thread named {@code name}. */
    void start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                if (!stop.get()) {
                    failed.compareAndSet(null, e);
                }
            }
        }, name);
        threads.add(t);
        t.start();
    }

    /** A connection to {@code url}, closed by {@link #closeConnections()}. */
    Connection connect(String url) throws JMSException {
        Connection c = new TernConnectionFactory(url).createConnection();
        connections.add(c);
        return c;
    }

    boolean stopped() {
        return stop.get();
    }

    /** Tells the workers to stop and waits up to {@code millis} for each. */
    void stop(long millis) throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(millis);
        }
    }

    /** Closes every connection; one whose broker is gone may fail to close, which is ignored. */
    void closeConnections() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (Exception e) {
                // gone with its broker
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(10_000);
        closeConnections();
    }
}
