package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TckSessionTest {

    /** Calls to the fake logger and to the fake broker, in order. */
    private final List<String> calls = FakeTestUtil.CALLS;
    private final List<TckSettings> started = new ArrayList<>();
    private final Properties properties = new Properties();
    private int brokerCloses;

    @BeforeEach
    void resetFake() {
        FakeTestUtil.reset();
        properties.setProperty("tern.tck.port", "23456");
    }

    private AutoCloseable startBroker(TckSettings settings) {
        calls.add("startBroker");
        started.add(settings);
        return () -> brokerCloses++;
    }

    private TckSession activeSession(TckSession.BrokerStarter starter) {
        return new TckSession(TckLogging.find(FakeTestUtil.class.getName(), getClass().getClassLoader()),
                properties, starter);
    }

    @Test
    void withoutTheTckDoesNothing() throws Exception {
        TckSession session = new TckSession(Optional.empty(), properties, this::startBroker);

        session.open();
        session.testStarted("a.B#c");
        session.close();

        assertThat(session.active()).isFalse();
        assertThat(session.brokerRunning()).isFalse();
        assertThat(started).isEmpty();
        assertThat(calls).isEmpty();
    }

    @Test
    void setsUpTheLoggerBeforeStartingTheBroker() throws Exception {
        TckSession session = activeSession(this::startBroker);

        session.open();

        assertThat(session.active()).isTrue();
        assertThat(session.brokerRunning()).isTrue();
        assertThat(calls).containsExactly("initNoLogging", "setCurrentTest:" + TckSession.PLAN_NAME, "startBroker");
        assertThat(FakeTestUtil.initProperties).isSameAs(properties);
        assertThat(started).singleElement().extracting(TckSettings::port).isEqualTo(23456);
    }

    @Test
    void opensOnlyOnce() throws Exception {
        TckSession session = activeSession(this::startBroker);

        session.open();
        session.open();

        assertThat(started).hasSize(1);
    }

    @Test
    void namesEachTestToTheLogger() throws Exception {
        TckSession session = activeSession(this::startBroker);
        session.open();

        session.testStarted("a.B#one");
        session.testStarted("a.B#two");

        assertThat(calls).endsWith("setCurrentTest:a.B#one", "setCurrentTest:a.B#two");
        assertThat(FakeTestUtil.lastOut).isNotNull();
    }

    @Test
    void closeStopsTheBrokerOnce() throws Exception {
        TckSession session = activeSession(this::startBroker);
        session.open();

        session.close();
        session.close();

        assertThat(brokerCloses).isEqualTo(1);
        assertThat(session.brokerRunning()).isFalse();
    }

    @Test
    void aBrokerThatCannotStartFailsOpenButKeepsTheLogger() throws Exception {
        TckSession session = activeSession(settings -> {
            throw new IOException("port taken");
        });

        assertThatThrownBy(session::open).hasMessage("port taken");
        session.testStarted("a.B#c");
        session.close();

        assertThat(session.brokerRunning()).isFalse();
        assertThat(calls).contains("initNoLogging", "setCurrentTest:a.B#c");
    }

    @Test
    void anInvalidPortStartsNoBroker() {
        properties.setProperty("tern.tck.port", "99999");
        TckSession session = activeSession(this::startBroker);

        assertThatThrownBy(session::open).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tern.tck.port");
        assertThat(started).isEmpty();
    }
}
