package org.ternmq.it.crash;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import org.ternmq.jms.TernConnectionFactory;

/**
 * A client thread of a kill test: connects to the current broker generation, works until the connection
 * breaks, then waits for the next generation (no polling) and connects again, until {@link #stop()}.
 * A broken connection is not an error here: what was in flight is "outcome unknown", which subclasses
 * record in the {@link DeliveryLedger}.
 *
 * <p>{@link #run()} runs on the worker's own thread; {@link #stop()} and the counters may be read by any
 * thread.
 */
abstract class LoadWorker implements Runnable {

    protected final ChildBroker broker;
    protected final DeliveryLedger ledger;
    protected final String name;
    private volatile boolean stopping;
    private volatile Throwable unexpected;
    private final AtomicInteger connectionsLost = new AtomicInteger();
    private final Queue<String> unexplainedFailures = new ConcurrentLinkedQueue<>();

    LoadWorker(String name, ChildBroker broker, DeliveryLedger ledger) {
        this.name = name;
        this.broker = broker;
        this.ledger = ledger;
    }

    /** Works on one connection until it breaks or the worker is stopped. */
    protected abstract void work(Connection connection) throws JMSException;

    /** Called once the worker stops with its connection still up: finish what is pending. */
    protected void finish() throws JMSException {
    }

    protected final boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
    }

    int connectionsLost() {
        return connectionsLost.get();
    }

    /** Failures while the broker generation the worker used was still up: not caused by a kill. */
    List<String> unexplainedFailures() {
        return List.copyOf(unexplainedFailures);
    }

    /** An exception that was not a broken connection (a bug in the test or the client), or null. */
    Throwable unexpected() {
        return unexpected;
    }

    @Override
    public final void run() {
        int failedGeneration = 0;
        try {
            while (!stopping) {
                int generation = broker.awaitGenerationAfter(failedGeneration, 200, TimeUnit.MILLISECONDS);
                if (generation < 0) {
                    continue;
                }
                Connection connection = null;
                try {
                    connection = new TernConnectionFactory(broker.url() + "?connectTimeout=5000&requestTimeout=20000")
                            .createConnection();
                    connection.start();
                    work(connection);
                    finish();
                } catch (JMSException e) {
                    // what was in flight is in doubt; the kill explains the failure only if it came first
                    if (broker.isUp(generation)) {
                        unexplainedFailures.add(name + " on broker generation " + generation + ": " + e);
                        failedGeneration = generation - 1;
                    } else {
                        connectionsLost.incrementAndGet();
                        failedGeneration = generation;
                    }
                } finally {
                    closeQuietly(connection);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            unexpected = e;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (JMSException e) {
            // a dead connection may refuse a clean close; its resources are released anyway
        }
    }
}
