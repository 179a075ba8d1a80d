package org.ternmq.tck.ee;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The harness end of the TCK's remote logging, for tests whose client side runs in this JVM (the javatest protocol):
 * before a servlet or JSP vehicle runs a test inside the server, it calls the TCK's {@code TestUtil.init}, which
 * opens a socket to {@code harness.host}:{@code harness.log.port} and fails the request ("unable to initialize
 * remote logging", HTTP 500) when nothing listens there. An application client starts such a listener in its own
 * JVM; the javatest protocol does not, and the runner's own TCK logging set-up ({@code TestUtil.initNoLogging})
 * keeps {@code TestUtil.initClient} from starting the TCK's. This listener accepts those connections and hands each
 * log line the server side sends to a sink.
 *
 * <p>What arrives is a Java serialization stream of the TCK's {@code com.sun.ts.lib.util.TestReportInfo} objects
 * (public fields {@code sOutput}, {@code iStream}, {@code iDebugLevel}, {@code exception}), one stream per
 * connection. They are read through a filter that admits that class, exceptions and what exceptions are made of,
 * and nothing else: a connection that sends anything else is logged and closed. A line whose exception's class is
 * not on this JVM's class path is still passed on, with the exception's class named.
 *
 * <p>Thread-safe: one daemon thread accepts, one daemon thread reads each connection; the sink is called from
 * those threads, one line at a time.
 */
final class HarnessLogListener implements AutoCloseable {

    /** The TCK's log record class. */
    static final String TEST_REPORT_INFO = "com.sun.ts.lib.util.TestReportInfo";

    /** {@code TestUtil.ERROR_STREAM} and {@code TestUtil.DEBUG_OUTPUT_LEVEL}. */
    private static final int ERROR_STREAM = 1;
    private static final int DEBUG_OUTPUT_LEVEL = 2;

    private final ServerSocket server;
    private final String recordClass;
    private final Consumer<String> sink;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    private HarnessLogListener(ServerSocket server, String recordClass, Consumer<String> sink) {
        this.server = server;
        this.recordClass = recordClass;
        this.sink = sink;
    }

    /**
     * Listens on the loopback address and {@code port} (0 for any free port) for {@link #TEST_REPORT_INFO} streams.
     *
     * @throws IOException when the port cannot be bound (another run's listener, say)
     */
    static HarnessLogListener start(int port, Consumer<String> sink) throws IOException {
        return start(port, TEST_REPORT_INFO, sink);
    }

    /** As {@link #start(int, Consumer)}, for records of another class with the same fields (tests). */
    static HarnessLogListener start(int port, String recordClass, Consumer<String> sink) throws IOException {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("harness.log.port must be a TCP port (0 for any), not " + port);
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for the TCK's remote logging on port " + port + ": " + e.getMessage(), e);
        }
        HarnessLogListener listener = new HarnessLogListener(server, recordClass, sink);
        Thread acceptor = new Thread(listener::acceptLoop, "tck-harness-log-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return listener;
    }

    /** The port it listens on. */
    int port() {
        return server.getLocalPort();
    }

    /** How many connections it has accepted. */
    long connections() {
        return accepted.get();
    }

    /** How many log lines it has passed to the sink. */
    long lines() {
        return lines.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    sink.accept("[harness log] accept failed, no longer listening: " + e);
                }
                return;
            }
            accepted.incrementAndGet();
            connections.add(socket);
            Thread reader = new Thread(() -> read(socket), "tck-harness-log-" + socket.getPort());
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void read(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            ObjectInputStream objects = new ObjectInputStream(in);
            objects.setObjectInputFilter(this::admit);
            while (true) {
                Object record;
                try {
                    record = objects.readObject();
                } catch (ClassNotFoundException e) {
                    // the record was read whole; only an exception's class is missing here
                    emit("[server] (a log line whose exception class " + e.getMessage() + " is not on this class path)");
                    continue;
                }
                emit(format(record));
            }
        } catch (EOFException e) {
            // the server side closed its end: the normal end of a connection
        } catch (InvalidClassException e) {
            emit("[harness log] closed a connection that sent what is not a TCK log record: " + e.getMessage());
        } catch (SocketException e) {
            if (!closed) {
                emit("[harness log] connection ended: " + e.getMessage());
            }
        } catch (IOException e) {
            emit("[harness log] cannot read a connection: " + e);
        } finally {
            connections.remove(socket);
        }
    }

    private void emit(String line) {
        lines.incrementAndGet();
        sink.accept(line);
    }

    private ObjectInputFilter.Status admit(ObjectInputFilter.FilterInfo info) {
        Class<?> type = info.serialClass();
        if (info.depth() > 20 || info.references() > 10_000 || info.streamBytes() > 64L * 1024 * 1024) {
            return ObjectInputFilter.Status.REJECTED;
        }
        if (type == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || type.getName().equals(recordClass) || Throwable.class.isAssignableFrom(type)
                || type == StackTraceElement.class || type == String.class
                || type.getName().startsWith("java.util.Collections$") || type == java.util.ArrayList.class
                || type == Object.class) {
            return ObjectInputFilter.Status.ALLOWED;
        }
        return ObjectInputFilter.Status.REJECTED;
    }

    /** One line for the sink: {@code [server] }, {@code [server ERROR] } or {@code [server trace] } and the text. */
    String format(Object record) {
        if (!record.getClass().getName().equals(recordClass)) {
            return "[server] " + record;
        }
        String output = String.valueOf(field(record, "sOutput"));
        Object stream = field(record, "iStream");
        Object level = field(record, "iDebugLevel");
        Object exception = field(record, "exception");
        String prefix;
        if (Integer.valueOf(DEBUG_OUTPUT_LEVEL).equals(level)) {
            prefix = "[server trace] ";
        } else if (Integer.valueOf(ERROR_STREAM).equals(stream)) {
            prefix = "[server ERROR] ";
        } else {
            prefix = "[server] ";
        }
        if (exception instanceof Throwable t) {
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            return prefix + output + System.lineSeparator() + trace.toString().stripTrailing();
        }
        return prefix + output;
    }

    private static Object field(Object record, String name) {
        try {
            Field f = record.getClass().getField(name);
            return f.get(record);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            return null;
        }
    }

    /** Stops listening and closes the open connections. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
