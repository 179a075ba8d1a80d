package org.ternmq.tck;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Stands in for the TCK's {@code com.sun.ts.lib.util.TestUtil}: same static methods, recording the calls. */
final class FakeTestUtil {

    static final List<String> CALLS = new ArrayList<>();
    static Properties initProperties;
    static PrintWriter lastOut;
    static PrintWriter lastErr;

    private FakeTestUtil() {
    }

    static void reset() {
        CALLS.clear();
        initProperties = null;
        lastOut = null;
        lastErr = null;
    }

    public static void initNoLogging(Properties properties) {
        CALLS.add("initNoLogging");
        initProperties = properties;
    }

    public static void setCurrentTest(String testName, PrintWriter out, PrintWriter err) {
        if (testName.equals("boom")) {
            throw new IllegalArgumentException("boom");
        }
        CALLS.add("setCurrentTest:" + testName);
        lastOut = out;
        lastErr = err;
    }
}
