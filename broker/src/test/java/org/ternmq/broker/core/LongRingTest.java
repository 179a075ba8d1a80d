package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongRingTest {

    @Test
    void keepsFirstInFirstOutOrderAcrossGrowthAndWrapAround() {
        LongRing ring = new LongRing();
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 37; i++) {
                ring.addLast(next++);
            }
            for (int i = 0; i < 29; i++) {
                assertThat(ring.removeFirst()).isEqualTo(expected++);
            }
        }
        assertThat(ring.size()).isEqualTo(50 * 8);
        for (int i = 0; i < ring.size(); i++) {
            assertThat(ring.get(i)).isEqualTo(expected + i);
        }
        while (!ring.isEmpty()) {
            assertThat(ring.removeFirst()).isEqualTo(expected++);
        }
        assertThat(expected).isEqualTo(next);
    }

    @Test
    void behavesLikeADequeUnderRandomOperations() {
        Random random = new Random(7);
        LongRing ring = new LongRing();
        ArrayDeque<Long> model = new ArrayDeque<>();
        for (int op = 0; op < 200_000; op++) {
            int kind = random.nextInt(10);
            if (kind < 5) {
                long v = random.nextLong();
                ring.addLast(v);
                model.addLast(v);
            } else if (kind < 6) {
                long v = random.nextLong();
                ring.addFirst(v);
                model.addFirst(v);
            } else if (!model.isEmpty()) {
                assertThat(ring.peekFirst()).isEqualTo(model.peekFirst());
                assertThat(ring.removeFirst()).isEqualTo(model.removeFirst());
            }
            assertThat(ring.size()).isEqualTo(model.size());
        }
    }

    @Test
    void givesMemoryBackWhenDrained() {
        LongRing ring = new LongRing();
        for (int i = 0; i < 100_000; i++) {
            ring.addLast(i);
        }
        assertThat(ring.capacity()).isGreaterThanOrEqualTo(100_000);
        for (int i = 0; i < 99_990; i++) {
            ring.removeFirst();
        }
        assertThat(ring.capacity()).isLessThanOrEqualTo(64);
        assertThat(ring.peekFirst()).isEqualTo(99_990);
    }

    @Test
    void adoptsAnArrayOfValues() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1000 + i;
        }
        LongRing ring = LongRing.of(values, 60);
        assertThat(ring.size()).isEqualTo(60);
        ring.addLast(5);
        assertThat(ring.removeFirst()).isEqualTo(1000);
        assertThat(ring.get(58)).isEqualTo(1059);
        assertThat(ring.get(59)).isEqualTo(5);

        LongRing small = LongRing.of(new long[] {3, 4}, 2);
        assertThat(small.removeFirst()).isEqualTo(3);
        assertThat(small.removeFirst()).isEqualTo(4);
        assertThat(small.isEmpty()).isTrue();
    }

    @Test
    void refusesToTakeFromAnEmptyRing() {
        LongRing ring = new LongRing();
        assertThatThrownBy(ring::removeFirst).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> ring.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> LongRing.of(new long[2], 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
