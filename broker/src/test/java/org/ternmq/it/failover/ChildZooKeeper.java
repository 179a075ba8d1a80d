package org.ternmq.it.failover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ZooKeeper server in its own JVM, started the way the README starts one: main class
 * {@code org.apache.zookeeper.server.ZooKeeperServerMain} with a configuration file (tickTime 200 ms, so session
 * timeouts from 400 ms are granted), on this test's class path. It can be killed with SIGKILL and started again on
 * the same data directory. Start and kill are called by the test thread.
 */
final class ChildZooKeeper implements AutoCloseable {

    private final Path dir;
    private final String host;
    private final int port;
    private Process process;

    ChildZooKeeper(Path dir, int port) {
        this(dir, "127.0.0.1", port);
    }

    /** A server listening on {@code host} (an address of a test network, say). */
    ChildZooKeeper(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.port = port;
    }

    String connectString() {
        return host + ":" + port;
    }

    /** Starts the server and waits until it accepts connections. */
    ChildZooKeeper start() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, String.join("\n", List.of("tickTime=200", "dataDir=" + dir.resolve("data"),
                "clientPort=" + port, "clientPortAddress=" + host, "admin.enableServer=false",
                "maxClientCnxns=0", "")), StandardCharsets.US_ASCII);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "org.apache.zookeeper.server.ZooKeeperServerMain", cfg.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("zk.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return this;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("ZooKeeper did not start; see " + dir.resolve("zk.log"), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** SIGKILL. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
