package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.payload;
import static org.ternmq.store.TestRecords.toArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.format.RecordDescriptor;

/**
 * The journal's contract, run against every segment file implementation ({@link IoMode}): the
 * subclasses ({@code MappedJournalContractTest}, {@code ChannelJournalContractTest}) pick one each.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class JournalContract {
    static final int SEGMENT = 64 << 10;

    @TempDir
    Path dir;

    FaultyFiles files;
    private final List<Journal> opened = new ArrayList<>();

    abstract IoMode mode();

    JournalConfig.Builder config() {
        return JournalConfig.builder(dir)
                .set(JournalConfig.IO_MODE, mode())
                .set(JournalConfig.SEGMENT_SIZE, SEGMENT)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                .set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA);
    }

    Journal open(JournalConfig config, RecoveryListener listener) throws IOException {
        return open(config, listener, null);
    }

    Journal open(JournalConfig config, RecoveryListener listener, ReplicationListener replication) throws IOException {
        files = new FaultyFiles(config.ioMode());
        Journal j = Journal.open(config, listener, replication, files);
        opened.add(j);
        return j;
    }

    Journal open() throws IOException {
        return open(config().build(), RecoveryListener.IGNORE);
    }

    TestRecords.Collected reopen(Journal j) throws IOException {
        return reopen(j, config().build());
    }

    TestRecords.Collected reopen(Journal j, JournalConfig config) throws IOException {
        j.close();
        TestRecords.Collected c = new TestRecords.Collected();
        open(config, c).close();
        assertThat(c.duplicates).isZero();
        return c;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Journal j : opened) {
            j.close();
        }
    }

    long segmentFiles() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".seg")).count();
        }
    }

    // ---- basic operations ----------------------------------------------------------------------

    @Test
    void addedRecordReadsBack() throws IOException {
        Journal j = open();
        j.add(1, (byte) 7, payload(1, 0, 100), true).join();
        Optional<JournalRecord> r = j.read(1);
        assertThat(r).isPresent();
        assertThat(r.get().userType()).isEqualTo((byte) 7);
        assertThat(toArray(r.get().payload())).isEqualTo(bytes(1, 0, 100));
        assertThat(j.read(2)).isEmpty();
    }

    @Test
    void readAllReturnsWhatReadReturnsInTheCallersOrderAcrossSegments() throws IOException {
        Journal j = open();
        for (long id = 1; id <= 300; id++) {
            j.add(id, (byte) (id % 5), payload(id, 0, (int) (id * 37 % 3000)), false);
        }
        for (long id = 10; id <= 300; id += 10) {
            j.update(id, (byte) 9, payload(id, 1, 500), false); // a newer version, later in the journal
        }
        for (long id = 7; id <= 300; id += 50) {
            j.delete(id, false);
        }
        j.add(301, (byte) 1, payload(301, 0, 10), true).join();
        long[] ids = new long[320];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((i * 131L) % 320) + 1; // every id 1..320 once, shuffled; 302..320 were never written
        }

        JournalRecord[] all = j.readAll(ids);

        assertThat(all).hasSize(ids.length);
        int present = 0;
        for (int i = 0; i < ids.length; i++) {
            Optional<JournalRecord> one = j.read(ids[i]);
            if (one.isEmpty()) {
                assertThat(all[i]).as("record %d", ids[i]).isNull();
                continue;
            }
            present++;
            assertThat(all[i]).as("record %d", ids[i]).isNotNull();
            assertThat(all[i].id()).isEqualTo(ids[i]);
            assertThat(all[i].userType()).isEqualTo(one.get().userType());
            assertThat(toArray(all[i].payload())).isEqualTo(toArray(one.get().payload()));
        }
        assertThat(present).isEqualTo(301 - 6);
    }

    @Test
    void updateReplacesAndDeleteRemoves() throws IOException {
        Journal j = open();
        j.add(1, (byte) 1, payload(1, 0, 10), true);
        j.update(1, (byte) 2, payload(1, 1, 20), true).join();
        assertThat(toArray(j.read(1).orElseThrow().payload())).isEqualTo(bytes(1, 1, 20));
        j.delete(1, true).join();
        assertThat(j.read(1)).isEmpty();
        j.delete(99, true).join(); // absent: nothing to do, completes normally
    }

    @Test
    void emptyPayloadAndExtremeIdsWork() throws IOException {
        Journal j = open();
        j.add(Long.MIN_VALUE, (byte) 0, ByteBuffer.allocate(0), true);
        j.add(0, (byte) 0, null, true);
        j.add(Long.MAX_VALUE, (byte) -1, payload(3, 0, 1), true).join();
        TestRecords.Collected c = reopen(j);
        assertThat(c.records.keySet()).containsExactlyInAnyOrder(Long.MIN_VALUE, 0L, Long.MAX_VALUE);
        assertThat(c.records.get(Long.MIN_VALUE)).isEmpty();
        assertThat(c.types.get(Long.MAX_VALUE)).isEqualTo((byte) -1);
    }

    @Test
    void recoveryReplaysTheFinalStatePerId() throws IOException {
        Journal j = open();
        for (int id = 0; id < 50; id++) {
            j.add(id, (byte) 1, payload(id, 0, 50 + id), id % 2 == 0);
        }
        for (int id = 0; id < 50; id += 3) {
            j.update(id, (byte) 2, payload(id, 1, 70), true);
        }
        for (int id = 0; id < 50; id += 5) {
            j.delete(id, true);
        }
        j.add(5, (byte) 3, payload(5, 2, 5), true).join(); // re-added after delete
        TestRecords.Collected c = reopen(j);
        for (int id = 0; id < 50; id++) {
            if (id == 5) {
                assertThat(c.records.get(5L)).isEqualTo(bytes(5, 2, 5));
            } else if (id % 5 == 0) {
                assertThat(c.records).doesNotContainKey((long) id);
            } else if (id % 3 == 0) {
                assertThat(c.records.get((long) id)).isEqualTo(bytes(id, 1, 70));
                assertThat(c.types.get((long) id)).isEqualTo((byte) 2);
            } else {
                assertThat(c.records.get((long) id)).isEqualTo(bytes(id, 0, 50 + id));
            }
        }
    }

    @Test
    void payloadBufferPositionIsRespected() throws IOException {
        Journal j = open();
        ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 9});
        b.position(2).limit(5);
        j.add(1, (byte) 0, b, true).join();
        assertThat(toArray(j.read(1).orElseThrow().payload())).containsExactly(1, 2, 3);
    }

    @Test
    void oversizedPayloadIsRefusedAtTheCall() throws IOException {
        Journal j = open();
        assertThatThrownBy(() -> j.add(1, (byte) 0, ByteBuffer.allocate((8 << 10) + 1), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadSize");
    }

    // ---- transactions --------------------------------------------------------------------------

    @Test
    void transactionAppliesAtCommit() throws IOException {
        Journal j = open();
        j.add(1, (byte) 0, payload(1, 0, 10), true);
        j.addTx(7, 2, (byte) 0, payload(2, 0, 10));
        j.updateTx(7, 1, (byte) 0, payload(1, 1, 10));
        j.deleteTx(7, 3).join();
        assertThat(j.read(2)).isEmpty();
        assertThat(toArray(j.read(1).orElseThrow().payload())).isEqualTo(bytes(1, 0, 10));
        j.add(3, (byte) 0, payload(3, 0, 10), true);
        j.commit(7).join();
        assertThat(toArray(j.read(2).orElseThrow().payload())).isEqualTo(bytes(2, 0, 10));
        assertThat(toArray(j.read(1).orElseThrow().payload())).isEqualTo(bytes(1, 1, 10));
        assertThat(j.read(3)).isEmpty();
        TestRecords.Collected c = reopen(j);
        assertThat(c.records.keySet()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(c.prepared).isEmpty();
    }

    @Test
    void rollbackDiscards() throws IOException {
        Journal j = open();
        j.addTx(7, 2, (byte) 0, payload(2, 0, 10));
        j.rollback(7).join();
        j.commit(7).join(); // unknown now: nothing to do
        assertThat(j.read(2)).isEmpty();
        assertThat(reopen(j).records).isEmpty();
    }

    @Test
    void unfinishedTransactionIsDiscardedAndItsIdCanBeReused() throws IOException {
        Journal j = open();
        j.addTx(7, 2, (byte) 0, payload(2, 0, 10)).join();
        TestRecords.Collected c = reopen(j);
        assertThat(c.records).isEmpty();
        assertThat(c.prepared).isEmpty();
        Journal again = open();
        again.addTx(7, 3, (byte) 0, payload(3, 0, 10));
        again.commit(7).join();
        // record 2 of the first life must not ride along with the reused tx id
        assertThat(reopen(again).records.keySet()).containsExactly(3L);
    }

    @Test
    void preparedTransactionComesBackPreparedAndCanCommit() throws IOException {
        Journal j = open();
        j.add(1, (byte) 0, payload(1, 0, 10), true);
        j.addTx(7, 2, (byte) 4, payload(2, 0, 30));
        j.deleteTx(7, 1);
        j.prepare(7, new byte[] {1, 2, 3}).join();
        TestRecords.Collected c = reopen(j);
        assertThat(c.records.keySet()).containsExactly(1L);
        assertThat(c.prepared).hasSize(1);
        PreparedTransaction p = c.prepared.get(0);
        assertThat(p.txId()).isEqualTo(7);
        assertThat(p.xid()).containsExactly(1, 2, 3);
        assertThat(p.records()).extracting(PreparedTransaction.Change::id).containsExactly(2L, 1L);
        assertThat(p.records().get(0).userType()).isEqualTo((byte) 4);
        assertThat(toArray(p.records().get(0).payload())).isEqualTo(bytes(2, 0, 30));
        assertThat(p.records().get(1).delete()).isTrue();

        Journal again = open();
        again.commit(7).join();
        assertThat(again.read(1)).isEmpty();
        TestRecords.Collected after = reopen(again);
        assertThat(after.records.keySet()).containsExactly(2L);
        assertThat(after.prepared).isEmpty();
    }

    @Test
    void preparedTransactionCanRollBackAfterRestart() throws IOException {
        Journal j = open();
        j.addTx(7, 2, (byte) 0, payload(2, 0, 30));
        j.prepare(7, new byte[] {9}).join();
        j.close();
        TestRecords.Collected c = new TestRecords.Collected();
        Journal again = open(config().build(), c);
        assertThat(c.prepared).hasSize(1);
        again.rollback(7).join();
        TestRecords.Collected after = reopen(again);
        assertThat(after.records).isEmpty();
        assertThat(after.prepared).isEmpty();
    }

    @Test
    void changesAfterPrepareAreMisuse() throws IOException {
        Journal j = open();
        j.addTx(7, 2, (byte) 0, payload(2, 0, 30));
        j.prepare(7, new byte[] {9}).join();
        assertThatThrownBy(() -> j.addTx(7, 3, (byte) 0, payload(3, 0, 3)).join())
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("prepared");
        assertThatThrownBy(() -> j.prepare(7, new byte[] {9}).join()).hasCauseInstanceOf(IllegalStateException.class);
        assertThat(j.isFenced()).isFalse();
        j.commit(7).join();
        assertThat(j.read(2)).isPresent();
    }

    // ---- ids -------------------------------------------------------------------------------------

    @Test
    void idsAreNeverHandedOutTwiceAcrossRestartsCompactionAndRemovedSegments() throws IOException {
        long highest = 0;
        Journal j = open();
        long keep = j.nextId(); // one old record, relocated again and again while everything newer goes
        j.add(keep, (byte) 1, payload(keep, 0, 500), true).join();
        for (int round = 0; round < 4; round++) {
            for (int i = 0; i < 300; i++) {
                long id = j.nextIds(2);
                assertThat(id).isGreaterThan(highest);
                highest = id + 1;
                j.add(id, (byte) 0, payload(id, 0, 1000), false);
                j.delete(id, false);
            }
            j.add(keep, (byte) 1, payload(keep, round + 1, 500), true).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles() <= 2);
            TestRecords.Collected c = reopen(j);
            assertThat(c.records.keySet()).containsExactly(keep);
            j = open();
            assertThat(j.nextId()).as("first id after restart %d", round).isGreaterThan(highest);
        }
    }

    @Test
    void idsHandedOutConcurrentlyAreDistinct() throws Exception {
        Journal j = open();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 50_000; i++) {
                        long first = j.nextIds(1 + i % 3);
                        for (int k = 0; k <= i % 3; k++) {
                            assertThat(seen.add(first + k)).isTrue();
                        }
                    }
                }));
            }
            for (var f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long max = seen.stream().mapToLong(Long::longValue).max().orElseThrow();
        j.add(max, (byte) 0, payload(max, 0, 10), true).join();
        reopen(j);
        assertThat(open().nextId()).isGreaterThan(max);
    }

    @Test
    void badIdCountIsRefused() throws IOException {
        Journal j = open();
        assertThatThrownBy(() -> j.nextIds(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- segments, reclaim, compaction ----------------------------------------------------------

    @Test
    void recordsSpanManySegmentsAndRecover() throws IOException {
        Journal j = open();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int id = 0; id < 400; id++) {
            fs.add(j.add(id, (byte) 0, payload(id, 0, 1000), false));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
        assertThat(segmentFiles()).isGreaterThan(4);
        for (int id = 0; id < 400; id += 37) {
            assertThat(toArray(j.read(id).orElseThrow().payload())).isEqualTo(bytes(id, 0, 1000));
        }
        TestRecords.Collected c = reopen(j);
        assertThat(c.records).hasSize(400);
        assertThat(c.records.keySet()).containsExactlyElementsOf(() -> java.util.stream.LongStream.range(0, 400).iterator());
        assertThat(c.records.get(399L)).isEqualTo(bytes(399, 0, 1000));
    }

    @Test
    void deadSegmentsAreRemoved() throws IOException {
        Journal j = open();
        for (int id = 0; id < 400; id++) {
            j.add(id, (byte) 0, payload(id, 0, 1000), false);
            j.delete(id, false);
        }
        j.add(1000, (byte) 0, payload(1000, 0, 10), true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles() <= 2);
        assertThat(reopen(j).records.keySet()).containsExactly(1000L);
    }

    @Test
    void oneOldRecordDoesNotPinItsSegment() throws IOException {
        Journal j = open();
        j.add(-1, (byte) 5, payload(-1, 0, 500), true);
        for (int id = 0; id < 600; id++) {
            j.add(id, (byte) 0, payload(id, 0, 1000), false);
            j.delete(id, false);
        }
        j.add(7000, (byte) 0, payload(7000, 0, 10), true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles() <= 2);
        assertThat(toArray(j.read(-1).orElseThrow().payload())).isEqualTo(bytes(-1, 0, 500));
        TestRecords.Collected c = reopen(j);
        assertThat(c.records.keySet()).containsExactlyInAnyOrder(-1L, 7000L);
        assertThat(c.records.get(-1L)).isEqualTo(bytes(-1, 0, 500));
        assertThat(c.types.get(-1L)).isEqualTo((byte) 5);
    }

    @Test
    void compactionKeepsPendingAndPreparedTransactions() throws IOException {
        Journal j = open();
        j.addTx(1, 10, (byte) 0, payload(10, 0, 300));
        j.addTx(2, 20, (byte) 0, payload(20, 0, 300));
        j.prepare(2, new byte[] {2});
        j.addTx(3, 30, (byte) 0, payload(30, 0, 300));
        j.commit(3);
        for (int id = 100; id < 700; id++) {
            j.add(id, (byte) 0, payload(id, 0, 1000), false);
            j.delete(id, false);
        }
        j.add(7000, (byte) 0, payload(7000, 0, 10), true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles() <= 2);
        j.commit(1).join();
        assertThat(toArray(j.read(10).orElseThrow().payload())).isEqualTo(bytes(10, 0, 300));
        assertThat(toArray(j.read(30).orElseThrow().payload())).isEqualTo(bytes(30, 0, 300));
        TestRecords.Collected c = reopen(j);
        assertThat(c.records.keySet()).containsExactlyInAnyOrder(10L, 30L, 7000L);
        assertThat(c.prepared).singleElement().satisfies(p -> {
            assertThat(p.txId()).isEqualTo(2);
            assertThat(p.records()).singleElement().satisfies(r -> assertThat(toArray(r.payload())).isEqualTo(bytes(20, 0, 300)));
        });
    }

    // ---- group commit and sync policies ---------------------------------------------------------

    @Test
    void concurrentProducersShareForces() throws Exception {
        Journal j = open();
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = t * 1_000_000L;
                done.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<Void>> fs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        fs.add(j.add(base + i, (byte) 0, payload(base + i, 0, 1024), true));
                        if (i % 8 == 7) {
                            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
                            fs.clear();
                        }
                    }
                    CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
                    return null;
                }));
            }
            start.countDown();
            for (var f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        int appends = threads * perThread;
        assertThat(files.forces.get()).isPositive().isLessThan(appends / 2);
        assertThat(reopen(j).records).hasSize(appends);
    }

    @Test
    void nonDurableWritesNeverForce() throws IOException {
        Journal j = open();
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int id = 0; id < 200; id++) {
            fs.add(j.add(id, (byte) 0, payload(id, 0, 100), false));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
        assertThat(files.forces.get()).isZero();
        j.add(1000, (byte) 0, payload(1000, 0, 100), true).join();
        assertThat(files.forces.get()).isPositive();
    }

    @Test
    void aNonDurableCommitIsWrittenAtomicallyWithoutAForce() throws IOException {
        Journal j = open();
        j.add(1, (byte) 0, payload(1, 0, 100), true).join();
        j.add(2, (byte) 0, payload(2, 0, 100), true).join();
        int before = files.forces.get();
        j.deleteTx(7, 1);
        j.deleteTx(7, 2);
        j.commit(7, false).join();
        assertThat(files.forces.get()).as("forces by a non-durable commit").isEqualTo(before);
        assertThat(j.read(1)).isEmpty();
        assertThat(j.read(2)).isEmpty();
        // the next durable write forces it too; an orderly close keeps it
        j.add(3, (byte) 0, payload(3, 0, 100), true).join();
        assertThat(files.forces.get()).isEqualTo(before + 1);
        assertThat(reopen(j).records.keySet()).containsExactly(3L);
    }

    @Test
    void theCommitOfAPreparedTransactionIsForcedEvenWhenAskedNotTo() throws IOException {
        Journal j = open();
        j.addTx(8, 2, (byte) 0, payload(2, 0, 100));
        j.prepare(8, new byte[] {8}).join();
        int before = files.forces.get();
        j.commit(8, false).join();
        assertThat(files.forces.get()).isEqualTo(before + 1);
        assertThat(reopen(j).records.keySet()).containsExactly(2L);
    }

    @Test
    void syncPolicyNoneNeverForcesUntilClose() throws IOException {
        Journal j = open(config().set(JournalConfig.SYNC_POLICY, SyncPolicy.NONE).build(), RecoveryListener.IGNORE);
        for (int id = 0; id < 50; id++) {
            j.add(id, (byte) 0, payload(id, 0, 100), true).join();
        }
        assertThat(files.forces.get()).isZero();
        j.close();
        assertThat(files.forces.get()).isPositive();
    }

    @Test
    void twoPhaseCommitIsForcedWhateverThePolicy() throws IOException {
        for (SyncPolicy policy : new SyncPolicy[] {SyncPolicy.NONE, SyncPolicy.ASYNC}) {
            Journal j = open(config().set(JournalConfig.SYNC_POLICY, policy)
                    .set(JournalConfig.ASYNC_FLUSH_INTERVAL_MILLIS, 60_000L).build(), RecoveryListener.IGNORE);
            j.addTx(7, 1, (byte) 0, payload(1, 0, 100));
            j.commit(7).join();
            int before = files.forces.get();
            j.addTx(8, 2, (byte) 0, payload(2, 0, 100));
            j.prepare(8, new byte[] {8}).join();
            assertThat(files.forces.get()).as("%s: forces by the prepare", policy).isEqualTo(before + 1);
            j.commit(8).join();
            assertThat(files.forces.get()).as("%s: forces by the commit of a prepared tx", policy).isEqualTo(before + 2);
            j.addTx(9, 3, (byte) 0, payload(3, 0, 100));
            j.prepare(9, new byte[] {9}).join();
            j.rollback(9).join();
            assertThat(files.forces.get()).as("%s: forces by prepare and rollback", policy).isEqualTo(before + 4);
            j.close();
            for (Path p : Files.list(dir).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void asyncPolicyCompletesAtOnceAndForcesOnItsInterval() throws IOException {
        Journal j = open(config().set(JournalConfig.SYNC_POLICY, SyncPolicy.ASYNC)
                .set(JournalConfig.ASYNC_FLUSH_INTERVAL_MILLIS, 20L).build(), RecoveryListener.IGNORE);
        j.add(1, (byte) 0, payload(1, 0, 100), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> files.forces.get() > 0);
    }

    @Test
    void dataAndMetadataPolicyWorks() throws IOException {
        Journal j = open(config().set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA_AND_METADATA).build(),
                RecoveryListener.IGNORE);
        j.add(1, (byte) 0, payload(1, 0, 100), true).join();
        assertThat(files.forces.get()).isPositive();
        assertThat(reopen(j).records).containsKey(1L);
    }

    // ---- concurrency of reads ---------------------------------------------------------------------

    @Test
    void readsStayCorrectDuringAppendsAndCompaction() throws Exception {
        Journal j = open();
        // ids 0..99 stay live with version 0 for the whole test; others come and go to force compaction
        for (int id = 0; id < 100; id++) {
            j.add(id, (byte) 0, payload(id, 0, 200), false);
        }
        j.add(-1, (byte) 0, null, true).join();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        for (int r = 0; r < 2; r++) {
            readers.submit(() -> {
                try {
                    while (!stop.get()) {
                        int id = ThreadLocalRandom.current().nextInt(100);
                        byte[] got = toArray(j.read(id).orElseThrow().payload());
                        if (!java.util.Arrays.equals(got, bytes(id, 0, 200))) {
                            throw new AssertionError("record " + id + " read back wrong");
                        }
                        reads.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
        }
        for (int id = 1000; id < 3000; id++) {
            j.add(id, (byte) 0, payload(id, 0, 900), false);
            j.delete(id, false);
        }
        j.add(-2, (byte) 0, null, true).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> segmentFiles() <= 3);
        stop.set(true);
        readers.shutdown();
        assertThat(readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isPositive();
    }

    // ---- replication hook --------------------------------------------------------------------------

    @Test
    void replicationSeesEveryBatchBeforeItsFutureCompletes() throws IOException {
        Map<Long, Boolean> replicated = new ConcurrentHashMap<>();
        ReplicationListener listener = (segment, position, frames) -> {
            for (int at = 0; at < frames.remaining(); ) {
                int length = frames.getInt(at + RecordDescriptor.LENGTH_OFFSET);
                replicated.put(frames.getLong(at + RecordDescriptor.ID_OFFSET), true);
                at += RecordDescriptor.aligned(length);
            }
        };
        Journal j = open(config().build(), RecoveryListener.IGNORE, listener);
        List<CompletableFuture<Boolean>> seen = new ArrayList<>();
        for (long id = 0; id < 300; id++) {
            long i = id;
            seen.add(j.add(id, (byte) 0, payload(id, 0, 500), id % 2 == 0).thenApply(v -> replicated.containsKey(i)));
        }
        assertThat(seen).allSatisfy(f -> assertThat(f.join()).isTrue());
    }

    // ---- failures -----------------------------------------------------------------------------------

    @Test
    void forceFailureFencesTheJournal() throws IOException {
        Journal j = open();
        j.add(1, (byte) 0, payload(1, 0, 10), true).join();
        files.failForces.set(true);
        CompletableFuture<Void> failed = j.add(2, (byte) 0, payload(2, 0, 10), true);
        assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(StoreFencedException.class).hasRootCauseMessage("injected force failure (EIO)");
        assertThat(j.isFenced()).isTrue();
        assertThatThrownBy(() -> j.add(3, (byte) 0, payload(3, 0, 10), false).join())
                .hasCauseInstanceOf(StoreFencedException.class);
        assertThat(j.read(1)).isPresent();
        files.failForces.set(false);
        TestRecords.Collected c = reopen(j);
        assertThat(c.records).containsKey(1L).doesNotContainKey(3L);
    }

    @Test
    void writeFailureFencesTheJournal() throws IOException {
        Journal j = open();
        files.failWrites.set(true);
        assertThatThrownBy(() -> j.add(2, (byte) 0, payload(2, 0, 10), false).join())
                .hasCauseInstanceOf(StoreFencedException.class);
        assertThat(j.isFenced()).isTrue();
        assertThatThrownBy(() -> j.commit(5).join()).hasCauseInstanceOf(StoreFencedException.class);
    }

    @Test
    void aRecordWhoseWriteFailedIsNeverReadAfterTheFence() throws IOException {
        Journal j = open();
        j.add(1, (byte) 0, payload(1, 0, 10), true).join();
        files.failWrites.set(true);
        assertThatThrownBy(() -> j.add(2, (byte) 0, payload(2, 0, 10), false).join())
                .hasCauseInstanceOf(StoreFencedException.class);
        assertThat(j.read(1)).isPresent();
        // the index took record 2 up while its frame was gathered; the frame never reached the file
        assertThatThrownBy(() -> j.read(2)).isInstanceOf(StoreFencedException.class);
        assertThatThrownBy(() -> j.readAll(new long[] {1, 2})).isInstanceOf(StoreFencedException.class);
    }

    // ---- gathered writes -----------------------------------------------------------------------

    /**
     * A replication listener that holds the appender inside its next batch once asked, so that commands queue up
     * behind it and the appender takes them as one batch after {@link #release}.
     */
    static final class AppenderHold implements ReplicationListener {
        private final AtomicBoolean holdNext = new AtomicBoolean();
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onBatch(long segmentSequence, int position, ByteBuffer frames) {
            if (holdNext.compareAndSet(true, false)) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Adds record {@code id}, then updates it durably and returns once the appender is held in that batch. */
        CompletableFuture<Void> holdWith(Journal j, long id) throws InterruptedException {
            j.add(id, (byte) 0, payload(id, 0, 10), true).join(); // what the open queued (ID_BLOCK) goes first
            holdNext.set(true);
            CompletableFuture<Void> f = j.update(id, (byte) 0, payload(id, 1, 10), true);
            assertThat(held.await(10, TimeUnit.SECONDS)).as("appender held").isTrue();
            return f;
        }

        void release() {
            release.countDown();
        }
    }

    @Test
    void writtenCompletesOnceEarlierWritesAreInTheFileWithoutWaitingForTheirForce(@TempDir Path copy) throws Exception {
        Journal j = open();
        List<CountDownLatch> forcing = List.of(new CountDownLatch(1), new CountDownLatch(1));
        List<CountDownLatch> release = List.of(new CountDownLatch(1), new CountDownLatch(1));
        AtomicInteger forces = new AtomicInteger();
        j.stats().onForce(nanos -> {
            int n = forces.getAndIncrement();
            if (n < 2) {
                forcing.get(n).countDown();
                awaitQuietly(release.get(n));
            }
        });
        try {
            CompletableFuture<Void> first = j.add(1, (byte) 0, payload(1, 0, 100), true);
            assertThat(forcing.get(0).await(10, TimeUnit.SECONDS)).isTrue(); // held in the force of record 1
            CompletableFuture<Void> second = j.add(2, (byte) 0, payload(2, 0, 80), true);
            CompletableFuture<Void> update = j.update(1, (byte) 1, payload(1, 1, 60), false);
            CompletableFuture<Void> written = j.written();
            assertThat(written).isNotDone(); // nothing queued behind the held force is written yet
            release.get(0).countDown();
            first.get(10, TimeUnit.SECONDS);
            // the next batch (record 2, the update, the mark) is written; its force is held, yet the mark completes
            written.get(10, TimeUnit.SECONDS);
            assertThat(update).isDone();
            assertThat(forcing.get(1).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second).isNotDone();
            // written means in the file: a journal opened on a copy of the directory finds both
            try (var segments = Files.list(dir)) {
                for (Path f : segments.filter(f -> f.getFileName().toString().endsWith(".seg")).toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            TestRecords.Collected c = new TestRecords.Collected();
            try (Journal fromCopy = Journal.open(JournalConfig.builder(copy).set(JournalConfig.IO_MODE, mode())
                    .set(JournalConfig.SEGMENT_SIZE, SEGMENT).set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10).build(), c)) {
                assertThat(c.records.get(1L)).isEqualTo(bytes(1, 1, 60));
                assertThat(c.records.get(2L)).isEqualTo(bytes(2, 0, 80));
            }
        } finally {
            release.forEach(CountDownLatch::countDown);
        }
    }

    @Test
    void writtenFailsOnAClosedJournal() throws Exception {
        Journal j = open();
        j.close();
        assertThatThrownBy(() -> j.written().join()).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aBatchOfSmallAppendsCostsOneFileWrite() throws Exception {
        AppenderHold hold = new AppenderHold();
        Journal j = open(config().build(), RecoveryListener.IGNORE, hold);
        j.add(1, (byte) 0, payload(1, 0, 10), true).join();
        CompletableFuture<Void> first = hold.holdWith(j, 2);
        long writes = j.stats().writes();
        long fileWrites = files.writes.get();
        long appends = j.stats().appends();
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        for (long id = 100; id < 200; id++) {
            // every other command updates the record added just before it, in the same batch
            batch.add(id % 2 == 0 ? j.add(id, (byte) 0, payload(id, 0, 100), true)
                    : j.update(id - 1, (byte) 1, payload(id - 1, 1, 50), false));
        }
        hold.release();
        first.join();
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
        assertThat(j.stats().appends() - appends).isEqualTo(100);
        assertThat(j.stats().writes() - writes).isEqualTo(1);
        assertThat(files.writes.get() - fileWrites).isEqualTo(1);
        for (long id = 100; id < 200; id += 2) {
            assertThat(toArray(j.read(id).orElseThrow().payload())).isEqualTo(bytes(id, 1, 50));
        }
        TestRecords.Collected c = reopen(j);
        assertThat(c.records).hasSize(52);
        assertThat(c.records.get(198L)).isEqualTo(bytes(198, 1, 50));
    }

    /**
     * Updating or deleting a record soon after it was written reads nothing from the file: the length of its frame,
     * which the live-byte accounting needs, is one of the frames written last. A record written before a restart still
     * has its length read from the file.
     */
    @Test
    void releasingARecentFrameReadsNoLengthFromTheFile() throws Exception {
        Journal j = open();
        int before = files.readInts.get();
        for (long id = 1; id <= 900; id++) {
            j.add(id, (byte) 0, payload(id, 0, 100), true).join();
            if (id % 3 == 0) {
                j.update(id, (byte) 1, payload(id, 1, 60), true).join();
            }
            if (id > 1) {
                j.delete(id - 1, true).join(); // consumed as the next one arrives
            }
        }
        assertThat(files.readInts.get() - before).as("frame lengths read from the files").isZero();
        assertThat(segmentFiles()).as("segments emptied by the deletes are removed").isLessThanOrEqualTo(3);
        j.close();
        j = open();
        before = files.readInts.get();
        j.delete(900, true).join();
        assertThat(files.readInts.get() - before).as("a record recovered at start-up").isEqualTo(1);
        assertThat(reopen(j).records).isEmpty();
    }

    @Test
    void aBatchBiggerThanTheGatherBufferIsWrittenOnceEachTimeTheBufferFills() throws Exception {
        AppenderHold hold = new AppenderHold();
        Journal j = open(config().set(JournalConfig.SEGMENT_SIZE, 4 << 20).build(), RecoveryListener.IGNORE, hold);
        CompletableFuture<Void> first = hold.holdWith(j, 1);
        long writes = j.stats().writes();
        int frame = RecordDescriptor.aligned(RecordDescriptor.frameLength(4000));
        int records = 3 * JournalAgent.GATHER_BYTES / frame;
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (long id = 10; id < 10 + records; id++) {
            all.add(j.add(id, (byte) 0, payload(id, 0, 4000), false));
        }
        hold.release();
        first.join();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        int perGather = JournalAgent.GATHER_BYTES / frame;
        assertThat(j.stats().writes() - writes).isEqualTo((records + perGather - 1) / perGather);
        for (long id = 10; id < 10 + records; id++) {
            assertThat(toArray(j.read(id).orElseThrow().payload())).isEqualTo(bytes(id, 0, 4000));
        }
        TestRecords.Collected c = reopen(j, config().set(JournalConfig.SEGMENT_SIZE, 4 << 20).build());
        assertThat(c.records).hasSize(records + 1);
    }

    @Test
    void aBatchThatRollsTheHeadIsWrittenOncePerSegment() throws Exception {
        AppenderHold hold = new AppenderHold();
        Journal j = open(config().build(), RecoveryListener.IGNORE, hold);
        CompletableFuture<Void> first = hold.holdWith(j, 1);
        long writes = j.stats().writes();
        int records = 40; // about 2.5 segments of 64 KiB
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (long id = 10; id < 10 + records; id++) {
            all.add(j.add(id, (byte) 0, payload(id, 0, 4000), false));
        }
        hold.release();
        first.join();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(j.stats().writes() - writes).isBetween(3L, 4L);
        for (long id = 10; id < 10 + records; id++) {
            assertThat(toArray(j.read(id).orElseThrow().payload())).isEqualTo(bytes(id, 0, 4000));
        }
        TestRecords.Collected c = reopen(j);
        assertThat(c.records).hasSize(records + 1);
        assertThat(segmentFiles()).isGreaterThanOrEqualTo(3);
    }

    /**
     * Index entries are published while their frames are still gathered: a reader racing the appender must wait
     * for the write (never see zeros or a stale frame), and a writer must find its record the moment its future
     * completes.
     */
    @Test
    void aRecordIsReadableAsSoonAsItsFutureCompletesUnderConcurrentAppends() throws Exception {
        Journal j = open(config().set(JournalConfig.SYNC_POLICY, SyncPolicy.NONE).build(), RecoveryListener.IGNORE);
        int writers = 3;
        int perWriter = 2000;
        AtomicLong submitted = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        AtomicLong raced = new AtomicLong();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    long top = submitted.get();
                    for (long id = Math.max(1, top - 8); id <= top + 2; id++) {
                        Optional<JournalRecord> r = j.read(id);
                        if (r.isPresent()) {
                            assertThat(toArray(r.get().payload())).isEqualTo(bytes(id, 0, (int) (id % 700) + 1));
                            raced.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<?>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        long id = 1 + (long) i * writers + writer;
                        submitted.accumulateAndGet(id, Math::max);
                        j.add(id, (byte) 0, payload(id, 0, (int) (id % 700) + 1), false).join();
                        Optional<JournalRecord> r = j.read(id);
                        assertThat(r).as("record %d after its future completed", id).isPresent();
                        assertThat(toArray(r.get().payload())).isEqualTo(bytes(id, 0, (int) (id % 700) + 1));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : results) {
                f.get(50, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
            reader.join(10_000);
        }
        assertThat(readerFailure.get()).isNull();
        assertThat(raced.get()).isPositive();
        assertThat(j.stats().writes()).isLessThanOrEqualTo(j.stats().appends());
    }

    @Test
    void lockedDirectoryIsRefusedWithItsName() throws IOException {
        open();
        assertThatThrownBy(() -> Journal.open(config().build(), RecoveryListener.IGNORE))
                .isInstanceOf(JournalLockedException.class).hasMessageContaining(dir.toAbsolutePath().toString());
    }

    @Test
    void closedJournalRefusesWrites() throws IOException {
        Journal j = open();
        j.close();
        assertThatThrownBy(() -> j.add(1, (byte) 0, null, true).join()).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> j.read(1)).isInstanceOf(IllegalStateException.class);
        j.close();
    }

    @Test
    void foreignFileIsNotOverwritten() throws IOException {
        Path foreign = dir.resolve("0000000001.seg");
        Files.write(foreign, new byte[SEGMENT]);
        Files.write(foreign, "not a segment at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                java.nio.file.StandardOpenOption.WRITE);
        assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("bad magic");
        assertThat(Files.size(foreign)).isEqualTo(SEGMENT);
        Files.delete(foreign);
        open(); // the failed open released the lock
    }
}
