package org.ternmq.tck;

import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the embedded broker of a TCK run listens and keeps its data, read from system properties.
 * Immutable, so any thread may use it.
 *
 * @param port TCP port of the broker's acceptor on 127.0.0.1; {@code jndi.properties} must name the same
 * @param dataDirectory parent of the per-run data directories of the broker
 */
public record TckSettings(int port, Path dataDirectory) {

    /** TCP port of the embedded broker; {@value #DEFAULT_PORT} when not set. */
    public static final String PORT = "tern.tck.port";
    /** Default of {@link #PORT}; the pom filters the same value into {@code jndi.properties}. */
    public static final int DEFAULT_PORT = 61699;
    /** Parent directory of the broker's data; {@value #DEFAULT_DATA_DIRECTORY} when not set. */
    public static final String DATA_DIRECTORY = "tern.tck.dataDirectory";
    /** Default of {@link #DATA_DIRECTORY}, relative to the working directory (the module under Surefire). */
    public static final String DEFAULT_DATA_DIRECTORY = "target/tck-broker";

    /**
     * Whether this JVM starts the embedded broker; {@code false} when something else runs the broker (the
     * inside-container run, profile {@code tck-ee}, whose broker is a child process of the GlassFish container
     * adapter). Default {@code true}.
     */
    public static final String EMBEDDED_BROKER = "tern.tck.embeddedBroker";

    /** Whether {@code properties} ask for the embedded broker ({@link #EMBEDDED_BROKER}, default true). */
    public static boolean embeddedBroker(Properties properties) {
        String value = properties.getProperty(EMBEDDED_BROKER, "true").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(EMBEDDED_BROKER + " must be true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** Validates both settings, so a bad value fails here with its name rather than deep in the broker. */
    public TckSettings {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(PORT + " must be a TCP port in 1..65535, was " + port);
        }
        if (dataDirectory == null) {
            throw new IllegalArgumentException(DATA_DIRECTORY + " must not be null");
        }
    }

    /**
     * Reads the settings from {@code properties} (in a run, the system properties), using the defaults for
     * missing ones.
     *
     * @throws IllegalArgumentException naming the property whose value is not valid
     */
    public static TckSettings from(Properties properties) {
        String port = properties.getProperty(PORT, Integer.toString(DEFAULT_PORT)).trim();
        int parsed;
        try {
            parsed = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PORT + " must be a TCP port in 1..65535, was '" + port + "'", e);
        }
        return new TckSettings(parsed, Path.of(properties.getProperty(DATA_DIRECTORY, DEFAULT_DATA_DIRECTORY)));
    }
}
