package org.ternmq.tck;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.Properties;

/**
 * One run of the TCK, from test-plan start to test-plan end: makes the TCK's logger write to standard out,
 * starts the embedded broker, names each test to the logger, and stops the broker.
 *
 * <p>Without the TCK on the class path (the module's own unit tests, a build without {@code -Ptck}) a
 * session does nothing at all, and in particular starts no broker.
 *
 * <p>Not thread-safe: the JUnit launcher calls it from the one thread that runs the TCK's tests in order.
 */
final class TckSession {

    /** Starts the broker for a run; {@link TckBroker#start} outside tests. */
    @FunctionalInterface
    interface BrokerStarter {
        AutoCloseable start(TckSettings settings) throws Exception;
    }

    /** What the TCK's logger is told while no test is running. */
    static final String PLAN_NAME = "tern-tck";

    private final Optional<TckLogging> logging;
    private final Properties properties;
    private final BrokerStarter brokerStarter;
    private AutoCloseable broker;

    /**
     * @param logging the TCK's logger, empty when the TCK is not on the class path
     * @param properties the run's settings: the system properties the TCK reads and {@link TckSettings}'
     * @param brokerStarter starts the broker the TCK connects to
     */
    TckSession(Optional<TckLogging> logging, Properties properties, BrokerStarter brokerStarter) {
        this.logging = logging;
        this.properties = properties;
        this.brokerStarter = brokerStarter;
    }

    /** Whether the TCK is on the class path, so this session has work to do. */
    boolean active() {
        return logging.isPresent();
    }

    /** Whether a broker started by {@link #open()} is still running. */
    boolean brokerRunning() {
        return broker != null;
    }

    /**
     * Makes the TCK log to standard out, then starts the broker; does nothing when not {@link #active()}.
     * The logger is set up first so a broker failure does not also hide the TCK's own messages.
     *
     * @throws Exception when the settings are invalid or the broker cannot start
     */
    void open() throws Exception {
        if (logging.isEmpty() || broker != null) {
            return;
        }
        logging.get().initNoLogging(properties);
        logging.get().setCurrentTest(PLAN_NAME, standardOut());
        broker = brokerStarter.start(TckSettings.from(properties));
    }

    /** Names the test about to run to the TCK's logger, whose lines then go to standard out. */
    void testStarted(String testName) {
        logging.ifPresent(log -> log.setCurrentTest(testName, standardOut()));
    }

    /** Stops the broker, if one runs; safe to call more than once. */
    void close() throws Exception {
        AutoCloseable running = broker;
        broker = null;
        if (running != null) {
            running.close();
        }
    }

    // A new writer each time, because Surefire may swap System.out to capture each test class's output.
    private static PrintWriter standardOut() {
        return new PrintWriter(System.out, true);
    }
}
