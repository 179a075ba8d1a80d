package org.ternmq.tck;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * The embedded Tern broker the TCK talks to: TCP on 127.0.0.1 only, user {@code guest}/{@code guest} (the
 * {@code user} and {@code password} the TCK is given) and anonymous connections allowed, since many tests
 * connect without credentials. The TCK's {@code invalid}/{@code invalid} credentials must still be refused.
 *
 * <p>Each start gets a fresh data directory under {@link TckSettings#dataDirectory()}, so no durable
 * subscription or message of an earlier run leaks into this one, and the data of the last run stays there
 * to look at. Start and close from one thread (the listener's).
 */
final class TckBroker implements AutoCloseable {

    /** The TCK's {@code user} and {@code password} system properties (see the pom's tck profile). */
    static final String USER = "guest";
    static final String PASSWORD = "guest";

    private final EmbeddedBroker broker;

    private TckBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker with {@code settings}.
     *
     * @throws Exception when the broker cannot start (the port is taken, the directory cannot be made)
     */
    static TckBroker start(TckSettings settings) throws Exception {
        Path runDirectory = Files.createTempDirectory(Files.createDirectories(settings.dataDirectory()), "run-");
        BrokerConfig config = BrokerConfig.builder()
                .host("127.0.0.1")
                .tcpPort(settings.port())
                .dataDirectory(runDirectory)
                .user(USER, PASSWORD)
                .allowAnonymous(true)
                .build();
        return new TckBroker(EmbeddedBroker.start(config));
    }

    @Override
    public void close() {
        broker.close();
    }
}
