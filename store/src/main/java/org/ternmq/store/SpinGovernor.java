package org.ternmq.store;

import java.lang.management.ManagementFactory;

/**
 * Whether the appender spins on its queue before it parks, and for how long. A spin takes the next command without
 * the waker's futex call and this thread's wake-up (50-70 us together on a virtual machine, on the path of every
 * synchronous send), but it spends a core: worth it only while the machine has CPU to spare and commands do come
 * within the spin. So it spins only while the machine's CPU load, less what its own spinning adds, is known and stays
 * under {@link #MAX_LOAD}, and, once most recent spins went unrewarded, only one idle wait in {@link #PROBE_EVERY} (to
 * notice when commands come quickly again).
 *
 * <p>Owned by the appender thread.
 */
final class SpinGovernor {
    /** The machine's CPU load (0-1, all CPUs) above which nobody spins. */
    static final double MAX_LOAD = 0.7;
    static final int PROBE_EVERY = 16;
    private static final long SAMPLE_NANOS = 100_000_000L;

    private final long spinNanos;
    /** The machine's recent CPU load, 0-1 over all CPUs, negative when unknown. */
    private final java.util.function.DoubleSupplier machineLoad;
    private final int cpus;
    /** Exponentially weighted share of recent spins that found a command. */
    private double rewarded = 1.0;
    private long sampleStart = System.nanoTime() - SAMPLE_NANOS; // the first wait samples the load
    private long spunInSample;
    private boolean loadAllows = true;
    private int idleWaits;

    SpinGovernor(long spinNanos) {
        this(spinNanos, systemLoad(), Runtime.getRuntime().availableProcessors());
    }

    SpinGovernor(long spinNanos, java.util.function.DoubleSupplier machineLoad, int cpus) {
        this.spinNanos = spinNanos;
        this.machineLoad = machineLoad;
        this.cpus = cpus;
    }

    private static java.util.function.DoubleSupplier systemLoad() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        if (bean instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun::getCpuLoad;
        }
        return () -> -1;
    }

    /** How long to spin before this idle wait, at most {@code timeoutNanos}; 0: park at once. */
    long spinBefore(long timeoutNanos) {
        if (spinNanos <= 0) {
            return 0;
        }
        long now = System.nanoTime();
        if (now - sampleStart >= SAMPLE_NANOS) {
            double load = machineLoad.getAsDouble();
            double ownSpin = (double) spunInSample / ((now - sampleStart) * (double) cpus);
            loadAllows = load >= 0 && load - ownSpin < MAX_LOAD; // unknown: it cannot tell, so it does not spin
            sampleStart = now;
            spunInSample = 0;
        }
        if (!loadAllows) {
            return 0;
        }
        if (rewarded < 0.5 && ++idleWaits % PROBE_EVERY != 0) {
            return 0;
        }
        return Math.min(spinNanos, timeoutNanos);
    }

    /** A spin of {@code nanos} ended, having found a command or not. */
    void spun(long nanos, boolean found) {
        spunInSample += nanos;
        rewarded = rewarded * 0.9 + (found ? 0.1 : 0);
    }
}
