package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class SpinGovernorTest {

    private static final long SPIN = 200_000;
    private static final long SECOND = 1_000_000_000L;

    private static int spinsAmong(SpinGovernor g, int waits) {
        int spins = 0;
        for (int i = 0; i < waits; i++) {
            if (g.spinBefore(SECOND) > 0) {
                spins++;
            }
        }
        return spins;
    }

    @Test
    void spinsWhileTheMachineIsIdleAndSpinsFindCommands() {
        SpinGovernor g = new SpinGovernor(SPIN, () -> 0.3, 2);
        assertThat(g.spinBefore(SECOND)).isEqualTo(SPIN);
        assertThat(g.spinBefore(50_000)).as("never past the wait's own timeout").isEqualTo(50_000);
        for (int i = 0; i < 100; i++) {
            g.spun(100_000, true);
        }
        assertThat(spinsAmong(g, 32)).isEqualTo(32);
    }

    @Test
    void afterSpinsThatFindNothingOnlyOneWaitInSixteenSpins() {
        SpinGovernor g = new SpinGovernor(SPIN, () -> 0.1, 2);
        for (int i = 0; i < 20; i++) {
            g.spun(SPIN, false);
        }
        assertThat(spinsAmong(g, 64)).isEqualTo(64 / SpinGovernor.PROBE_EVERY);
        for (int i = 0; i < 20; i++) {
            g.spun(50_000, true); // commands come quickly again: spinning resumes
        }
        assertThat(spinsAmong(g, 16)).isEqualTo(16);
    }

    @Test
    void aBusyMachineOrAnUnknownLoadGetsNoSpin() {
        assertThat(new SpinGovernor(SPIN, () -> 0.9, 2).spinBefore(SECOND)).isZero();
        assertThat(new SpinGovernor(SPIN, () -> -1, 2).spinBefore(SECOND)).as("the load cannot be read").isZero();
        assertThat(new SpinGovernor(0, () -> 0.0, 2).spinBefore(SECOND)).as("switched off").isZero();
    }

    @Test
    void itsOwnSpinningDoesNotCountAgainstIt() throws Exception {
        // the machine reads 0.8, but 0.2 of it is this thread's spinning of the last sample (2 CPUs): 0.6 allows
        AtomicReference<Double> load = new AtomicReference<>(0.3);
        SpinGovernor g = new SpinGovernor(SPIN, load::get, 2);
        assertThat(g.spinBefore(SECOND)).isEqualTo(SPIN);
        long start = System.nanoTime();
        Thread.sleep(120);
        long elapsed = System.nanoTime() - start;
        g.spun((long) (elapsed * 0.4), true); // 40 % of one CPU's time: 20 % of the machine's two
        load.set(0.8);
        assertThat(g.spinBefore(SECOND)).isEqualTo(SPIN);
        load.set(0.95);
        Thread.sleep(120);
        assertThat(g.spinBefore(SECOND)).as("its spinning of this sample was nothing: 0.95 is the others'").isZero();
    }
}
