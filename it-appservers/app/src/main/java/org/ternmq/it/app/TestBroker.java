package org.ternmq.it.app;

import java.nio.file.Path;

import org.ternmq.it.crash.ChildBroker;

/** The broker of a server's tests: a child process on the port the server's configuration names. */
public final class TestBroker {

    private TestBroker() {
    }

    /**
     * Prepares the database, starts the broker, and kills it when the test JVM ends if the test has not (a run
     * that failed before its {@code @AfterAll}): a broker left behind would keep the port and the next run
     * could not start its own.
     *
     * @param dir the broker's directory (data, logs, configuration)
     */
    public static ChildBroker start(Path dir) {
        try {
            Scenarios.prepareDatabase();
            int port = Integer.getInteger("tern.it.broker.port");
            ChildBroker broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs"), "--config",
                    Scenarios.brokerConfig(dir).toString());
            broker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "tern-it-broker-killer"));
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test broker: " + e, e);
        }
    }
}
