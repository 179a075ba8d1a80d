package org.ternmq.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code tern-VERSION.tar.gz} as a user gets it: unpacked with {@code tar}, its {@code bin/tern} starts a
 * broker with no Maven and no class path from the build, its own commands send and receive a message, and the
 * broker stops on SIGTERM.
 */
@Timeout(120)
class DistributionIT {

    @TempDir
    Path dir;
    private Process broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void unpacksStartsSendsReceivesAndStops() throws Exception {
        Path archive = Path.of(System.getProperty("tern.distribution"));
        String version = System.getProperty("tern.version");
        assertThat(archive).exists();
        assertThat(Path.of(archive.toString().replace(".tar.gz", ".zip"))).exists();
        assertThat(run(dir, List.of("tar", "xzf", archive.toString())).status).isZero();
        Path home = dir.resolve("tern-" + version);
        assertThat(home.resolve("bin/tern")).isExecutable();
        assertThat(home.resolve("bin/tern.cmd")).exists();
        assertThat(home.resolve("conf/tern.properties")).content().contains("#port=61616");
        assertThat(home.resolve("conf/simplelogger.properties")).exists();
        assertThat(home.resolve("rar/tern-jca-adapter-" + version + ".rar")).exists();
        assertThat(home.resolve("README.md")).exists();
        assertThat(home.resolve("docs/protocol.md")).exists();
        try (var libs = Files.list(home.resolve("lib"))) {
            List<String> names = libs.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("tern-broker-")).anyMatch(n -> n.startsWith("picocli-"))
                    .anyMatch(n -> n.startsWith("slf4j-simple-")).noneMatch(n -> n.endsWith(".rar"))
                    // ZooKeeper's client for --zookeeper, and what its server needs (README: java -cp 'lib/*')
                    .anyMatch(n -> n.startsWith("zookeeper-3")).anyMatch(n -> n.startsWith("curator-recipes-"))
                    .anyMatch(n -> n.startsWith("metrics-core-")).anyMatch(n -> n.startsWith("snappy-java-"));
        }

        int port = freePort();
        int managementPort = freePort();
        String url = "tern://127.0.0.1:" + port;
        broker = new ProcessBuilder(home.resolve("bin/tern").toString(), "--port", String.valueOf(port),
                "--management-port", String.valueOf(managementPort), "--data-dir", dir.resolve("data").toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        List<String> seen = new ArrayList<>();
        while (seen.stream().noneMatch(l -> l.startsWith("Management: "))) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("broker output so far: %s", seen).isNotNull();
            seen.add(line);
        }
        assertThat(seen).contains("Tern is running. Connection URL: " + url + "  (Ctrl-C stops it)");
        assertThat(seen).anyMatch(l -> l.equals("Management: http://127.0.0.1:" + managementPort + "/  (metrics: http://127.0.0.1:"
                + managementPort + "/metrics)"));

        Result sent = run(dir, List.of(home.resolve("bin/tern").toString(), "send", "dist.q", "hello from the distribution",
                "--url", url));
        assertThat(sent.output).contains("sent 1 message(s) to queue dist.q");
        assertThat(sent.status).isZero();
        Result received = run(dir, List.of(home.resolve("bin/tern").toString(), "receive", "dist.q", "--url", url));
        assertThat(received.output).isEqualTo("hello from the distribution\n");
        assertThat(received.status).isZero();

        broker.destroy(); // SIGTERM: a graceful stop
        assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.exitValue()).isIn(0, 143);
        Result refused = run(dir, List.of(home.resolve("bin/tern").toString(), "queue", "list", "--url", url));
        assertThat(refused.status).isEqualTo(3);
        assertThat(refused.output).isEqualTo("tern: cannot connect to 127.0.0.1:" + port
                + ": connection refused (is a broker running?)\n");
    }

    private record Result(int status, String output) {
    }

    private static Result run(Path dir, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.remove("TERN_JAVA_OPTS");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
