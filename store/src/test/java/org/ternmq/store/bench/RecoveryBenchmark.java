package org.ternmq.store.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;
import org.ternmq.store.IoMode;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.RecoveryListener;
import org.ternmq.store.SyncPolicy;

/**
 * Time to open (recover) a journal holding {@code mib} MiB of live 1 KiB records: scan, CRC check,
 * index rebuild and delivery of every record to a listener.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RecoveryBenchmark {
    @Param("1024")
    public int mib;

    @Param({"CHANNEL", "MAPPED"})
    public IoMode ioMode;

    private Path dir;
    private JournalConfig config;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "recovery-bench");
        config = JournalConfig.builder(dir).set(JournalConfig.IO_MODE, ioMode)
                .set(JournalConfig.SYNC_POLICY, SyncPolicy.NONE).build();
        long records = (long) mib * 1024 * 1024 / 1056; // 1 KiB payload + 32-byte header
        ByteBuffer payload = ByteBuffer.allocate(1024);
        try (Journal journal = Journal.open(config, RecoveryListener.IGNORE)) {
            CompletableFuture<Void> last = null;
            for (long id = 0; id < records; id++) {
                last = journal.add(id, (byte) 1, payload, false);
            }
            last.join();
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void openAndRecover(Blackhole bh) throws IOException {
        try (Journal journal = Journal.open(config, (id, type, payload) -> bh.consume(payload.get(0)))) {
            bh.consume(journal.isFenced());
        }
    }
}
