package org.ternmq.broker.management;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.ternmq.broker.replication.FollowerPosition;

/**
 * A backup's own metrics (it serves no client, so it has none of a broker's): whether it follows the live broker,
 * what it received and how long ago, and the JVM's. Served on the backup's management port like a broker's
 * {@code /metrics}. Thread-safe.
 */
public final class BackupMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Held here because a gauge holds its object only weakly, and the supplier is often a lambda no one else holds. */
    private final Supplier<FollowerPosition> follower;

    public BackupMetrics(Supplier<FollowerPosition> follower) {
        this.follower = follower;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("tern.replication.follower.connected", follower, f -> f.get().following() ? 1 : 0)
                .description("1 while this backup is connected to the live broker and following it").register(registry);
        FunctionCounter.builder("tern.replication.follower.batches", follower, f -> f.get().batches())
                .description("journal batches received from the live broker and acknowledged").register(registry);
        FunctionCounter.builder("tern.replication.follower.received", follower, f -> f.get().bytes())
                .description("journal bytes received from the live broker").baseUnit("bytes").register(registry);
        Gauge.builder("tern.replication.follower.last.batch.age.seconds", follower, f -> {
            long millis = f.get().millisSinceLastBatch();
            return millis < 0 ? Double.NaN : millis / 1000.0;
        }).description("seconds since the last batch came (grows on an idle live broker too)").register(registry);
        Gauge.builder("tern.replication.follower.segment", follower, f -> f.get().acknowledged() >>> 32)
                .description("journal segment of the position this backup acknowledged").register(registry);
        Gauge.builder("tern.replication.follower.offset", follower, f -> (int) f.get().acknowledged())
                .description("offset in that segment of the position this backup acknowledged").register(registry);
    }

    /** Every metric in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
