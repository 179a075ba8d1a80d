package org.ternmq.broker.replication;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Which activation epoch wrote which part of a journal: each entry is an epoch and the journal position where it
 * began writing, oldest first, kept in {@code <journal>/epochs} (one "epoch position" line each, written to a new
 * file, forced and renamed into place). A live broker appends its epoch when it activates; a backup takes the live
 * broker's history as it follows. With it a live broker tells a rejoining backup (a former live broker, say) where
 * the backup's last epoch ended on this side: whatever the backup holds past that point was never on this side and
 * is discarded (Kafka's leader-epoch cache does the same).
 *
 * <p>Immutable; {@link #with} and {@link #save} make and write a new one.
 */
public final class EpochHistory {

    static final String FILE = "epochs";

    /** One activation: {@code epoch} began writing at {@code start}. */
    public record Entry(long epoch, long start) {
    }

    private final List<Entry> entries;

    EpochHistory(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static EpochHistory empty() {
        return new EpochHistory(List.of());
    }

    /** Reads the history of the journal in {@code journalDirectory}; empty when it has none. */
    public static EpochHistory load(Path journalDirectory) throws IOException {
        Path file = journalDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                continue;
            }
            try {
                entries.add(new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
            } catch (NumberFormatException e) {
                throw new IOException(file + " has a line that is not 'epoch position': " + line, e);
            }
        }
        return new EpochHistory(entries);
    }

    /** Writes this history into {@code journalDirectory}, replacing what was there. */
    public void save(Path journalDirectory) throws IOException {
        Files.createDirectories(journalDirectory);
        StringBuilder text = new StringBuilder();
        for (Entry e : entries) {
            text.append(e.epoch).append(' ').append(e.start).append('\n');
        }
        Path tmp = journalDirectory.resolve(FILE + ".new");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, journalDirectory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** This history with {@code epoch} beginning at {@code start}; entries of that epoch or later are dropped. */
    public EpochHistory with(long epoch, long start) {
        List<Entry> next = new ArrayList<>();
        for (Entry e : entries) {
            if (e.epoch < epoch) {
                next.add(e);
            }
        }
        next.add(new Entry(epoch, start));
        return new EpochHistory(next);
    }

    /** The newest epoch, or 0 when empty. */
    public long lastEpoch() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).epoch;
    }

    /**
     * Where {@code epoch} ended here: the start of the first later epoch, or {@code Long.MAX_VALUE} when no later
     * epoch is known (it is this side's current one, or the history is empty).
     */
    public long endOf(long epoch) {
        for (Entry e : entries) {
            if (e.epoch > epoch) {
                return e.start;
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * The epoch that wrote journal {@code position} (packed, as {@link org.ternmq.store.JournalReplica#pack}): the
     * newest entry starting at or before it; 0 before the first entry (written without an epoch); unknown when the
     * history is empty (a live broker without ZooKeeper sends none).
     */
    public long epochAt(long position) {
        if (entries.isEmpty()) {
            return org.ternmq.store.JournalReplica.EpochRanges.UNKNOWN;
        }
        long epoch = 0;
        for (Entry e : entries) {
            if (e.start <= position) {
                epoch = e.epoch;
            }
        }
        return epoch;
    }

    public List<Entry> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
