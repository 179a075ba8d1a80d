package org.ternmq.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordIndexTest {

    @Test
    void matchesAHashMapUnderRandomOperations() {
        for (long seed = 0; seed < 5; seed++) {
            Random random = new Random(seed);
            RecordIndex index = new RecordIndex(4);
            Map<Long, Long> model = new HashMap<>();
            for (int i = 0; i < 200_000; i++) {
                // a small key space makes long probe runs, collisions and backward shifts common
                long id = random.nextInt(5) == 0 ? Long.MIN_VALUE + random.nextInt(3) : random.nextInt(5000) * 64L;
                if (random.nextInt(3) == 0) {
                    Long expected = model.remove(id);
                    assertThat(index.remove(id)).isEqualTo(expected == null ? RecordIndex.ABSENT : expected);
                } else {
                    long location = 1 + random.nextInt(1 << 30);
                    Long expected = model.put(id, location);
                    assertThat(index.put(id, location)).isEqualTo(expected == null ? RecordIndex.ABSENT : expected);
                }
                if (i % 1000 == 0) {
                    for (Map.Entry<Long, Long> e : model.entrySet()) {
                        assertThat(index.get(e.getKey())).isEqualTo(e.getValue());
                    }
                }
            }
            assertThat(index.size()).isEqualTo(model.size());
            Map<Long, Long> seen = new HashMap<>();
            index.forEach((id, location) -> {
                seen.put(id, location);
                return 0;
            });
            assertThat(seen).isEqualTo(model);
        }
    }

    @Test
    void keepsAtMostAboutThirtyFourBytesPerRecord() {
        RecordIndex index = new RecordIndex();
        int records = 2_000_000;
        for (int id = 0; id < records; id++) {
            index.put(id, id + 1L);
        }
        long bytes = 16L * index.capacity();
        assertThat((double) bytes / records).isLessThan(34.0);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void readersNeverSeeWrongLocationsWhileTheWriterChurns() throws InterruptedException {
        RecordIndex index = new RecordIndex(16);
        // stable ids always map to id * 10; churn ids force growth and backward shifts around them
        for (long id = 0; id < 1000; id++) {
            index.put(id, id * 10 + 1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                Random random = new Random();
                while (!stop.get()) {
                    long id = random.nextInt(1000);
                    long got = index.get(id);
                    if (got != id * 10 + 1) {
                        failure.compareAndSet(null, "id " + id + " read " + got);
                    }
                }
            });
            readers[r].start();
        }
        for (long round = 0; round < 50; round++) {
            for (long id = 1000; id < 20_000; id++) {
                index.put(id, id);
            }
            for (long id = 1000; id < 20_000; id++) {
                index.remove(id);
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
    }
}
