package org.ternmq.perf;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * The {@code wakeup-probe} command: {@link Paced#run} with nothing to do, so what it reports is only how late this
 * machine wakes a sleeping thread at that rate (timer, scheduler, a virtual machine's host): the floor under the tail
 * of every paced workload, below the disk's ({@code disk-probe --rate}, which includes it).
 */
final class WakeUpProbe {
    static final int DEFAULT_RATE = 1000;

    private WakeUpProbe() {
    }

    static void run(int rate, double seconds, PrintStream out) {
        Histogram late = Paced.run(rate, seconds, () -> { });
        out.printf(Locale.ROOT, "wake-up probe: a thread sleeping until each of %d wake-ups/s for %.1f s came back "
                + "late by p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; %d of %d over 1 ms%n", rate, seconds,
                Paced.ms(late, 50), Paced.ms(late, 99), Paced.ms(late, 99.9), late.getMaxValue() / 1e6,
                Paced.countAbove(late, TimeUnit.MILLISECONDS.toNanos(1)), late.getTotalCount());
    }
}
