package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * Names segment files, hands out new segments and takes removed ones back.
 *
 * <p>New segments come from a pool of free, already zero-filled files ({@code free-*.free}), kept
 * topped up by a background thread, so the appender never waits for a segment's worth of zeros (and the
 * zeros are forced a chunk at a time, with pauses, so its forces do not queue behind them either:
 * {@link SegmentFile#writeZeros}). A removed
 * segment goes back to the pool, zeroed again in the background, or is deleted when the pool is
 * full. (Even a file that missed its zeroing could not resurrect anything: its stale frames carry
 * the old sequence and never validate.) Files named {@code *.tmp} are half-made
 * preallocations and are deleted at open.
 *
 * <p>Threads: {@link #newSegment} and {@link #recycle} are called by the appender (or the opening
 * thread); the preallocation thread only adds to the free list, which is concurrent.
 */
final class SegmentPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentPool.class);
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{10})\\.seg");
    private static final String FREE_SUFFIX = ".free";
    private static final String TMP_SUFFIX = ".tmp";

    private final Path directory;
    private final int segmentSize;
    private final int maxFree;
    private final SegmentOpener opener;
    private final Deque<Path> free = new ConcurrentLinkedDeque<>();
    /**
     * Removed segments kept for the pool but still being zeroed: they count against {@link #maxFree}, or a
     * mass removal (the chunks of a large message going at once) would keep every file it removed.
     */
    private final java.util.concurrent.atomic.AtomicInteger rezeroing = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService preallocator;

    SegmentPool(Path directory, int segmentSize, int maxFree, SegmentOpener opener) {
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.maxFree = maxFree;
        this.opener = opener;
        this.preallocator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tern-journal-preallocator-" + directory.getFileName());
            t.setDaemon(true);
            return t;
        });
    }

    static String segmentName(long sequence) {
        return String.format("%010d.seg", sequence);
    }

    /** The sequence in a segment file's name, or -1 when the name is not a segment's. */
    static long sequenceOf(Path file) {
        Matcher m = SEGMENT_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Adopts leftover free files of the right size and deletes half-made ones. Opening thread. */
    void scanLeftovers() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    Files.deleteIfExists(p);
                } else if (name.endsWith(FREE_SUFFIX)) {
                    if (free.size() < maxFree && SegmentFile.hasCapacity(p, segmentSize)) {
                        free.add(p);
                    } else {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /**
     * Makes segment {@code sequence}: takes a free file (or zero-fills a new one), writes its header
     * and renames it into place. The caller forces the directory before acknowledging anything
     * written in it.
     */
    Segment newSegment(long sequence) throws IOException {
        Path source = free.poll();
        if (source == null) {
            source = preallocate(false); // the appender waits for it: as fast as the disk goes
        }
        topUp();
        Path target = directory.resolve(segmentName(sequence));
        SegmentFile file = opener.open(source);
        try {
            ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            SegmentDescriptor.write(header, sequence, file.capacity());
            file.write(0, header);
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return new Segment(sequence, SegmentDescriptor.VERSION, target, file, SegmentDescriptor.HEADER_LENGTH);
    }

    /**
     * Takes a segment that nothing needs any more: closes it and renames it into the pool, or deletes
     * it. The caller forces the directory afterwards.
     */
    void recycle(Segment segment) throws IOException {
        segment.file.close();
        recycle(segment.path);
    }

    /**
     * Same as {@link #recycle(Segment)} for a file that was never opened as a segment. A kept file is
     * renamed to {@code *.tmp} at once (so it can never be mistaken for a segment again) and zeroed in
     * the background before it rejoins the pool: free files are always all zeros.
     */
    void recycle(Path path) throws IOException {
        if (free.size() + rezeroing.get() < maxFree && SegmentFile.hasCapacity(path, segmentSize)) {
            String base = "free-" + UUID.randomUUID();
            Path tmp = directory.resolve(base + TMP_SUFFIX);
            Files.move(path, tmp, StandardCopyOption.ATOMIC_MOVE);
            rezeroing.incrementAndGet();
            try {
                preallocator.execute(() -> {
                    try {
                        rezeroInBackground(tmp, directory.resolve(base + FREE_SUFFIX));
                    } finally {
                        rezeroing.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                rezeroing.decrementAndGet();
                Files.deleteIfExists(tmp);
            }
        } else {
            Files.delete(path);
        }
    }

    private void rezeroInBackground(Path tmp, Path target) {
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                SegmentFile.writeZeros(ch, ch.size(), true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            free.add(target);
        } catch (IOException e) {
            if (!(e instanceof java.nio.channels.ClosedByInterruptException)) { // else: closing, see close()
                LOG.warn("could not recycle segment file {}: {}", tmp, e.toString());
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                LOG.warn("could not delete {}: {}", tmp, again.toString());
            }
        }
    }

    /** Starts preparing a free file in the background if the pool is empty. */
    void topUp() {
        if (maxFree > 0 && free.isEmpty()) {
            try {
                preallocator.execute(this::preallocateInBackground);
            } catch (RejectedExecutionException e) {
                // closing: nothing more to prepare
            }
        }
    }

    private void preallocateInBackground() {
        if (!free.isEmpty()) {
            return;
        }
        try {
            free.add(preallocate(true));
        } catch (IOException e) {
            // Not a write-path failure: if the disk is really failing, the appender meets it itself when
            // it makes the segment synchronously, and fences the journal there.
            if (!(e instanceof java.nio.channels.ClosedByInterruptException)) { // else: closing, see close()
                LOG.warn("could not preallocate a segment in {}: {}", directory, e.toString());
            }
        }
    }

    private Path preallocate(boolean paced) throws IOException {
        String base = "free-" + UUID.randomUUID();
        Path tmp = directory.resolve(base + TMP_SUFFIX);
        try {
            SegmentFile.preallocate(tmp, segmentSize, paced);
            Path target = directory.resolve(base + FREE_SUFFIX);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Stops preparing files: work under way is interrupted (an interrupted preparation leaves a {@code *.tmp}
     * file, deleted at the next open), so closing never waits for megabytes of zeros to be written.
     */
    @Override
    public void close() {
        preallocator.shutdownNow();
        try {
            if (!preallocator.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("segment preallocation in {} did not stop within 5 s", directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
