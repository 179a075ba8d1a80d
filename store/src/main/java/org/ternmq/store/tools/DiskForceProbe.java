package org.ternmq.store.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.ternmq.store.file.SegmentFile;

/**
 * Measures what the disk under a directory can do: forces per second for a 1 KiB write followed by a
 * force, on a preallocated 64 MiB file, for each way the journal can write and force. The figure
 * bounds the journal's sequential durable appends (one force each) and shows what group commit buys.
 *
 * <pre>
 * java -cp store/target/classes org.ternmq.store.tools.DiskForceProbe [directory] [seconds per mode]
 * </pre>
 *
 * Single-threaded, a command-line tool: not for use inside a broker.
 */
public final class DiskForceProbe {
    private static final int FILE_SIZE = 64 << 20;
    private static final int RECORD = 1024;

    private DiskForceProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Path file = dir.resolve("disk-force-probe-" + ProcessHandle.current().pid() + ".tmp");
        SegmentFile.preallocate(file, FILE_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
            System.out.printf(Locale.ROOT, "disk force probe: %s, 1 KiB writes on a preallocated 64 MiB file, %.1f s per mode%n",
                    dir.toAbsolutePath(), seconds);
            report("FileChannel.write + force(false)   (fdatasync)", seconds, p -> {
                channel.write(record.clear(), p);
                channel.force(false);
            });
            report("FileChannel.write + force(true)    (fsync)    ", seconds, p -> {
                channel.write(record.clear(), p);
                channel.force(true);
            });
            report("mapped put + FileChannel.force(false)          ", seconds, p -> {
                mapped.put(p, record, 0, RECORD);
                channel.force(false);
            });
            report("mapped put + MappedByteBuffer.force(p, 1 KiB)  ", seconds, p -> {
                mapped.put(p, record, 0, RECORD);
                mapped.force(p, RECORD);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface Step {
        void run(int position) throws IOException;
    }

    private static void report(String name, double seconds, Step step) throws IOException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int n = 0;
        int position = 0;
        while (System.nanoTime() < end) {
            step.run(position);
            position = position + 2 * RECORD > FILE_SIZE ? 0 : position + RECORD;
            n++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "  %s %8.0f forces/s  (%.0f us each)%n", name, n / elapsed, elapsed * 1e6 / n);
    }
}
