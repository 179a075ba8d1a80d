package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PacedTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aSlowStepMakesEveryStepDueMeanwhileLateAsWell() throws Exception {
        AtomicInteger steps = new AtomicInteger();

        // 20 steps due 1 ms apart, each taking 3 ms: the schedule falls further behind with every step
        Histogram late = Paced.run(1000, 0.02, () -> {
            steps.incrementAndGet();
            Thread.sleep(3);
        });

        assertThat(steps).hasValue(20);
        assertThat(late.getTotalCount()).isEqualTo(20);
        assertThat(late.getMinValue()).isGreaterThanOrEqualTo(3 * MS - MS / 100);
        // the last step was due at 19 ms and ended after 20 x 3 ms: at least ~41 ms late, not 3
        assertThat(late.getMaxValue()).isGreaterThanOrEqualTo(40 * MS);
    }

    @Test
    void countAboveCountsOnlyTheValuesOverTheBound() {
        Histogram h = new Histogram(3);
        h.recordValue(MS / 2);
        h.recordValue(MS * 9 / 10);

        assertThat(Paced.countAbove(h, MS)).isZero();

        h.recordValue(MS * 3 / 2);
        h.recordValue(3 * MS);

        assertThat(Paced.countAbove(h, MS)).isEqualTo(2);
        assertThat(Paced.ms(h, 100)).isBetween(2.99, 3.01);
    }
}
