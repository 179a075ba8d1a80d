package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class ResourcesTest {
    // two lines of a real /proc/diskstats (Linux 6.18): the flush requests completed are 446617 and 0
    private static final List<String> STATS = List.of(
            " 254       0 vda 64544 12294 4843562 26621 422125 108466 23527472 143540 0 52124 195247 25101 293 1872384 4695 446617 20390",
            " 253       0 zram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
            "   7       0 loop0 12 0 24 1 0 0 0 0 0 4 1");

    @Test
    void flushRequestsAreTheSixteenthFigureAfterTheName() {
        assertThat(Resources.flushes(STATS, "vda", name -> false)).isEqualTo(446617);
    }

    @Test
    void withoutADiskEveryWholeDiskCountsAndShortLinesAreSkipped() {
        assertThat(Resources.flushes(STATS, "", name -> !name.startsWith("loop"))).isEqualTo(446617);
        assertThat(Resources.flushes(STATS, "loop0", name -> true)).isEqualTo(-1);
    }

    @Test
    void ownCpuAndAMissingBrokerPid() {
        assertThat(Resources.clientCpuNanos()).isPositive();
        assertThat(Resources.brokerCpuNanos(0)).isEqualTo(-1);
        assertThat(Resources.brokerCpuNanos(ProcessHandle.current().pid())).isPositive();
        assertThat(Resources.brokerPeakRss(ProcessHandle.current().pid())).isPositive();
    }
}
