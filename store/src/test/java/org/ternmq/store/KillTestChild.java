package org.ternmq.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link JournalKillTest}: appends records with sync policy DATA from several threads
 * until killed, printing {@code A <id>} when an add's future completed and {@code D <id>} when a
 * delete's did. Two records in three are deleted once their add is acknowledged, so the journal
 * keeps removing and compacting segments while it is killed.
 *
 * <p>Arguments: journal directory, first id, segment size.
 */
public final class KillTestChild {
    static final int PAYLOAD = 1024;
    private static final int THREADS = 4;

    private KillTestChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long firstId = Long.parseLong(args[1]);
        int segmentSize = Integer.parseInt(args[2]);
        JournalConfig config = JournalConfig.builder(dir)
                .set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA)
                .set(JournalConfig.SEGMENT_SIZE, segmentSize)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 64 << 10)
                .build();
        PrintStream out = System.out;
        Journal journal = Journal.open(config, RecoveryListener.IGNORE);
        out.println("READY");
        out.flush();
        for (int t = 0; t < THREADS; t++) {
            long start = firstId + t;
            Thread thread = new Thread(() -> produce(journal, start, out));
            thread.start();
        }
        new CountDownLatch(1).await(); // until killed
    }

    private static void produce(Journal journal, long start, PrintStream out) {
        for (long id = start; ; id += THREADS) {
            long i = id;
            journal.add(id, (byte) 1, TestRecords.payload(id, 0, PAYLOAD), true).thenRun(() -> {
                print(out, "A " + i);
                if (deletedAfterAdd(i)) {
                    journal.delete(i, true).thenRun(() -> print(out, "D " + i));
                }
            }).join();
        }
    }

    /** Whether the child deletes {@code id} once its add is acknowledged. */
    static boolean deletedAfterAdd(long id) {
        return id % 3 != 0;
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
