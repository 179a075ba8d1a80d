package org.ternmq.it.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.ternmq.broker.server.TernServer;

/**
 * A broker in a child JVM started the way {@code bin/tern} starts it: main class {@link TernServer} with
 * {@code --port} (a free port picked once and kept across restarts), {@code --data-dir} and any further
 * options (e.g. {@code --config FILE}), on this test's class path. It can be killed with SIGKILL
 * ({@link #kill()}), stopped gracefully ({@link #stop()}, SIGTERM runs the shutdown hook) and started again
 * on the same data directory.
 *
 * <p>Each start is a new <em>generation</em>; clients that lost their connection wait in
 * {@link #awaitGenerationAfter} for the next one instead of polling. Start, kill and stop are called by the
 * test thread; {@link #awaitGenerationAfter}, {@link #url()} and {@link #generation()} by any thread.
 */
public final class ChildBroker implements AutoCloseable {

    private static final String READY = "Connection URL: ";

    private final Path dataDir;
    private final Path logDir;
    private final int port;
    private final List<String> extraArgs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Process process;
    private int generation;
    private String url;
    private boolean up;
    private long lastStopMillis = -1;
    private String heap = "-Xmx256m";
    private List<String> prefix = List.of();
    private int lastExitCode = -1;

    /**
     * @param dataDir   the broker's data directory, kept across restarts
     * @param logDir    where each generation's stderr (the broker's log) goes
     * @param extraArgs further command-line options
     */
    public ChildBroker(Path dataDir, Path logDir, String... extraArgs) throws IOException {
        this(freePort(), dataDir, logDir, extraArgs);
    }

    /** A broker on a port of the caller's choosing (one a server's configuration names, say). */
    public ChildBroker(int port, Path dataDir, Path logDir, String... extraArgs) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.port = port;
        this.extraArgs = List.of(extraArgs);
    }

    /**
     * Starts the generations from now on through {@code command} (say {@code ip netns exec NAME}, which execs the JVM
     * in that network namespace, so the process is still the JVM and SIGKILL still reaches it).
     */
    public ChildBroker prefix(String... command) {
        this.prefix = List.of(command);
        return this;
    }

    /** Sets the maximum heap of the generations started from now on ({@code -Xmx256m} by default). */
    public ChildBroker heap(String maxHeapOption) {
        this.heap = maxHeapOption;
        return this;
    }

    /**
     * A free port below the kernel's ephemeral range. Generations restart on the same port, and a port the kernel
     * handed out as free (port 0) is in that range: while the broker was down, any outgoing connection on the
     * machine could be given it as its local port, and the next generation then could not listen (seen in a CI run
     * beside other builds). Below the range only a process that binds it by number can take it.
     */
    public static int freePort() throws IOException {
        int ephemeralLow = 32768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            ephemeralLow = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: keep the usual lower bound
        }
        int from = Math.max(10_000, ephemeralLow - 12_000);
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200 && ephemeralLow - from > 100; attempt++) {
            int candidate = from + random.nextInt(ephemeralLow - from);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new java.net.InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts a new generation and waits until it accepts connections (its "running" line). */
    public ChildBroker start() throws Exception {
        if (isAlive()) {
            throw new IllegalStateException("already running");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, heap, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), TernServer.class.getName(),
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        command.addAll(extraArgs);
        int next = generation() + 1;
        Files.createDirectories(logDir);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(logDir.resolve("broker-" + next + ".log").toFile());
        Process p = pb.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(p, ready), "child-broker-stdout-" + next);
        reader.setDaemon(true);
        reader.start();
        String tcpUrl;
        try {
            tcpUrl = ready.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("broker generation " + next + " did not start; see "
                    + logDir.resolve("broker-" + next + ".log") + ": " + tail(next), e);
        }
        lock.lock();
        try {
            process = p;
            generation = next;
            url = tcpUrl;
            up = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return this;
    }

    private static void readStdout(Process p, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int at = line.indexOf(READY);
                if (at >= 0) {
                    ready.complete(line.substring(at + READY.length()).split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // the child died: nothing more to read
        }
        ready.completeExceptionally(new IOException("the broker's output ended before it was ready"));
    }

    private String tail(int gen) {
        try {
            List<String> lines = Files.readAllLines(logDir.resolve("broker-" + gen + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the broker gets no chance to write or close anything. */
    public void kill() throws InterruptedException {
        end(true);
    }

    /** SIGTERM: the broker's shutdown hook closes it cleanly. */
    public void stop() throws InterruptedException {
        end(false);
    }

    private void end(boolean forcibly) throws InterruptedException {
        Process p;
        lock.lock();
        try {
            p = process;
            up = false;
        } finally {
            lock.unlock();
        }
        if (p == null) {
            return;
        }
        long started = System.nanoTime();
        if (forcibly) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        lastStopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        lastExitCode = ended ? p.exitValue() : -1;
        if (!ended) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the broker did not stop within 30 s; killed");
        }
    }

    /** Kills the broker and starts it again on the same data directory. */
    public void killAndRestart() throws Exception {
        kill();
        start();
    }

    public boolean isAlive() {
        lock.lock();
        try {
            return process != null && process.isAlive();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code generation} is the current one and has not been killed or stopped. */
    public boolean isUp(int generation) {
        lock.lock();
        try {
            return up && this.generation == generation;
        } finally {
            lock.unlock();
        }
    }

    /** The current generation's URL ({@code tern://127.0.0.1:port}). */
    public String url() {
        lock.lock();
        try {
            return url;
        } finally {
            lock.unlock();
        }
    }

    /** Number of starts so far; 0 before the first. */
    public int generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a generation newer than {@code seen} is up.
     *
     * @return that generation, or -1 if none came up within the timeout
     */
    public int awaitGenerationAfter(int seen, long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(up && generation > seen)) {
                if (left <= 0) {
                    return -1;
                }
                left = changed.awaitNanos(left);
            }
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** How long the last stop or kill took, from the signal to the process's exit, in ms (-1 before any). */
    public long lastStopMillis() {
        return lastStopMillis;
    }

    /** The exit status of the last stopped or killed generation (-1 before any, or if it had to be killed). */
    public int lastExitCode() {
        return lastExitCode;
    }

    public Path logDir() {
        return logDir;
    }

    /** The current generation's process id (for signals such as SIGSTOP), or -1 when none runs. */
    public long pid() {
        lock.lock();
        try {
            return process != null && process.isAlive() ? process.pid() : -1;
        } finally {
            lock.unlock();
        }
    }

    /** Kills the broker if it runs; safe to call at any time, also when it never started. */
    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
