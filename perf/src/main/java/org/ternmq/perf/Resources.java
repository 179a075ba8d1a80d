package org.ternmq.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU and disk figures of a run, read from Linux's {@code /proc} without tracing anything: the client's
 * CPU from its own JVM, the broker's CPU and peak resident memory from {@code /proc/PID/stat} and
 * {@code /proc/PID/status} when {@code --broker-pid} names it, and the disk forces as the block layer's
 * count of completed flush requests ({@code /proc/diskstats}, the 16th number after the device name, Linux 5.5+):
 * every {@code fsync}/{@code fdatasync} on a disk with a volatile write cache becomes one flush request, so
 * this counts forces whichever process makes them (it is machine-wide; other work on the same disk shows).
 * A figure that cannot be read is -1.
 */
final class Resources {
    /** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on every usual Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private Resources() {
    }

    /** What was read at one moment. */
    record Snapshot(long nanos, long clientCpuNanos, long brokerCpuNanos, long diskFlushes) {
    }

    /** Usage between two snapshots. */
    record Usage(double seconds, double clientCpuPercent, double brokerCpuPercent, double diskFlushesPerSecond,
            long brokerPeakRssBytes) {
    }

    static Snapshot snapshot(long brokerPid, String disk) {
        return new Snapshot(System.nanoTime(), clientCpuNanos(), brokerCpuNanos(brokerPid), diskFlushes(disk));
    }

    static Usage between(Snapshot a, Snapshot b, long brokerPid) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        return new Usage(seconds, percent(a.clientCpuNanos(), b.clientCpuNanos(), seconds),
                percent(a.brokerCpuNanos(), b.brokerCpuNanos(), seconds),
                a.diskFlushes() < 0 || b.diskFlushes() < 0 || seconds <= 0 ? -1
                        : (b.diskFlushes() - a.diskFlushes()) / seconds,
                brokerPeakRss(brokerPid));
    }

    private static double percent(long from, long to, double seconds) {
        if (from < 0 || to < 0 || seconds <= 0) {
            return -1;
        }
        return 100.0 * (to - from) / 1e9 / seconds;
    }

    static long clientCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** utime + stime of {@code pid}, in nanoseconds; -1 without a pid or when /proc cannot be read. */
    static long brokerCpuNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may hold spaces and is in parentheses: count from after it
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmHWM of {@code pid} (peak resident set), in bytes; -1 when unknown. */
    static long brokerPeakRss(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /**
     * Completed flush requests of {@code disk} (a name in /proc/diskstats), or, when it is empty, of every
     * whole disk (a name under /sys/block with a {@code device} link: partitions, loop and zram devices
     * are left out); -1 when not available.
     */
    static long diskFlushes(String disk) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/diskstats"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return flushes(lines, disk, name -> Files.exists(Path.of("/sys/block", name, "device")));
    }

    /** The flush count of {@code disk}'s line, or the sum over the lines whose device {@code isWholeDisk}. */
    static long flushes(List<String> lines, String disk, java.util.function.Predicate<String> isWholeDisk) {
        long total = 0;
        boolean any = false;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 19) {
                continue;
            }
            String name = f[2];
            boolean wanted = disk == null || disk.isEmpty() ? isWholeDisk.test(name) : name.equals(disk);
            if (wanted) {
                total += Long.parseLong(f[18]); // major, minor, name, then flush requests are the 16th
                any = true;
            }
        }
        return any ? total : -1;
    }
}
