package org.ternmq.store.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.ternmq.store.IoMode;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.RecoveryListener;
import org.ternmq.store.SyncPolicy;

/**
 * Durable appends of 1 KiB: each benchmark thread adds a record and waits for its future, so with
 * {@code -t 1} every append pays a force and with {@code -t 8} group commit shares them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {
    @Param({"CHANNEL", "MAPPED"})
    public IoMode ioMode;

    @Param("DATA")
    public SyncPolicy syncPolicy;

    @Param("1024")
    public int payloadSize;

    private Path dir;
    private Journal journal;
    private final AtomicLong ids = new AtomicLong();

    @State(Scope.Thread)
    public static class Producer {
        ByteBuffer payload;

        @Setup
        public void setUp(AppendBenchmark bench) {
            payload = ByteBuffer.allocate(bench.payloadSize);
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "append-bench");
        journal = Journal.open(JournalConfig.builder(dir)
                .set(JournalConfig.IO_MODE, ioMode)
                .set(JournalConfig.SYNC_POLICY, syncPolicy)
                .build(), RecoveryListener.IGNORE);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void durableAppend(Producer producer) {
        journal.add(ids.incrementAndGet(), (byte) 1, producer.payload, true).join();
    }
}
