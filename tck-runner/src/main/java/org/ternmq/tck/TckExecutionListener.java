package org.ternmq.tck;

import java.util.Optional;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hooks a TCK run into the JUnit Platform: at test-plan start it makes the TCK's logger usable and starts
 * the embedded broker over TCP, it names each test to the logger, and at test-plan end it stops the broker.
 * Registered through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener} in this
 * module's test resources, and inert when the TCK is not on the class path.
 *
 * <p>The launcher calls it from the thread that runs the tests; the TCK's tests run one at a time.
 * Exceptions are logged here rather than thrown, since the launcher would only log them less clearly.
 */
public final class TckExecutionListener implements TestExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(TckExecutionListener.class);

    private TckSession session;

    /** Called by the JUnit Platform's service loader. */
    public TckExecutionListener() {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        session = new TckSession(TckLogging.find(TckExecutionListener.class.getClassLoader()),
                System.getProperties(), brokerStarter(System.getProperties()));
        if (!session.active()) {
            return;
        }
        try {
            session.open();
            if (TckSettings.embeddedBroker(System.getProperties())) {
                LOG.info("TCK run started with an embedded Tern broker ({})", TckSettings.from(System.getProperties()));
            } else {
                LOG.info("TCK run started; the Tern broker is another process's");
            }
        } catch (Exception e) {
            LOG.error("Could not start the embedded Tern broker for the TCK: every test will fail to connect", e);
        }
    }

    @Override
    public void executionStarted(TestIdentifier testIdentifier) {
        if (session != null && testIdentifier.isTest()) {
            session.testStarted(testName(testIdentifier));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (session == null) {
            return;
        }
        try {
            session.close();
        } catch (Exception e) {
            LOG.error("Could not stop the embedded Tern broker cleanly after the TCK", e);
        } finally {
            session = null;
        }
    }

    /** {@link TckBroker#start}, or a starter of nothing when another process runs the broker. */
    static TckSession.BrokerStarter brokerStarter(java.util.Properties properties) {
        if (TckSettings.embeddedBroker(properties)) {
            return TckBroker::start;
        }
        return settings -> () -> { };
    }

    /** Whether the current run has a broker running; for tests. */
    boolean brokerRunning() {
        return session != null && session.brokerRunning();
    }

    /** {@code class#method} for a test method, as the TCK's own harness named tests; else the display name. */
    static String testName(TestIdentifier testIdentifier) {
        Optional<TestSource> source = testIdentifier.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource method) {
            return method.getClassName() + "#" + method.getMethodName();
        }
        if (source.isPresent() && source.get() instanceof ClassSource type) {
            return type.getClassName();
        }
        return testIdentifier.getDisplayName();
    }
}
