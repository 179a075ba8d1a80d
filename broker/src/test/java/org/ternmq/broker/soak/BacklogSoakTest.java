package org.ternmq.broker.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The backlog bigger than the heap: a broker in a child JVM with {@code -Xmx256m} (default settings: sync
 * policy DATA, default memory limits) takes 2,000,000 persistent 1 KiB messages with no consumer, is
 * restarted on that backlog, and is drained, in order, exactly once. Records the longest producer stall
 * (gap between two send completions, and the longest send to completion), the time to fill, to recover,
 * to drain, and the broker's heap; writes them to {@code target/backlog-soak.txt}.
 *
 * <p>Long: run with {@code mvn -o -B -pl broker test -Psoak -Dtest=BacklogSoakTest}; sizes can be changed
 * with {@code -Dbacklog.messages=...}, {@code -Dbacklog.bytes=...}, {@code -Dbacklog.heap=...}.
 */
@Tag("soak")
class BacklogSoakTest {

    private static final int MESSAGES = Integer.getInteger("backlog.messages", 2_000_000);
    private static final int BYTES = Integer.getInteger("backlog.bytes", 1024);
    private static final String HEAP = System.getProperty("backlog.heap", "256m");

    @TempDir
    Path dir;
    private final List<String> report = new ArrayList<>();

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void twoMillionPersistentMessagesFillAndDrainABrokerWith256MiBOfHeap() throws Exception {
        note("backlog soak: %,d persistent messages of %d bytes, broker -Xmx%s, sync policy DATA, default policies",
                MESSAGES, BYTES, HEAP);
        Path data = dir.resolve("data");
        String classPath = privateClassPath(dir.resolve("classpath"));
        try (Child broker = new Child(classPath, data, Path.of("target", "backlog-broker-1.log"))) {
            note("broker started in %d ms", broker.startedMillis);
            fill(broker.port);
            note("broker live heap with the backlog: %s", mib(broker.liveHeap()));
            note("broker heap after collections while filling: max %s, longest pause %s", mib(broker.maxAfterGc),
                    broker.maxPause + " ms");
            broker.stop();
        }
        try (Child broker = new Child(classPath, data, Path.of("target", "backlog-broker-2.log"))) {
            note("restarted broker recovered the backlog in %d ms (journal open, refs loaded)", broker.startedMillis);
            note("broker live heap after the restart: %s", mib(broker.liveHeap()));
            drain(broker.port);
            note("broker heap after collections while recovering and draining: max %s, longest pause %s",
                    mib(broker.maxAfterGc), broker.maxPause + " ms");
            broker.stop();
        }
        Path out = Path.of("target", "backlog-soak.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
    }

    private void fill(int port) throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory("tern://127.0.0.1:" + port);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong(); // 0 until the first completion: gaps count from there
        AtomicLong maxGap = new AtomicLong();
        AtomicLong maxLatency = new AtomicLong();
        long maxBlocked = 0;
        long start = System.nanoTime();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("backlog");
            MessageProducer producer = s.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            byte[] body = new byte[BYTES];
            for (int i = 0; i < MESSAGES; i++) {
                BytesMessage m = s.createBytesMessage();
                body[i % BYTES] = (byte) i;
                m.writeBytes(body);
                m.setIntProperty("n", i);
                long sent = System.nanoTime();
                producer.send(m, new CompletionListener() {
                    @Override
                    public void onCompletion(Message message) {
                        long now = System.nanoTime();
                        maxLatency.accumulateAndGet(now - sent, Math::max);
                        long previous = lastCompletion.getAndSet(now);
                        if (previous != 0) {
                            maxGap.accumulateAndGet(now - previous, Math::max);
                        }
                        completed.incrementAndGet();
                    }

                    @Override
                    public void onException(Message message, Exception exception) {
                        failed.incrementAndGet();
                        completed.incrementAndGet();
                    }
                });
                maxBlocked = Math.max(maxBlocked, System.nanoTime() - sent);
                if ((i + 1) % 250_000 == 0) {
                    System.out.printf(Locale.ROOT, "sent %,d in %d s%n", i + 1, (System.nanoTime() - start) / 1_000_000_000);
                }
            }
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> completed.get() == MESSAGES);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        note("filled %,d messages in %.1f s (%,.0f msg/s, %.1f MiB/s of bodies)", MESSAGES, millis / 1000.0,
                MESSAGES * 1000.0 / millis, (double) MESSAGES * BYTES / 1048576 / (millis / 1000.0));
        note("producer stall: longest gap between two send completions %d ms, longest send-to-completion %d ms, "
                + "longest time blocked in send (window full) %d ms", maxGap.get() / 1_000_000,
                maxLatency.get() / 1_000_000, maxBlocked / 1_000_000);
        assertThat(failed.get()).as("failed sends").isZero();
        assertThat(maxGap.get()).as("longest producer stall (ns)").isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    private void drain(int port) throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory("tern://127.0.0.1:" + port);
        BitSet seen = new BitSet(MESSAGES);
        long outOfOrder = 0;
        long redelivered = 0;
        long start = System.nanoTime();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("backlog"));
            c.start();
            for (int i = 0; i < MESSAGES; i++) {
                Message m = consumer.receive(60_000);
                assertThat(m).as("message %d of %d", i, MESSAGES).isNotNull();
                int n = m.getIntProperty("n");
                if (n != i) {
                    outOfOrder++;
                }
                assertThat(seen.get(n)).as("message %d delivered twice", n).isFalse();
                seen.set(n);
                redelivered += m.getJMSRedelivered() ? 1 : 0;
                if (i % 1000 == 999 || i == MESSAGES - 1) {
                    m.acknowledge();
                }
                if ((i + 1) % 250_000 == 0) {
                    System.out.printf(Locale.ROOT, "received %,d in %d s%n", i + 1, (System.nanoTime() - start) / 1_000_000_000);
                }
            }
            assertThat(consumer.receive(1000)).as("nothing after the backlog").isNull();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        note("drained %,d messages in %.1f s (%,.0f msg/s), in order: %s, redelivered: %d", MESSAGES,
                millis / 1000.0, MESSAGES * 1000.0 / millis, outOfOrder == 0, redelivered);
        assertThat(seen.cardinality()).isEqualTo(MESSAGES);
        assertThat(outOfOrder).isZero();
        assertThat(redelivered).isZero();
    }

    /**
     * A copy of this JVM's class path for the broker JVMs: the run is long, and a rebuild of the module
     * or a reinstall of a dependency in the meantime must not change the broker under test.
     */
    private static String privateClassPath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path from = Path.of(entry);
            Path to = into.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (var files = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target);
                        }
                    }
                }
            } else if (Files.exists(from)) {
                Files.createDirectories(into);
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private void note(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        report.add(line);
        System.out.println(line);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** The broker JVM: started, asked for its heap, stopped, always killed at the end. */
    private static final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Writer commands;
        final long startedMillis;
        final int port;
        long maxAfterGc;
        long maxPause;

        Child(String classPath, Path data, Path log) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx" + HEAP, "-XX:+ExitOnOutOfMemoryError",
                    "-cp", classPath, BacklogBroker.class.getName(), data.toString())
                    .redirectError(log.toFile()).start();
            commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "backlog-broker-output");
            reader.setDaemon(true);
            reader.start();
            String[] started = expect("STARTED", 20).split(" ");
            startedMillis = Long.parseLong(started[1]);
            port = Integer.parseInt(started[2]);
        }

        long liveHeap() throws Exception {
            command("gc");
            long live = Long.parseLong(expect("LIVE", 2).split(" ")[1]);
            readStats();
            return live;
        }

        void stop() throws Exception {
            command("stop");
            readStats();
            expect("STOPPED", 2);
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(process.exitValue()).as("broker exit code").isZero();
        }

        private void readStats() throws Exception {
            String[] stats = expect("GCSTATS", 2).split(" ");
            maxAfterGc = Long.parseLong(stats[1]);
            maxPause = Long.parseLong(stats[2]);
        }

        private void command(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        private String expect(String prefix, int minutes) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
                if (line == null && !process.isAlive()) {
                    throw new AssertionError("broker exited with " + process.exitValue() + " before " + prefix);
                }
            }
            throw new AssertionError("no " + prefix + " from the broker within " + minutes + " min");
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
