package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.toArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random operations (adds, updates, deletes, transactions with prepare, commit and rollback, reads,
 * close and reopen) against the journal and an in-memory model; after every reopen the recovered
 * records and prepared transactions must equal the model's. Small segments make the journal roll,
 * remove and compact constantly. A failing seed replays exactly.
 */
class JournalModelTest {
    @TempDir
    Path dir;

    static Stream<Arguments> shortSeeds() {
        return seeds(new long[] {1, 2, 3, 42, 20_240_601}, 1_500);
    }

    static Stream<Arguments> longSeeds() {
        long[] seeds = new long[40];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 1000 + i;
        }
        return seeds(seeds, 20_000);
    }

    private static Stream<Arguments> seeds(long[] seeds, int ops) {
        List<Arguments> args = new ArrayList<>();
        for (long seed : seeds) {
            for (IoMode mode : IoMode.values()) {
                args.add(Arguments.of(seed, mode, ops));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "seed {0} on {1}")
    @MethodSource("shortSeeds")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void journalMatchesModel(long seed, IoMode mode, int ops) throws IOException {
        new Run(seed, mode).execute(ops);
    }

    @ParameterizedTest(name = "seed {0} on {1}")
    @MethodSource("longSeeds")
    @Tag("soak")
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void journalMatchesModelLong(long seed, IoMode mode, int ops) throws IOException {
        new Run(seed, mode).execute(ops);
    }

    /** The model: committed records and pending transactions. */
    private final class Run {
        final Random random;
        final JournalConfig config;
        final Map<Long, byte[]> committed = new LinkedHashMap<>();
        final Map<Long, Map<Long, byte[]>> pending = new LinkedHashMap<>(); // tx -> id -> payload (null = delete)
        final Map<Long, byte[]> prepared = new LinkedHashMap<>(); // tx -> xid
        Journal journal;
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        int version;
        long nextTx = 1;

        Run(long seed, IoMode mode) {
            random = new Random(seed);
            config = JournalConfig.builder(dir)
                    .set(JournalConfig.IO_MODE, mode)
                    .set(JournalConfig.SEGMENT_SIZE, 64 << 10)
                    .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                    .set(JournalConfig.SYNC_POLICY, random.nextBoolean() ? SyncPolicy.DATA : SyncPolicy.NONE)
                    .set(JournalConfig.COMPACTION_STEP_RECORDS, 1 + random.nextInt(64))
                    .build();
        }

        void execute(int ops) throws IOException {
            reopen();
            for (int i = 0; i < ops; i++) {
                step();
            }
            reopen();
            journal.close();
        }

        long anyId() {
            return random.nextInt(150);
        }

        byte[] nextPayload(long id) {
            int size = random.nextInt(10) == 0 ? random.nextInt(6000) : random.nextInt(300);
            return bytes(id, ++version, size);
        }

        void step() throws IOException {
            int op = random.nextInt(100);
            if (op < 25) {
                long id = anyId();
                byte[] p = nextPayload(id);
                last = random.nextBoolean() ? journal.add(id, (byte) 1, ByteBuffer.wrap(p), random.nextBoolean())
                        : journal.update(id, (byte) 1, ByteBuffer.wrap(p), random.nextBoolean());
                committed.put(id, p);
            } else if (op < 40) {
                long id = anyId();
                last = journal.delete(id, random.nextBoolean());
                committed.remove(id);
            } else if (op < 60) {
                long tx = openTransaction();
                long id = anyId();
                if (random.nextInt(4) == 0) {
                    last = journal.deleteTx(tx, id);
                    pending.get(tx).put(id, null);
                } else {
                    byte[] p = nextPayload(id);
                    last = random.nextBoolean() ? journal.addTx(tx, id, (byte) 1, ByteBuffer.wrap(p))
                            : journal.updateTx(tx, id, (byte) 1, ByteBuffer.wrap(p));
                    pending.get(tx).put(id, p);
                }
            } else if (op < 66) {
                Long tx = pick(false);
                if (tx != null) {
                    byte[] xid = bytes(tx, 0, 1 + random.nextInt(40));
                    last = journal.prepare(tx, xid);
                    prepared.put(tx, xid);
                }
            } else if (op < 74) {
                Long tx = pick(true);
                if (tx != null) {
                    last = journal.commit(tx);
                    pending.remove(tx).forEach((id, p) -> {
                        if (p == null) {
                            committed.remove(id);
                        } else {
                            committed.put(id, p);
                        }
                    });
                    prepared.remove(tx);
                }
            } else if (op < 78) {
                Long tx = pick(true);
                if (tx != null) {
                    last = journal.rollback(tx);
                    pending.remove(tx);
                    prepared.remove(tx);
                }
            } else if (op < 98) {
                last.join();
                long id = anyId();
                byte[] expected = committed.get(id);
                var actual = journal.read(id);
                if (expected == null) {
                    assertThat(actual).as("record %d", id).isEmpty();
                } else {
                    assertThat(actual).as("record %d", id).isPresent();
                    assertThat(toArray(actual.get().payload())).as("record %d", id).isEqualTo(expected);
                }
            } else {
                reopen();
            }
        }

        long openTransaction() {
            Long tx = random.nextInt(3) == 0 ? null : pick(false);
            if (tx == null) {
                tx = nextTx++;
                pending.put(tx, new LinkedHashMap<>());
            }
            return tx;
        }

        /** A random pending transaction (prepared ones too when {@code includePrepared}), or null. */
        Long pick(boolean includePrepared) {
            List<Long> candidates = new ArrayList<>();
            for (Long tx : pending.keySet()) {
                if (includePrepared || !prepared.containsKey(tx)) {
                    candidates.add(tx);
                }
            }
            return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
        }

        void reopen() throws IOException {
            if (journal != null) {
                last.join();
                journal.close();
            }
            TestRecords.Collected c = new TestRecords.Collected();
            journal = Journal.open(config, c);
            // unprepared transactions die with the journal that ran them
            pending.keySet().removeIf(tx -> !prepared.containsKey(tx));
            assertThat(c.duplicates).isZero();
            assertThat(c.records.keySet()).containsExactlyInAnyOrderElementsOf(committed.keySet());
            committed.forEach((id, p) -> assertThat(c.records.get(id)).as("record %d", id).isEqualTo(p));
            assertThat(c.prepared).extracting(PreparedTransaction::txId).containsExactlyInAnyOrderElementsOf(prepared.keySet());
            for (PreparedTransaction t : c.prepared) {
                assertThat(t.xid()).isEqualTo(prepared.get(t.txId()));
                Map<Long, byte[]> expected = pending.get(t.txId());
                assertThat(t.records()).extracting(PreparedTransaction.Change::id)
                        .containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (PreparedTransaction.Change change : t.records()) {
                    byte[] p = expected.get(change.id());
                    assertThat(change.delete()).isEqualTo(p == null);
                    if (p != null) {
                        assertThat(toArray(change.payload())).isEqualTo(p);
                    }
                }
            }
            last = CompletableFuture.completedFuture(null);
        }
    }
}
