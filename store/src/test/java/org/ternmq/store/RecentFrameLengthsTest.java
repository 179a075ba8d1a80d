package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentFrameLengthsTest {

    @Test
    void answersForTheFramesItHoldsAndOnlyForThem() {
        RecentFrameLengths lengths = new RecentFrameLengths();
        long a = Location.of(7, 64);
        lengths.put(a, 140);
        assertThat(lengths.get(a)).isEqualTo(140);
        assertThat(lengths.get(Location.of(7, 208))).as("never written").isEqualTo(-1);
        assertThat(lengths.get(Location.of(8, 64))).as("same offset, another segment").isEqualTo(-1);
    }

    @Test
    void theLastFramesWrittenInARowAreAllHeldAndOlderOnesGiveWay() {
        RecentFrameLengths lengths = new RecentFrameLengths();
        int frames = 3 * RecentFrameLengths.SLOTS;
        long[] written = new long[frames];
        int offset = 64;
        for (int i = 0; i < frames; i++) {
            long segment = 1 + i / 5000;
            offset = i % 5000 == 0 ? 64 : offset + 136;
            written[i] = Location.of(segment, offset);
            lengths.put(written[i], 100 + i % 50);
        }
        int held = 0;
        for (int i = frames - 1000; i < frames; i++) {
            if (lengths.get(written[i]) == 100 + i % 50) {
                held++;
            }
        }
        assertThat(held).as("of the last 1,000 frames").isGreaterThan(900);
        for (int i = 0; i < frames; i++) {
            int got = lengths.get(written[i]);
            assertThat(got).as("a frame's answer is its own length or none").isIn(-1, 100 + i % 50);
        }
    }
}
