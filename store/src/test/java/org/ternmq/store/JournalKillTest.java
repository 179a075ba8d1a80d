package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.ternmq.store.TestRecords.bytes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@link KillTestChild} in a child JVM, lets it append with sync policy DATA, kills it with
 * SIGKILL ({@link Process#destroyForcibly()}) after a random number of acknowledgements, reopens the
 * journal and checks that every acknowledged add is there exactly once with its payload and every
 * acknowledged delete is gone. Several rounds on one directory, so each child also recovers what the
 * previous one left.
 */
class JournalKillTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedRecordsSurviveSigkill() throws Exception {
        rounds(3, 7, 300);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void acknowledgedRecordsSurviveManySigkills() throws Exception {
        rounds(30, 11, 5_000);
    }

    private void rounds(int rounds, long seed, int maxAcks) throws Exception {
        Random random = new Random(seed);
        Set<Long> added = ConcurrentHashMap.newKeySet();
        Set<Long> deleted = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < rounds; round++) {
            int acksBeforeKill = 20 + random.nextInt(maxAcks);
            runChildUntil(round * 10_000_000L, acksBeforeKill, added, deleted);
            TestRecords.Collected c = new TestRecords.Collected();
            Journal.open(JournalConfig.builder(dir).set(JournalConfig.SEGMENT_SIZE, 256 << 10)
                    .set(JournalConfig.MAX_PAYLOAD_SIZE, 64 << 10).build(), c).close();
            assertThat(c.duplicates).isZero();
            for (long id : added) {
                if (deleted.contains(id)) {
                    assertThat(c.records.containsKey(id)).as("acknowledged delete of %d", id).isFalse();
                } else if (!KillTestChild.deletedAfterAdd(id)) {
                    assertThat(c.records.containsKey(id)).as("acknowledged add of %d", id).isTrue();
                    assertThat(c.records.get(id)).as("payload of %d", id).isEqualTo(bytes(id, 0, KillTestChild.PAYLOAD));
                }
                // else: the delete was sent but not acknowledged, so either outcome is right
            }
        }
        assertThat(added).hasSizeGreaterThan(rounds * 20);
    }

    private void runChildUntil(long firstId, int acks, Set<Long> added, Set<Long> deleted) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                KillTestChild.class.getName(), dir.toString(), Long.toString(firstId), Integer.toString(256 << 10));
        pb.redirectError(dir.resolve("child-stderr.txt").toFile());
        Process child = pb.start();
        AtomicBoolean ready = new AtomicBoolean();
        int[] roundAcks = {0};
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.equals("READY")) {
                        ready.set(true);
                    } else if (line.startsWith("A ")) {
                        added.add(Long.parseLong(line.substring(2)));
                        synchronized (roundAcks) {
                            roundAcks[0]++;
                        }
                    } else if (line.startsWith("D ")) {
                        deleted.add(Long.parseLong(line.substring(2)));
                    }
                }
            } catch (IOException e) {
                // the child died mid-line: the partial line is not an acknowledgement
            }
        }, "kill-test-reader");
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ready.get() || !child.isAlive());
            if (firstId == 0) {
                // the child holds the directory: a second process must be refused, naming it
                assertThatThrownBy(() -> Journal.open(JournalConfig.builder(dir).build(), RecoveryListener.IGNORE))
                        .isInstanceOf(JournalLockedException.class).hasMessageContaining(dir.toAbsolutePath().toString());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                synchronized (roundAcks) {
                    return roundAcks[0] >= acks || !child.isAlive();
                }
            });
            assertThat(child.isAlive()).as("child still running (see child-stderr.txt)").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
