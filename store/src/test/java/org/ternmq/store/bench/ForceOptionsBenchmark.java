package org.ternmq.store.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

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

/**
 * Raw JDK options for "write 1 KiB, make it durable" on a preallocated (zero-filled) 64 MiB file,
 * measured before choosing how segment files are written and forced. Single-threaded, one force per
 * write: this is the cost a batch of one pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ForceOptionsBenchmark {
    private static final int FILE_SIZE = 64 << 20;

    @Param("1024")
    public int recordSize;

    private Path file;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private ByteBuffer record;
    private int position;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        file = Files.createTempFile(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "force-bench", ".seg");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < FILE_SIZE; i += zeros.length) {
                raf.write(zeros);
            }
            raf.getFD().sync();
        }
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
        record = ByteBuffer.allocateDirect(recordSize);
        for (int i = 0; i < recordSize; i++) {
            record.put(i, (byte) i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    private int next() {
        int p = position;
        position = (p + recordSize + recordSize > FILE_SIZE) ? 0 : p + recordSize;
        return p;
    }

    @Benchmark
    public void channelWriteForceData() throws IOException {
        int p = next();
        channel.write(record.clear(), p);
        channel.force(false);
    }

    @Benchmark
    public void channelWriteForceMetadata() throws IOException {
        int p = next();
        channel.write(record.clear(), p);
        channel.force(true);
    }

    @Benchmark
    public void mappedWriteMappedForceAll() {
        int p = next();
        mapped.put(p, record, 0, recordSize);
        mapped.force();
    }

    @Benchmark
    public void mappedWriteMappedForceRange() {
        int p = next();
        mapped.put(p, record, 0, recordSize);
        mapped.force(p, recordSize);
    }

    @Benchmark
    public void mappedWriteChannelForceData() throws IOException {
        int p = next();
        mapped.put(p, record, 0, recordSize);
        channel.force(false);
    }
}
