package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TckLoggingTest {

    private final ClassLoader loader = TckLoggingTest.class.getClassLoader();

    @BeforeEach
    void resetFake() {
        FakeTestUtil.reset();
    }

    @Test
    void isAbsentWhenTheClassIsNotOnTheClassPath() {
        assertThat(TckLogging.find("com.example.NoSuchTestUtil", loader)).isEmpty();
    }

    @Test
    void namesTheTckLoggerClass() {
        assertThat(TckLogging.TEST_UTIL).isEqualTo("com.sun.ts.lib.util.TestUtil");
    }

    @Test
    void forwardsBothCallsToTheLoggerClass() {
        TckLogging logging = TckLogging.find(FakeTestUtil.class.getName(), loader).orElseThrow();
        Properties properties = new Properties();
        PrintWriter out = new PrintWriter(new StringWriter());

        logging.initNoLogging(properties);
        logging.setCurrentTest("a.B#c", out);

        assertThat(FakeTestUtil.CALLS).containsExactly("initNoLogging", "setCurrentTest:a.B#c");
        assertThat(FakeTestUtil.initProperties).isSameAs(properties);
        assertThat(FakeTestUtil.lastOut).isSameAs(out);
        assertThat(FakeTestUtil.lastErr).isSameAs(out);
    }

    @Test
    void rejectsAClassWithoutTheExpectedMethods() {
        assertThatThrownBy(() -> TckLogging.find(String.class.getName(), loader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void passesOnWhatTheLoggerThrows() {
        TckLogging logging = TckLogging.find(FakeTestUtil.class.getName(), loader).orElseThrow();

        assertThatThrownBy(() -> logging.setCurrentTest("boom", new PrintWriter(new StringWriter())))
                .isInstanceOf(IllegalStateException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
