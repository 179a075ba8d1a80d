package org.ternmq.broker.core;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which queues and durable subscriptions an operator paused, kept in {@code paused-destinations} in the data
 * directory so that a paused destination stays paused across a restart (and a resumed one stays resumed). The file
 * is small (one percent-encoded name a line) and rewritten whole on each change: written to a temporary file, forced
 * when the journal forces ({@code sync-policy} DATA or DATA_AND_METADATA), then renamed over the old one and the
 * directory forced, so a crash leaves the old list or the new one, never a mix. A broker without persistence keeps
 * no file: it forgets its destinations on restart anyway.
 *
 * <p>Owned by the agent thread.
 */
final class PausedDestinations {

    private static final Logger LOG = LoggerFactory.getLogger(PausedDestinations.class);
    static final String FILE_NAME = "paused-destinations";

    /** Null: nothing is stored. */
    private final Path file;
    private final boolean force;
    private final Set<String> stored = new LinkedHashSet<>();
    /** The paused destinations by the name management knows them by. */
    private final Map<String, MessageQueue> paused = new LinkedHashMap<>();

    /**
     * @param directory the data directory, or null to store nothing
     * @param force     whether writes are forced to the device
     */
    PausedDestinations(Path directory, boolean force) {
        this.file = directory == null ? null : directory.resolve(FILE_NAME);
        this.force = force;
    }

    /** The names stored by the last run (read once, at start-up). */
    Set<String> load() throws IOException {
        stored.clear();
        if (file != null && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    stored.add(URLDecoder.decode(line.trim(), StandardCharsets.UTF_8));
                }
            }
        }
        return Set.copyOf(stored);
    }

    /** A destination found paused at start-up; the file is rewritten by {@link #loaded} once all are known. */
    void restored(String name, MessageQueue queue) {
        paused.put(name, queue);
    }

    /** After start-up: drops the names of destinations that no longer exist from the file. */
    void loaded() {
        if (!paused.keySet().equals(stored)) {
            try {
                write();
            } catch (IOException e) {
                LOG.warn("could not rewrite {}: {}", file, e.toString());
            }
        }
    }

    /**
     * Records that {@code queue}, known to management as {@code name}, is paused or resumed; stored before the caller
     * changes the queue, so what is answered is what a restart finds.
     *
     * @throws IOException when it could not be stored; nothing changed then
     */
    void set(String name, MessageQueue queue, boolean isPaused) throws IOException {
        boolean changed = isPaused ? paused.put(name, queue) != queue : paused.remove(name) != null;
        if (!changed) {
            return;
        }
        try {
            write();
        } catch (IOException e) {
            if (isPaused) {
                paused.remove(name);
            } else {
                paused.put(name, queue);
            }
            throw e;
        }
    }

    /** {@code queue} was deleted: a new destination of its name starts unpaused. */
    void deleted(MessageQueue queue) {
        if (paused.values().removeIf(q -> q == queue)) {
            try {
                write();
            } catch (IOException e) {
                LOG.warn("could not update {} after a paused destination was deleted: {}", file, e.toString());
            }
        }
    }

    private void write() throws IOException {
        if (file == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (String name : paused.keySet()) {
            lines.add(URLEncoder.encode(name, StandardCharsets.UTF_8));
        }
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        byte[] bytes = (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            if (force) {
                ch.force(true);
            }
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (force) {
            forceDirectory(file.getParent());
        }
        stored.clear();
        stored.addAll(paused.keySet());
    }

    /** Makes the rename durable; some platforms (Windows) cannot open a directory, and need not. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("could not force directory {}: {}", directory, e.toString());
        }
    }
}
