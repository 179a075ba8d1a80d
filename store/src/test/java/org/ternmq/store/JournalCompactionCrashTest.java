package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ternmq.store.TestRecords.bytes;
import static org.ternmq.store.TestRecords.payload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stops the journal at the n-th file write (every later write fails, as if the process died there)
 * while old records are being relocated and segments removed, then recovers and checks that the
 * live set is exactly right: every kept record with its payload, no acknowledged delete undone,
 * nothing twice. The page cache keeps what was written before the failure, as after a process crash.
 */
class JournalCompactionCrashTest {
    private static final int KEPT = 30;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "crash at write {0}")
    @ValueSource(ints = {40, 95, 120, 150, 180, 201, 230, 260, 290, 333, 370, 400, 450, 510, 575, 640, 700, 777, 850, 990})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void recoversExactlyTheLiveSetAfterACrashAtAnyWrite(int crashAt) throws IOException {
        JournalConfig config = JournalConfig.builder(dir)
                .set(JournalConfig.SEGMENT_SIZE, 64 << 10)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                .set(JournalConfig.COMPACTION_STEP_RECORDS, 3)
                .build();
        FaultyFiles files = new FaultyFiles(config.ioMode());
        Set<Long> deleted = new HashSet<>();
        try (Journal j = Journal.open(config, RecoveryListener.IGNORE, null, files)) {
            files.writesBeforeFailure.set(crashAt);
            try {
                for (long id = 0; id < KEPT; id++) {
                    j.add(id, (byte) 0, payload(id, 0, 700), true).join();
                }
                j.addTx(77, 5000, (byte) 0, payload(5000, 0, 900)).join();
                j.prepare(77, new byte[] {7}).join();
                for (long id = 1000; id < 1600; id++) {
                    j.add(id, (byte) 0, payload(id, 0, 900), false).join();
                    j.delete(id, false).join();
                    deleted.add(id);
                }
            } catch (CompletionException e) {
                assertThat(e).hasCauseInstanceOf(StoreFencedException.class);
            }
            assertThat(j.isFenced()).isTrue();
        }
        TestRecords.Collected c = new TestRecords.Collected();
        Journal.open(config, c).close();
        assertThat(c.duplicates).isZero();
        for (long id : c.records.keySet()) {
            assertThat(deleted).as("acknowledged delete of %d undone", id).doesNotContain(id);
        }
        for (long id = 0; id < Math.min(KEPT, crashAt / 2); id++) {
            if (c.records.containsKey(id)) {
                assertThat(c.records.get(id)).isEqualTo(bytes(id, 0, 700));
            }
        }
        long keptRecovered = c.records.keySet().stream().filter(id -> id < KEPT).count();
        if (crashAt > 2 * KEPT + 10) {
            assertThat(keptRecovered).as("kept records").isEqualTo(KEPT);
            assertThat(c.prepared).singleElement().satisfies(p -> assertThat(p.txId()).isEqualTo(77));
        }
    }

    /**
     * Ids come from {@link Journal#nextId()} while everything but a few old records is deleted and segments
     * go; the journal stops at the n-th write. Whatever survived, no id whose write completed may be handed
     * out again after recovery.
     */
    @ParameterizedTest(name = "crash at write {0}")
    @ValueSource(ints = {3, 7, 40, 95, 150, 201, 290, 370, 450, 575, 700, 850, 990, 1500})
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void noIdIsHandedOutAgainAfterACrashAtAnyWrite(int crashAt) throws IOException {
        JournalConfig config = JournalConfig.builder(dir)
                .set(JournalConfig.SEGMENT_SIZE, 64 << 10)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 8 << 10)
                .set(JournalConfig.COMPACTION_STEP_RECORDS, 3)
                .build();
        long written = 0;
        for (int life = 0; life < 3; life++) {
            FaultyFiles files = new FaultyFiles(config.ioMode());
            try (Journal j = Journal.open(config, RecoveryListener.IGNORE, null, files)) {
                long first = j.nextId();
                assertThat(first).as("first id of life %d", life).isGreaterThan(written);
                files.writesBeforeFailure.set(life == 2 ? crashAt : -1);
                try {
                    j.add(first, (byte) 0, payload(first, 0, 700), true).join();
                    written = Math.max(written, first);
                    for (int i = 0; i < 400; i++) {
                        long id = j.nextIds(2);
                        j.add(id, (byte) 0, payload(id, 0, 900), false).join();
                        written = Math.max(written, id);
                        j.delete(id, false).join();
                    }
                } catch (CompletionException e) {
                    assertThat(e).hasCauseInstanceOf(StoreFencedException.class);
                }
            }
        }
        try (Journal j = Journal.open(config, RecoveryListener.IGNORE)) {
            assertThat(j.nextId()).isGreaterThan(written);
        }
    }
}
