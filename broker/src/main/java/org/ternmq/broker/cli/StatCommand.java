package org.ternmq.broker.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ternmq.broker.core.BrokerStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tern stat}: a live view of the broker, like {@code top}: connections, memory, and the busiest
 * destinations with their message rates in and out, refreshed every interval.
 */
@Command(name = "stat", description = "A live view of the broker: rates in and out per destination, refreshed "
        + "like top (Ctrl-C stops it).")
final class StatCommand extends BrokerCommand {

    @Option(names = "--interval", defaultValue = "1000", converter = Millis.class,
            description = "time between refreshes (2s, 500ms; bare: ms; default: 1000)")
    long interval;

    @Option(names = {"-n", "--iterations"}, defaultValue = "0",
            description = "stop after this many refreshes; 0 runs until interrupted (default: 0)")
    int iterations;

    @Option(names = "--top", defaultValue = "20", description = "destinations shown, busiest first (default: 20)")
    int top;

    @Override
    public Integer call() throws InterruptedException {
        if (interval < 100) {
            throw new CliFailure(CliFailure.USAGE, "--interval must be at least 100 ms, was " + interval);
        }
        boolean terminal = System.console() != null && !json;
        BrokerStatistics previous = statistics();
        for (int i = 0; iterations == 0 || i < iterations; i++) {
            Thread.sleep(interval);
            BrokerStatistics now = statistics();
            print(out(), previous, now, terminal);
            previous = now;
        }
        return 0;
    }

    private void print(PrintWriter out, BrokerStatistics before, BrokerStatistics now, boolean clear) {
        double seconds = Math.max(0.001, (now.takenAt() - before.takenAt()) / 1000.0);
        Map<String, BrokerStatistics.Destination> old = new HashMap<>();
        before.destinations().forEach(d -> old.put(d.name(), d));
        List<Rate> rates = new ArrayList<>();
        double totalIn = 0;
        double totalOut = 0;
        for (BrokerStatistics.Destination d : now.destinations()) {
            BrokerStatistics.Destination o = old.get(d.name());
            double in = o == null ? 0 : Math.max(0, d.enqueued() - o.enqueued()) / seconds;
            double outRate = o == null ? 0 : Math.max(0, d.acknowledged() - o.acknowledged()) / seconds;
            totalIn += in;
            totalOut += outRate;
            rates.add(new Rate(d, in, outRate));
        }
        rates.sort(Comparator.comparingDouble((Rate r) -> -(r.in + r.out)).thenComparing(r -> -r.d.waiting())
                .thenComparing(r -> r.d.name()));
        List<Rate> shown = rates.subList(0, Math.min(top, rates.size()));
        if (json) {
            Output.json(out, Output.map("time", java.time.Instant.ofEpochMilli(now.takenAt()).toString(),
                    "connections", now.connections(), "memoryBytes", now.memoryBytes(), "inPerSecond", round(totalIn),
                    "outPerSecond", round(totalOut), "destinations", shown.stream().map(r -> Output.map("name", r.d.name(),
                            "waiting", r.d.waiting(), "inFlight", r.d.inFlight(), "consumers", r.d.consumers(),
                            "inPerSecond", round(r.in), "outPerSecond", round(r.out))).toList()));
            return;
        }
        if (clear) {
            out.print("\033[H\033[2J");
        }
        out.printf("tern stat  %s  uptime %ds  connections %d  sessions %d  memory %.1f MiB of %.1f MiB  "
                        + "in %.1f/s  out %.1f/s  prepared XA %d%s%n", java.time.Instant.ofEpochMilli(now.takenAt()),
                (now.takenAt() - now.startedAt()) / 1000, now.connections(), now.sessions(),
                now.memoryBytes() / 1048576.0, now.maxMemory() / 1048576.0, totalIn, totalOut, now.preparedBranches(),
                now.storeFenced() == null ? "" : "  STORE FENCED: " + now.storeFenced());
        Output.table(out, List.of("DESTINATION", "WAITING", "IN-FLIGHT", "CONSUMERS", "IN/S", "OUT/S", "DLQ'D"),
                shown.stream().map(r -> List.<Object>of(r.d.name(), r.d.waiting(), r.d.inFlight(), r.d.consumers(),
                        round(r.in), round(r.out), r.d.deadLettered())).toList());
        out.println();
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private record Rate(BrokerStatistics.Destination d, double in, double out) {
    }
}
