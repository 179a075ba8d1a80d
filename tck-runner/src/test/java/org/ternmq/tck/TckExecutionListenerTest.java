package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

class TckExecutionListenerTest {

    @Test
    void isRegisteredWithTheJUnitPlatform() {
        assertThat(ServiceLoader.load(TestExecutionListener.class, getClass().getClassLoader()).stream()
                .map(ServiceLoader.Provider::type))
                .contains(TckExecutionListener.class);
    }

    @Test
    void startsNoBrokerWithoutTheTck() {
        assumeThat(TckLogging.find(getClass().getClassLoader())).as("the TCK is not on the class path").isEmpty();
        TckExecutionListener listener = new TckExecutionListener();

        listener.testPlanExecutionStarted(null); // the listener never reads the plan
        listener.executionStarted(identifier(MethodSource.from("a.B", "c"), TestDescriptorStub.Type.TEST));
        boolean runningDuringPlan = listener.brokerRunning();
        listener.testPlanExecutionFinished(null);

        assertThat(runningDuringPlan).isFalse();
        assertThat(listener.brokerRunning()).isFalse();
    }

    @Test
    void startsNoBrokerWhenAnotherProcessRunsIt() throws Exception {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty(TckSettings.EMBEDDED_BROKER, "false");
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        try (AutoCloseable broker = TckExecutionListener.brokerStarter(properties)
                .start(new TckSettings(port, java.nio.file.Path.of("target", "unused")))) {
            // nothing listens on the port: the broker of such a run is someone else's
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }

    @Test
    void namesMethodsAsClassHashMethod() {
        TestIdentifier method = identifier(MethodSource.from("com.sun.ts.tests.jms.core.FooIT", "barTest"),
                TestDescriptorStub.Type.TEST);

        assertThat(TckExecutionListener.testName(method)).isEqualTo("com.sun.ts.tests.jms.core.FooIT#barTest");
    }

    @Test
    void namesOtherNodesByClassOrDisplayName() {
        TestIdentifier type = identifier(ClassSource.from("a.B"), TestDescriptorStub.Type.CONTAINER);
        TestIdentifier bare = identifier(null, TestDescriptorStub.Type.CONTAINER);

        assertThat(TckExecutionListener.testName(type)).isEqualTo("a.B");
        assertThat(TckExecutionListener.testName(bare)).isEqualTo("display name");
    }

    private static TestIdentifier identifier(TestSource source, TestDescriptorStub.Type type) {
        return TestIdentifier.from(new TestDescriptorStub(source, type));
    }

    /** A minimal node of a test plan. */
    private static final class TestDescriptorStub extends AbstractTestDescriptor {
        private final Type type;

        TestDescriptorStub(TestSource source, Type type) {
            super(UniqueId.forEngine("stub").append("node", "1"), "display name", source);
            this.type = type;
        }

        @Override
        public Type getType() {
            return type;
        }
    }
}
