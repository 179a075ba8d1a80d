package org.ternmq.tck.ee;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ternmq.broker.security.PasswordHash;
import org.ternmq.broker.security.UsersFile;

/**
 * The Tern broker of the inside-container TCK: a child JVM running {@code org.ternmq.broker.server.TernServer}
 * (what {@code bin/tern} runs) on this JVM's class path, 127.0.0.1 and the configured port, with the TCK's users
 * ({@code guest}, {@code j2ee}, {@code javajoe}) and anonymous connections allowed, a fresh data directory per
 * run. Its output goes to {@code broker.log} beside the data directory. The broker accepts hashed passwords only:
 * the TCK's users, listed in clear text in the configured users file (they are the TCK's own fixed passwords),
 * are hashed into the run's data directory with {@link PasswordHash#MIN_ITERATIONS} iterations, which keeps each of
 * the run's thousands of logins cheap.
 *
 * <p>Started and stopped by the container adapter's thread.
 */
final class TckEeBroker implements AutoCloseable {

    private static final String READY = "Connection URL: ";

    private final Process process;

    private TckEeBroker(Process process) {
        this.process = process;
    }

    /**
     * Starts the broker and waits (up to a minute) until it accepts connections.
     *
     * @throws IllegalStateException with the end of its log when it does not come up
     */
    static TckEeBroker start(TckEeConfiguration config) throws IOException, InterruptedException {
        Path parent = Files.createDirectories(Path.of(config.getBrokerDataDir()).toAbsolutePath());
        Path data = Files.createTempDirectory(parent, "run-");
        Path log = data.resolveSibling(data.getFileName() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "org.ternmq.broker.server.TernServer",
                "--host", "127.0.0.1", "--port", Integer.toString(config.getBrokerPort()),
                "--data-dir", data.toString(), "--users", hashedUsers(Path.of(config.getBrokerUsersFile()), data).toString(),
                // the adapter's pools and activations connect without a user (the adapter is configured with none)
                "--allow-anonymous", "true");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.contains(READY)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the broker ended: nothing more to read
            }
            ready.completeExceptionally(new IOException("the broker's output ended before it was ready"));
        }, "tck-ee-broker-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("the Tern broker did not start; see " + log, e);
        }
        return new TckEeBroker(process);
    }

    /** The clear-text users file {@code users} hashed into {@code dir}; the roles stay. */
    static Path hashedUsers(Path users, Path dir) throws IOException {
        Map<String, UsersFile.Entry> hashed = new TreeMap<>();
        for (Map.Entry<String, UsersFile.Entry> e : UsersFile.readEntries(users).entrySet()) {
            UsersFile.Entry entry = e.getValue();
            String credential = entry.hashed() ? entry.credential()
                    : PasswordHash.create(entry.credential().toCharArray(), PasswordHash.MIN_ITERATIONS).format();
            hashed.put(e.getKey(), new UsersFile.Entry(credential, entry.roles()));
        }
        Path file = dir.resolve("users.properties");
        UsersFile.write(file, hashed);
        return file;
    }

    /** SIGTERM (the broker's shutdown hook closes it), SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
