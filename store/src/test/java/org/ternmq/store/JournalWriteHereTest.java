package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.payload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that writes its own batch ({@link Journal#holdWakeups}, {@link Journal#writeHere}) while the appender
 * thread writes others': one writer at a time, every command once, in queue order, durable as asked.
 */
class JournalWriteHereTest {

    @TempDir
    Path dir;

    private JournalConfig config() {
        return JournalConfig.builder(dir).set(JournalConfig.SEGMENT_SIZE, 1 << 20)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                .set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA).build();
    }

    private TestRecords.Collected reopen() throws Exception {
        TestRecords.Collected c = new TestRecords.Collected();
        Journal.open(config(), c).close();
        assertThat(c.duplicates).isZero();
        return c;
    }

    @Test
    void aCallerWritesAndForcesItsBatchItselfAndItsFuturesAreDoneWhenItReturns() throws Exception {
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            j.add(1, (byte) 1, payload(1, 0, 100), true).join(); // the appender's batch
            // the appender holds the journal a moment after its batch (releasing space, compacting): until then a
            // caller's batch is the appender's to write, so the caller tries again with the next version
            boolean here = false;
            for (version = 1; version <= 100; version++) {
                long forces = j.stats().forces();
                String[] completedOn = new String[1];
                j.holdWakeups();
                CompletableFuture<Void> first = j.add(100 + version, (byte) 1, payload(100 + version, 0, 100), true);
                CompletableFuture<Void> second = j.update(1, (byte) 1, payload(1, version, 100), true);
                CompletableFuture<Void> written = j.written();
                second.thenRun(() -> completedOn[0] = Thread.currentThread().getName());
                here = j.writeHere();
                if (!here) {
                    CompletableFuture.allOf(first, second, written).get(10, TimeUnit.SECONDS);
                    continue;
                }
                assertThat(first).isDone();
                assertThat(second).isDone();
                assertThat(written).isDone();
                assertThat(completedOn[0]).isEqualTo(Thread.currentThread().getName());
                assertThat(j.stats().callerBatches()).isEqualTo(1);
                assertThat(j.stats().forces()).as("one force for the batch").isEqualTo(forces + 1);
                assertThat(j.writeHere()).as("nothing left to write").isFalse();
                break;
            }
            assertThat(here).as("a batch written on the calling thread").isTrue();
        }
        TestRecords.Collected c = reopen();
        assertThat(c.records.get(1L)).isEqualTo(bytes(1, version, 100));
        assertThat(c.records.get(100L + version)).isEqualTo(bytes(100 + version, 0, 100));
    }

    /** The version of record 1 the caller's batch wrote. */
    private int version;

    @Test
    void whatAThreadQueuesWithoutHoldingIsWrittenByTheAppender() throws Exception {
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            j.add(1, (byte) 1, payload(1, 0, 100), true).get(10, TimeUnit.SECONDS);
            assertThat(j.stats().callerBatches()).isZero();
        }
    }

    @Test
    void whileAnotherThreadWritesTheCallerLeavesItsBatchToTheAppender() throws Exception {
        CountDownLatch forcing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            j.stats().onForce(nanos -> {
                if (forcing.getCount() > 0) {
                    forcing.countDown();
                    await(release); // the first batch's writer stays in its force
                }
            });
            Future<Boolean> first = other.submit(() -> {
                j.holdWakeups();
                j.add(1, (byte) 1, payload(1, 0, 100), true);
                return j.writeHere();
            });
            assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
            j.holdWakeups();
            CompletableFuture<Void> second = j.add(2, (byte) 1, payload(2, 0, 100), true);
            assertThat(j.writeHere()).as("the role is taken: the appender writes it").isFalse();
            assertThat(second).isNotDone();
            release.countDown();
            boolean firstHere = first.get(10, TimeUnit.SECONDS); // or the appender's, if it held the role then
            second.get(10, TimeUnit.SECONDS);
            assertThat(j.stats().callerBatches()).isEqualTo(firstHere ? 1 : 0);
        } finally {
            release.countDown();
            other.shutdownNow();
        }
        TestRecords.Collected c = reopen();
        assertThat(c.records).containsKeys(1L, 2L);
    }

    @Test
    void callersAndTheAppenderTogetherWriteEveryCommandOnceAndInOrder() throws Exception {
        int threads = 4;
        int versions = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Journal j = Journal.open(config(), RecoveryListener.IGNORE)) {
            List<Future<List<CompletableFuture<Void>>>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long id = t + 1;
                boolean writesHere = t % 2 == 0; // two threads write their batches, two leave them to the appender
                all.add(pool.submit(() -> {
                    List<CompletableFuture<Void>> futures = new ArrayList<>();
                    futures.add(j.add(id, (byte) 1, payload(id, 0, 64), false));
                    futures.add(j.add(id + 100, (byte) 1, payload(id + 100, 0, 64), false));
                    for (int v = 1; v <= versions; v++) {
                        if (writesHere) {
                            j.holdWakeups();
                        }
                        futures.add(j.update(id, (byte) 1, payload(id, v, 64), v % 3 == 0));
                        if (v == versions / 2) {
                            futures.add(j.delete(id + 100, true));
                        }
                        if (writesHere) {
                            j.writeHere();
                        }
                    }
                    return futures;
                }));
            }
            for (Future<List<CompletableFuture<Void>>> f : all) {
                for (CompletableFuture<Void> c : f.get(60, TimeUnit.SECONDS)) {
                    c.get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        TestRecords.Collected c = reopen();
        for (long id = 1; id <= threads; id++) {
            assertThat(c.records.get(id)).as("record " + id + ": its last version").isEqualTo(bytes(id, versions, 64));
            assertThat(c.records).as("deleted half-way").doesNotContainKey(id + 100);
        }
    }

    @Test
    void aCloseQueuedBeforeACallerWritesIsHonoured() throws Exception {
        Journal j = Journal.open(config(), RecoveryListener.IGNORE);
        j.holdWakeups();
        CompletableFuture<Void> added = j.add(1, (byte) 1, payload(1, 0, 100), true);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            try {
                j.close();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        closed.get(10, TimeUnit.SECONDS); // the close wakes the appender, which writes what was queued before it
        assertThat(added).isDone();
        assertThat(j.writeHere()).as("a closed journal writes nothing here").isFalse();
        assertThat(reopen().records).containsKey(1L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
