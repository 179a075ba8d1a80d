package org.ternmq.broker.management;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.store.JournalStats;

/**
 * The broker's metrics in a Micrometer registry, scraped in the Prometheus text format. Each scrape takes a
 * fresh {@link BrokerStatistics} snapshot (at most one per 250 ms, shared with the web console) and adds or
 * removes the meters of destinations that appeared or went away (the console's snapshots do not touch them); the
 * journal's counters are read directly. Names follow Prometheus conventions (the README lists them).
 *
 * <p>Thread-safe: scrapes may come from several HTTP threads; {@link #refresh} is serialised.
 */
public final class BrokerMetrics implements AutoCloseable {

    private static final long SNAPSHOT_MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final BrokerManagement management;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, DestinationMeters> destinations = new HashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final JournalStats journal;
    private final boolean perDestination;
    private volatile BrokerStatistics latest;
    /** The snapshot the per-destination meters were last brought in step with. */
    private BrokerStatistics metersFrom;
    private volatile java.util.function.Supplier<List<org.ternmq.broker.replication.BackupPosition>> backups;
    private volatile Map<String, org.ternmq.broker.replication.BackupPosition> latestBackups = Map.of();
    private final Map<String, List<Meter>> backupMeters = new HashMap<>();
    private long latestAtNanos;

    public BrokerMetrics(BrokerManagement management, JournalStats journal) {
        this(management, journal, true);
    }

    /**
     * @param perDestination whether each queue and subscription gets its {@code tern_destination_*} series (false:
     *                       the broker's only, for brokers with thousands of destinations)
     */
    public BrokerMetrics(BrokerManagement management, JournalStats journal, boolean perDestination) {
        this.management = management;
        this.perDestination = perDestination;
        this.journal = journal;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        brokerGauge("tern.connections", "open client connections", null, BrokerStatistics::connections);
        brokerGauge("tern.sessions", "open sessions over all connections", null, BrokerStatistics::sessions);
        brokerGauge("tern.memory.waiting", "bytes of waiting messages held on the heap (limited by max-memory)",
                "bytes", BrokerStatistics::memoryBytes);
        brokerGauge("tern.memory.max", "the max-memory limit", "bytes", BrokerStatistics::maxMemory);
        brokerGauge("tern.producers.held.back", "sends whose answers wait for memory to free up", null,
                BrokerStatistics::producersHeldBack);
        brokerGauge("tern.xa.prepared.branches", "XA branches prepared and waiting for their transaction manager",
                null, BrokerStatistics::preparedBranches);
        brokerGauge("tern.half.messages", "half-messages waiting for their producer's outcome", null,
                BrokerStatistics::halfMessages);
        brokerGauge("tern.store.fenced", "1 when the store refuses writes after an I/O error, else 0", null,
                s -> s.storeFenced() == null ? 0 : 1);
        brokerGauge("tern.destinations", "queues and durable subscriptions", null, s -> s.destinations().size());
        if (journal != null) {
            journalCounter("tern.journal.appends", "frames written to the journal", null, journal,
                    JournalStats::appends);
            journalCounter("tern.journal.written", "bytes written to the journal", "bytes", journal,
                    JournalStats::appendedBytes);
            journalCounter("tern.journal.file.writes",
                    "writes of gathered journal frames to segment files (one system call each)", null, journal,
                    JournalStats::writes);
            journalCounter("tern.journal.forces", "forces of the journal to the device", null, journal,
                    JournalStats::forces);
            journalCounter("tern.journal.compactions", "journal segments compacted", null, journal,
                    JournalStats::compactions);
            journalCounter("tern.journal.reads", "records read back from the journal (paging in, history)", null,
                    journal, JournalStats::reads);
            Timer force = Timer.builder("tern.journal.force").description("time a journal force takes")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
            journal.onForce(nanos -> force.record(nanos, TimeUnit.NANOSECONDS));
        }
    }

    private void brokerGauge(String name, String doc, String unit, ToDoubleFunction<BrokerStatistics> value) {
        Gauge.builder(name, this, m -> m.latest == null ? Double.NaN : value.applyAsDouble(m.latest))
                .description(doc).baseUnit(unit).register(registry);
    }

    private void journalCounter(String name, String doc, String unit, JournalStats journal,
                                ToDoubleFunction<JournalStats> value) {
        FunctionCounter.builder(name, journal, value).description(doc).baseUnit(unit).register(registry);
    }

    /**
     * Adds the live broker's replication metrics, read from {@code backups} at each scrape: how many backups are
     * connected and in sync, and each one's lag (label {@code backup}, its address) in journal bytes, in batches
     * waiting for its acknowledgement and in seconds, and whether it is in sync.
     */
    public void replication(java.util.function.Supplier<List<org.ternmq.broker.replication.BackupPosition>> backups) {
        this.backups = backups;
        Gauge.builder("tern.replication.backups", this, m -> m.latestBackups.size())
                .description("backups connected to this live broker").register(registry);
        Gauge.builder("tern.replication.backups.in.sync", this,
                m -> m.latestBackups.values().stream().filter(p -> p.inSync()).count())
                .description("backups in the in-sync set (a sync write waits for min-sync-replicas of them)")
                .register(registry);
    }

    /** Registers the meters of backups that connected, removes those of backups gone. */
    private void refreshBackups() {
        if (backups == null) {
            return;
        }
        Map<String, org.ternmq.broker.replication.BackupPosition> now = new HashMap<>();
        for (org.ternmq.broker.replication.BackupPosition p : backups.get()) {
            now.put(p.backup(), p);
        }
        latestBackups = now;
        for (String backup : now.keySet()) {
            backupMeters.computeIfAbsent(backup, this::backupMeters);
        }
        for (String gone : new ArrayList<>(backupMeters.keySet())) {
            if (!now.containsKey(gone)) {
                backupMeters.remove(gone).forEach(registry::remove);
            }
        }
    }

    private List<Meter> backupMeters(String backup) {
        Tags tags = Tags.of("backup", backup);
        List<Meter> meters = new ArrayList<>();
        meters.add(backupGauge("tern.replication.backup.lag.bytes",
                "journal bytes between the end the live broker published and what the backup acknowledged", tags,
                backup, p -> p.lagBytes()));
        meters.add(backupGauge("tern.replication.backup.lag.batches",
                "batches sent to the backup and not yet acknowledged", tags, backup, p -> p.unacknowledgedBatches()));
        meters.add(backupGauge("tern.replication.backup.lag.seconds",
                "how long the oldest unacknowledged batch has waited (replica-max-lag bounds it for in-sync backups)",
                tags, backup, p -> p.lagMillis() / 1000.0));
        meters.add(backupGauge("tern.replication.backup.in.sync", "1 while the backup is in the in-sync set, else 0",
                tags, backup, p -> p.inSync() ? 1 : 0));
        return meters;
    }

    private Meter backupGauge(String name, String doc, Tags tags, String backup,
                              ToDoubleFunction<org.ternmq.broker.replication.BackupPosition> value) {
        return Gauge.builder(name, this, m -> {
            org.ternmq.broker.replication.BackupPosition p = m.latestBackups.get(backup);
            return p == null ? Double.NaN : value.applyAsDouble(p);
        }).description(doc).tags(tags).register(registry);
    }

    /** Frames appended to the journal so far (records and control frames), or 0 without a journal. */
    public long journalAppends() {
        return journal == null ? 0 : journal.appends();
    }

    /** Journal forces so far, or 0 without a journal. */
    public long journalForces() {
        return journal == null ? 0 : journal.forces();
    }

    /** The registry, to add meters of one's own. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * A snapshot at most 250 ms old; takes a new one when the last is older. The per-destination meters are brought
     * in step by {@link #scrape} only: the console asks for snapshots too, and should not pay for (or wait on) the
     * meters of 10,000 destinations that nobody scrapes.
     */
    public synchronized BrokerStatistics refresh() {
        long now = System.nanoTime();
        if (latest != null && now - latestAtNanos < SNAPSHOT_MAX_AGE_NANOS) {
            return latest;
        }
        BrokerStatistics s = management.statistics();
        latest = s;
        latestAtNanos = now;
        refreshBackups();
        return s;
    }

    /** Registers the meters of destinations that appeared, removes those of destinations gone, from {@code s}. */
    private void syncDestinationMeters(BrokerStatistics s) {
        Set<String> seen = new HashSet<>();
        for (BrokerStatistics.Destination d : s.destinations()) {
            seen.add(d.name());
            destinations.computeIfAbsent(d.name(), n -> new DestinationMeters(d)).latest = d;
        }
        for (String gone : new ArrayList<>(destinations.keySet())) {
            if (!seen.contains(gone)) {
                destinations.remove(gone).meters.forEach(registry::remove);
            }
        }
    }

    /** Refreshes, brings the per-destination meters in step, then writes every metric in the Prometheus text format. */
    public String scrape() {
        synchronized (this) {
            BrokerStatistics s = refresh();
            if (perDestination && s != metersFrom) {
                syncDestinationMeters(s);
                metersFrom = s;
            }
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** The meters of one queue or subscription, reading its latest statistics. */
    private final class DestinationMeters {
        final List<Meter> meters = new ArrayList<>();
        volatile BrokerStatistics.Destination latest;

        DestinationMeters(BrokerStatistics.Destination first) {
            latest = first;
            Tags tags = Tags.of("destination", first.name(), "type", first.type());
            gauge("tern.destination.messages.waiting", "messages waiting on the heap", tags.and("storage", "heap"),
                    BrokerStatistics.Destination::heap);
            gauge("tern.destination.messages.waiting", "messages waiting paged out to the journal",
                    tags.and("storage", "paged"), BrokerStatistics.Destination::paged);
            gauge("tern.destination.messages.in.flight", "messages delivered and not yet acknowledged", tags,
                    BrokerStatistics.Destination::inFlight);
            gauge("tern.destination.messages.scheduled", "messages waiting for their delivery time or redelivery delay",
                    tags, BrokerStatistics.Destination::scheduled);
            gauge("tern.destination.consumers", "consumers attached", tags, BrokerStatistics.Destination::consumers);
            gauge("tern.destination.producers", "open connections that have sent to the destination", tags,
                    BrokerStatistics.Destination::producers);
            gauge("tern.destination.paused", "1 while an operator paused delivery", tags, d -> d.paused() ? 1 : 0);
            counter("tern.destination.messages.enqueued", "messages that arrived", tags,
                    BrokerStatistics.Destination::enqueued);
            counter("tern.destination.messages.delivered", "deliveries to consumers (redeliveries included)", tags,
                    BrokerStatistics.Destination::delivered);
            counter("tern.destination.messages.acknowledged", "deliveries acknowledged or committed", tags,
                    BrokerStatistics.Destination::acknowledged);
            counter("tern.destination.messages.redelivered", "deliveries that came back to be delivered again", tags,
                    BrokerStatistics.Destination::redelivered);
            counter("tern.destination.messages.dead.lettered", "messages moved to the dead-letter queue", tags,
                    BrokerStatistics.Destination::deadLettered);
            counter("tern.destination.messages.expired", "messages that expired here", tags,
                    BrokerStatistics.Destination::expired);
            counter("tern.destination.duplicates.dropped", "messages dropped as duplicates", tags,
                    BrokerStatistics.Destination::duplicatesDropped);
        }

        private void gauge(String name, String doc, Tags tags, ToDoubleFunction<BrokerStatistics.Destination> f) {
            meters.add(Gauge.builder(name, this, m -> f.applyAsDouble(m.latest)).description(doc).tags(tags)
                    .register(registry));
        }

        private void counter(String name, String doc, Tags tags, ToDoubleFunction<BrokerStatistics.Destination> f) {
            meters.add(FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.latest)).description(doc).tags(tags)
                    .register(registry));
        }
    }
}
