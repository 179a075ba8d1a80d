package org.ternmq.it.glassfish;

import java.nio.file.Path;

import org.ternmq.it.app.Scenarios;
import org.ternmq.it.crash.ChildBroker;

/** The broker of this server's tests: a child process on the port the server's configuration names. */
final class Brokers {

    private Brokers() {
    }

    static ChildBroker start(Path dir) {
        try {
            Scenarios.prepareDatabase();
            int port = Integer.getInteger("tern.it.broker.port");
            ChildBroker broker = new ChildBroker(port, dir.resolve("data"), dir.resolve("logs"), "--config",
                    Scenarios.brokerConfig(dir).toString());
            return broker.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test broker: " + e, e);
        }
    }
}
