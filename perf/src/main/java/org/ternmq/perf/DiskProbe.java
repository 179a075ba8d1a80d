package org.ternmq.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.tools.DiskForceProbe;

/**
 * The {@code disk-probe} command. Without {@code --rate}: the store's {@link DiskForceProbe} (1 KiB writes on a
 * preallocated file, each followed by a force, per write mode, as fast as the disk allows) on the directory given,
 * so the force rate sits next to the end-to-end figures from the same tool. The first line of its report
 * (FileChannel.write + force(false)) is what the journal's DATA sync policy pays per group commit.
 *
 * <p>With {@code --rate N}: N 1 KiB writes + {@code fdatasync} per second, each timed from when it was due (so a
 * stall counts for every force it delayed, as S6's latencies do), and the percentiles of that time. It is the disk's
 * own latency tail at a given rate, the floor under the p99 of any persistent workload paced at that rate.
 */
final class DiskProbe {
    private static final int FILE_SIZE = 64 << 20;
    private static final int RECORD = 1024;

    private DiskProbe() {
    }

    static void run(PerfSettings settings, PrintStream out) throws IOException {
        if (settings.rate() > 0) {
            pacedForces(settings.dir(), settings.rate(), settings.durationSeconds(), out);
            return;
        }
        DiskForceProbe.main(new String[] {settings.dir().toString(),
                String.format(Locale.ROOT, "%s", settings.durationSeconds())});
    }

    private static void pacedForces(Path dir, int rate, double seconds, PrintStream out) throws IOException {
        Path file = dir.resolve("disk-probe-paced-" + ProcessHandle.current().pid() + ".tmp");
        SegmentFile.preallocate(file, FILE_SIZE);
        Histogram latency;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer record = ByteBuffer.allocateDirect(RECORD);
            long[] position = {0};
            latency = Paced.run(rate, seconds, () -> {
                channel.write(record.clear(), position[0]);
                channel.force(false);
                position[0] = position[0] + 2 * RECORD > FILE_SIZE ? 0 : position[0] + RECORD;
            });
        } finally {
            Files.deleteIfExists(file);
        }
        out.printf(Locale.ROOT, "disk probe paced: %s, 1 KiB write + fdatasync at %d/s for %.1f s, latency from when "
                + "each was due: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", dir.toAbsolutePath(), rate,
                seconds, Paced.ms(latency, 50), Paced.ms(latency, 99), Paced.ms(latency, 99.9),
                latency.getMaxValue() / 1e6);
    }
}
