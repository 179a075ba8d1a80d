package org.ternmq.tck;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Properties;

/**
 * The TCK's own logger, {@code com.sun.ts.lib.util.TestUtil}, reached by reflection so this module compiles
 * and builds without the TCK on the class path.
 *
 * <p>By default {@code TestUtil} writes to the socket of a JavaTest harness that a Surefire run does not
 * have, so every TCK message and stack trace would be lost. {@code initNoLogging} switches it to plain
 * writers, and {@code setCurrentTest} hands it the writer for the test about to run.
 *
 * <p>{@code TestUtil} is global static state: call this from the thread that runs the tests.
 */
public final class TckLogging {

    /** The logger class in the TCK's common lib ({@code jakarta.tck:common}). */
    public static final String TEST_UTIL = "com.sun.ts.lib.util.TestUtil";

    private final Method initNoLogging;
    private final Method setCurrentTest;

    private TckLogging(Method initNoLogging, Method setCurrentTest) {
        this.initNoLogging = initNoLogging;
        this.setCurrentTest = setCurrentTest;
    }

    /** The TCK's logger as seen from {@code loader}, or empty when the TCK is not on the class path. */
    public static Optional<TckLogging> find(ClassLoader loader) {
        return find(TEST_UTIL, loader);
    }

    /**
     * A logger class with {@code TestUtil}'s two static methods, or empty when the class is absent.
     *
     * @throws IllegalStateException when the class exists but lacks one of the methods (another TCK version)
     */
    static Optional<TckLogging> find(String className, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TckLogging(
                    type.getMethod("initNoLogging", Properties.class),
                    type.getMethod("setCurrentTest", String.class, PrintWriter.class, PrintWriter.class)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(className + " does not have the methods this runner expects", e);
        }
    }

    /** Makes the TCK log to writers instead of a harness socket; later calls do nothing (TestUtil's rule). */
    public void initNoLogging(Properties properties) {
        invoke(initNoLogging, properties);
    }

    /** Names the test about to run and sends its log lines to {@code out}. */
    public void setCurrentTest(String testName, PrintWriter out) {
        invoke(setCurrentTest, testName, out, out);
    }

    private static void invoke(Method method, Object... arguments) {
        try {
            method.invoke(null, arguments);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + method, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(method + " failed", e.getCause());
        }
    }
}
