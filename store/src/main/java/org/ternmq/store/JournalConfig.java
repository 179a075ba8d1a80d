package org.ternmq.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * Everything a journal can be told, validated in one step by {@link Builder#build()}. Each setting is
 * a {@link Setting} constant below with its name, default, doc and validator; {@link #settings()}
 * lists them (for docs and tools). Immutable and thread-safe.
 *
 * <pre>{@code
 * JournalConfig config = JournalConfig.builder(Path.of("data/journal"))
 *         .set(JournalConfig.SYNC_POLICY, SyncPolicy.DATA)
 *         .build();
 * }</pre>
 */
public final class JournalConfig {
    public static final Setting<Path> DIRECTORY = Setting.define("directory", Path.class, null,
            "Directory holding the segment files and the lock file; created if missing.", Setting.any());
    public static final Setting<Integer> SEGMENT_SIZE = Setting.define("segmentSize", Integer.class, 64 << 20,
            "Size in bytes of each preallocated segment file.", Setting.intBetween(64 << 10, 1 << 30));
    public static final Setting<SyncPolicy> SYNC_POLICY = Setting.define("syncPolicy", SyncPolicy.class, SyncPolicy.DATA,
            "When a durable append's future completes: NONE, ASYNC, DATA or DATA_AND_METADATA.", Setting.any());
    public static final Setting<Long> ASYNC_FLUSH_INTERVAL_MILLIS = Setting.define("asyncFlushIntervalMillis", Long.class,
            100L, "With syncPolicy ASYNC, how often the appender forces written data.", Setting.longBetween(1, 60_000));
    public static final Setting<IoMode> IO_MODE = Setting.define("ioMode", IoMode.class, IoMode.CHANNEL,
            "How segment files are written: CHANNEL (FileChannel writes, measured fastest) or MAPPED (memory-mapped).",
            Setting.any());
    public static final Setting<Integer> MAX_BATCH = Setting.define("maxBatch", Integer.class, 4096,
            "Most commands the appender writes before it forces and completes their futures.",
            Setting.intBetween(1, 1 << 20));
    public static final Setting<Integer> QUEUE_CAPACITY = Setting.define("queueCapacity", Integer.class, 65_536,
            "Commands waiting for the appender before callers block in append (back-pressure).",
            Setting.intBetween(1, 1 << 24));
    public static final Setting<Integer> MAX_PAYLOAD_SIZE = Setting.define("maxPayloadSize", Integer.class, 4 << 20,
            "Largest payload (or Xid) in bytes one record may carry; must fit in a segment.",
            Setting.intBetween(0, (1 << 30) - 1024));
    public static final Setting<Double> COMPACTION_LIVE_RATIO = Setting.define("compactionLiveRatio", Double.class, 0.5,
            "Compact the oldest segment when its live bytes, or the whole journal's, fall below this share of used bytes.",
            Setting.fraction());
    public static final Setting<Integer> COMPACTION_MIN_SEGMENTS = Setting.define("compactionMinSegments", Integer.class, 2,
            "Never compact while the journal has fewer segments than this.", Setting.intBetween(2, 1 << 20));
    public static final Setting<Integer> COMPACTION_STEP_RECORDS = Setting.define("compactionStepRecords", Integer.class, 256,
            "Records the appender examines per compaction step between batches of appends.",
            Setting.intBetween(1, 1 << 20));
    public static final Setting<Long> EPOCH = Setting.define("epoch", Long.class, 0L,
            "Activation epoch of the broker writing this journal (0 = none), stamped into every frame it writes.",
            Setting.longBetween(0, Long.MAX_VALUE));
    public static final Setting<Integer> SPIN_MICROS = Setting.define("spinMicros", Integer.class, 0,
            "Microseconds the appender polls its queue before it parks when idle, while the machine's CPU load is "
            + "under 70 % and such polls find commands (0: parks at once); spends CPU to take the next command "
            + "without a wake-up.", Setting.intBetween(0, 1_000_000));
    public static final Setting<Integer> FREE_SEGMENTS = Setting.define("freeSegments", Integer.class, 2,
            "Removed or preallocated segment files kept for reuse instead of deleted.", Setting.intBetween(0, 64));

    private static final List<Setting<?>> SETTINGS = collectSettings();

    private final Map<Setting<?>, Object> values;

    private JournalConfig(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** A builder with every setting at its default and the directory set. */
    public static Builder builder(Path directory) {
        return new Builder().set(DIRECTORY, directory);
    }

    /** All settings, in declaration order. */
    public static List<Setting<?>> settings() {
        return SETTINGS;
    }

    public <T> T get(Setting<T> setting) {
        return setting.type().cast(values.get(setting));
    }

    public Path directory() {
        return get(DIRECTORY);
    }

    public int segmentSize() {
        return get(SEGMENT_SIZE);
    }

    public SyncPolicy syncPolicy() {
        return get(SYNC_POLICY);
    }

    public IoMode ioMode() {
        return get(IO_MODE);
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        return b;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("JournalConfig{");
        for (Setting<?> setting : SETTINGS) {
            s.append(setting.name()).append('=').append(values.get(setting)).append(", ");
        }
        s.setLength(s.length() - 2);
        return s.append('}').toString();
    }

    /** Collects values; {@link #build()} validates them all at once. Not thread-safe. */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new IdentityHashMap<>();

        private Builder() {
            for (Setting<?> s : SETTINGS) {
                values.put(s, s.defaultValue());
            }
        }

        public <T> Builder set(Setting<T> setting, T value) {
            values.put(setting, value);
            return this;
        }

        /**
         * Validates every setting and the rules between them.
         *
         * @throws IllegalArgumentException listing every problem found, one per line
         */
        public JournalConfig build() {
            List<String> problems = new ArrayList<>();
            for (Setting<?> s : SETTINGS) {
                String problem = s.validate(values.get(s));
                if (problem != null) {
                    problems.add(problem);
                }
            }
            if (problems.isEmpty()) {
                // a new segment holds its header, the ID_BLOCK frame that opens it, the record, END_OF_SEGMENT
                long needed = (long) SegmentDescriptor.HEADER_LENGTH + RecordDescriptor.HEADER_LENGTH
                        + RecordDescriptor.aligned(RecordDescriptor.frameLength((Integer) values.get(MAX_PAYLOAD_SIZE)))
                        + RecordDescriptor.END_OF_SEGMENT_LENGTH;
                if (needed > (Integer) values.get(SEGMENT_SIZE)) {
                    problems.add(MAX_PAYLOAD_SIZE.name() + "=" + values.get(MAX_PAYLOAD_SIZE)
                            + ": a record of this size does not fit in a segment of " + values.get(SEGMENT_SIZE) + " bytes");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid journal configuration:\n  " + String.join("\n  ", problems));
            }
            return new JournalConfig(Collections.unmodifiableMap(new IdentityHashMap<>(values)));
        }
    }

    private static List<Setting<?>> collectSettings() {
        return List.of(DIRECTORY, SEGMENT_SIZE, SYNC_POLICY, ASYNC_FLUSH_INTERVAL_MILLIS, IO_MODE, MAX_BATCH,
                QUEUE_CAPACITY, MAX_PAYLOAD_SIZE, COMPACTION_LIVE_RATIO, COMPACTION_MIN_SEGMENTS,
                COMPACTION_STEP_RECORDS, FREE_SEGMENTS, EPOCH, SPIN_MICROS);
    }
}
