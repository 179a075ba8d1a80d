package org.ternmq.store;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a backlog of {@code count} live 1 KiB records, reopens the journal and reads records back,
 * printing heap use and timings; run in a small heap (-Xmx256m) by {@link LargeBacklogSoakTest} or by
 * hand (docs/performance.md). Prints {@code OK} last when every record read back right.
 *
 * <p>Arguments: directory, record count.
 */
public final class BacklogProbe {
    private BacklogProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        JournalConfig config = JournalConfig.builder(dir).set(JournalConfig.SYNC_POLICY, SyncPolicy.NONE)
                .set(JournalConfig.IO_MODE, IoMode.valueOf(args.length > 2 ? args[2] : "CHANNEL")).build();
        long start = System.nanoTime();
        try (Journal journal = Journal.open(config, RecoveryListener.IGNORE)) {
            CompletableFuture<Void> last = null;
            for (int id = 0; id < count; id++) {
                last = journal.add(id, (byte) 1, ByteBuffer.wrap(TestRecords.bytes(id, 0, 1024)), false);
            }
            last.join();
            report("written", start, count);
        }
        start = System.nanoTime();
        int[] recovered = {0};
        try (Journal journal = Journal.open(config, (id, type, payload) -> recovered[0]++)) {
            report("recovered " + recovered[0] + " records", start, count);
            Random random = new Random(1);
            start = System.nanoTime();
            for (int i = 0; i < 100_000; i++) {
                int id = random.nextInt(count);
                ByteBuffer payload = journal.read(id).orElseThrow().payload();
                byte[] got = new byte[payload.remaining()];
                payload.get(got);
                if (!Arrays.equals(got, TestRecords.bytes(id, 0, 1024))) {
                    throw new AssertionError("record " + id + " read back wrong");
                }
            }
            report("100000 random reads", start, count);
            if (recovered[0] != count) {
                throw new AssertionError("recovered " + recovered[0] + " of " + count);
            }
        }
        System.out.println("OK");
    }

    private static void report(String what, long startNanos, int count) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "%s in %d ms; heap used after GC %.1f MiB (%.1f bytes per record), max heap %.0f MiB%n",
                what, (System.nanoTime() - startNanos) / 1_000_000, heap / 1048576.0, (double) heap / count,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
