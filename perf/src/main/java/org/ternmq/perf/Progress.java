package org.ternmq.perf;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints one progress line a second while a run goes on: elapsed time, messages so far and the rate over
 * the last second, per side. Owns one daemon thread, from {@link #start} to {@link #stop}; the meters it
 * reads are thread-safe.
 */
final class Progress {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "perf-progress");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream out;
    private final RunClock clock;
    private final Meter sent;
    private final Meter received;
    private long lastNanos;
    private long lastSent;
    private long lastReceived;

    /** @param sent or null when nothing is sent; @param received or null when nothing is received */
    private Progress(PrintStream out, RunClock clock, Meter sent, Meter received) {
        this.out = out;
        this.clock = clock;
        this.sent = sent;
        this.received = received;
        this.lastNanos = clock.startNanos();
    }

    static Progress start(PrintStream out, RunClock clock, Meter sent, Meter received) {
        Progress p = new Progress(out, clock, sent, received);
        p.timer.scheduleAtFixedRate(p::printLine, 1, 1, TimeUnit.SECONDS);
        return p;
    }

    /** Runs on the progress thread only. */
    private void printLine() {
        long now = System.nanoTime();
        double interval = (now - lastNanos) / 1e9;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6.1f s", (now - clock.startNanos()) / 1e9));
        if (sent != null) {
            long total = sent.total();
            line.append(String.format(Locale.ROOT, "   sent %,12d (%,9.0f/s)", total, (total - lastSent) / interval));
            lastSent = total;
        }
        if (received != null) {
            long total = received.total();
            line.append(String.format(Locale.ROOT, "   received %,12d (%,9.0f/s)", total,
                    (total - lastReceived) / interval));
            lastReceived = total;
        }
        if (!clock.measuring(now)) {
            line.append("   [warm-up]");
        }
        lastNanos = now;
        out.println(line);
    }

    /** Stops the line; none is printed after this returns. */
    void stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
