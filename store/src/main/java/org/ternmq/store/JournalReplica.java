package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * A backup's copy of a live broker's journal: the live broker's record frames written at the same segment and
 * position, so that the directory, when the backup becomes live, opens as an ordinary {@link Journal} and
 * recovers to the state the live broker had at the last position the backup holds. It holds the directory's
 * lock like a journal, so a journal and a replica (or two replicas) never share a directory.
 *
 * <p>Positions are packed in a long: segment sequence in the high 32 bits, offset in the low 32 ({@link #pack}).
 * Position 0 means "nothing yet".
 *
 * <p>Threads: one thread at a time (the backup's replication receiver).
 */
public final class JournalReplica implements AutoCloseable {

    private final Path directory;
    private final int segmentSize;
    private final DirectoryLock lock;
    private final TreeMap<Long, FileChannel> segments = new TreeMap<>();
    private final List<FileChannel> dirty = new ArrayList<>();
    private long lastSequence;
    private int writePosition;

    private JournalReplica(Path directory, int segmentSize, DirectoryLock lock) {
        this.directory = directory;
        this.segmentSize = segmentSize;
        this.lock = lock;
    }

    /**
     * Opens (creating) the replica in {@code directory}, finds the end of what it holds and zeroes any torn tail.
     *
     * @throws JournalLockedException when a journal or another replica holds the directory
     */
    public static JournalReplica open(Path directory, int segmentSize) throws IOException {
        Files.createDirectories(directory);
        DirectoryLock lock = DirectoryLock.acquire(directory);
        JournalReplica replica = new JournalReplica(directory, segmentSize, lock);
        try {
            replica.scan();
        } catch (IOException | RuntimeException e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    public static long pack(long sequence, int position) {
        return (sequence << 32) | (position & 0xFFFFFFFFL);
    }

    public static long sequenceOf(long packed) {
        return packed >>> 32;
    }

    public static int positionOf(long packed) {
        return (int) packed;
    }

    private void scan() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{10}\\.seg")).sorted().toList();
        }
        for (Path f : files) {
            long sequence = Long.parseLong(f.getFileName().toString().substring(0, 10));
            segments.put(sequence, FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE));
        }
        if (segments.isEmpty()) {
            return;
        }
        lastSequence = segments.lastKey();
        FileChannel last = segments.get(lastSequence);
        writePosition = validEnd(last, lastSequence);
        // a torn tail is zeroed, as recovery would: the live broker sends it again
        long size = last.size();
        ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
        for (long at = writePosition; at < size; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
            last.write(zeros, at);
        }
        last.force(false);
    }

    /**
     * The end of the last valid frame of a segment (after its header when it has none). The segment is read through a
     * read-only mapping: two reads per frame made this scan take about a second for a segment of 30 MB of small
     * frames on a loaded machine, and a backup scans on every (re)connection to a new live broker.
     */
    private static int validEnd(FileChannel file, long sequence) throws IOException {
        long size = file.size();
        ByteBuffer map = file.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        int position = SegmentDescriptor.HEADER_LENGTH;
        while (position + RecordDescriptor.HEADER_LENGTH <= size) {
            int length = map.getInt(position + RecordDescriptor.LENGTH_OFFSET);
            RecordType type = RecordType.fromCode(map.get(position + RecordDescriptor.TYPE_OFFSET));
            if (length < RecordDescriptor.HEADER_LENGTH || type == null || position + (long) length > size
                    || map.getInt(position + RecordDescriptor.SEGMENT_OFFSET) != RecordDescriptor.stamp(sequence)) {
                break;
            }
            if (map.getInt(position + RecordDescriptor.CRC_OFFSET) != RecordDescriptor.crc(map, position, length)) {
                break;
            }
            position += RecordDescriptor.aligned(length);
            if (type == RecordType.END_OF_SEGMENT) {
                break;
            }
        }
        return position;
    }

    /** Where the next frame goes: the position to catch up from (0 when the replica is empty). */
    public long position() {
        return segments.isEmpty() ? 0 : pack(lastSequence, writePosition);
    }

    /** The oldest segment held, or 0 when empty. */
    public long oldestSequence() {
        return segments.isEmpty() ? 0 : segments.firstKey();
    }

    /**
     * Writes frames the live broker wrote at {@code position} of segment {@code sequence}. They must continue the
     * replica exactly: at its position in the same segment, or at the start of a later segment (the live broker
     * rolled over, or removed the segments between as dead); anything else is a gap.
     *
     * @throws ReplicaGapException when the frames do not continue the replica
     */
    public void write(long sequence, int position, ByteBuffer frames) throws IOException {
        write(sequence, position, frames, at -> EpochRanges.UNKNOWN);
    }

    /** Which activation epoch wrote a journal position, as the live broker's epoch history says. */
    @FunctionalInterface
    public interface EpochRanges {
        /** Returned when the history does not say: the frames' stamps are not checked. */
        long UNKNOWN = -1;

        /** The epoch that wrote packed {@code position} (0: none), or {@link #UNKNOWN}. */
        long epochAt(long position);
    }

    /**
     * As {@link #write(long, int, ByteBuffer)}, first checking each frame's epoch stamp against {@code epochs}: a frame
     * stamped by an epoch (a stamp of 0 means none, and is taken anywhere) must be stamped by the epoch that wrote its
     * position. Nothing is written when a frame fails.
     *
     * @throws ReplicaEpochException when a frame carries another epoch's stamp
     * @throws ReplicaGapException when the frames do not continue the replica
     */
    public void write(long sequence, int position, ByteBuffer frames, EpochRanges epochs) throws IOException {
        checkEpochs(sequence, position, frames, epochs);
        boolean continues = !segments.isEmpty() && sequence == lastSequence && position == writePosition;
        boolean starts = position == SegmentDescriptor.HEADER_LENGTH && (segments.isEmpty() || sequence > lastSequence);
        if (!continues && !starts) {
            throw new ReplicaGapException("replica of " + directory + " is at segment " + lastSequence + " offset "
                    + writePosition + "; frames for segment " + sequence + " offset " + position + " leave a gap");
        }
        if (position + (long) frames.remaining() > segmentSize) {
            throw new ReplicaGapException("frames for segment " + sequence + " offset " + position + " ("
                    + frames.remaining() + " bytes) overrun the segment size " + segmentSize);
        }
        FileChannel file = starts ? newSegment(sequence) : segments.get(sequence);
        int length = frames.remaining();
        long at = position;
        while (frames.hasRemaining()) {
            at += file.write(frames, at);
        }
        writePosition = position + length;
        if (!dirty.contains(file)) {
            dirty.add(file);
        }
    }

    private static void checkEpochs(long sequence, int position, ByteBuffer frames, EpochRanges epochs)
            throws ReplicaEpochException {
        ByteBuffer b = frames.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int at = b.position();
        while (at + RecordDescriptor.HEADER_LENGTH <= b.limit()) {
            int length = b.getInt(at + RecordDescriptor.LENGTH_OFFSET);
            if (length < RecordDescriptor.HEADER_LENGTH) {
                return; // not a frame: the gap check and recovery's CRC deal with what follows
            }
            short stamp = RecordDescriptor.epochStampAt(b, at);
            if (stamp != 0) {
                long framePosition = pack(sequence, position + at - frames.position());
                long epoch = epochs.epochAt(framePosition);
                if (epoch != EpochRanges.UNKNOWN && stamp != RecordDescriptor.epochStamp(epoch)) {
                    throw new ReplicaEpochException("the frame at segment " + sequence + " offset "
                            + positionOf(framePosition) + " carries epoch stamp " + (stamp & 0x7FFF)
                            + " (an epoch's low 15 bits), but the live broker's epoch history says epoch " + epoch
                            + " wrote that position");
                }
            }
            at += RecordDescriptor.aligned(length);
        }
    }

    private FileChannel newSegment(long sequence) throws IOException {
        Path tmp = directory.resolve(String.format("%010d.seg.tmp", sequence));
        FileChannel file = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < segmentSize; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), segmentSize - at));
            file.write(zeros, at);
        }
        ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        SegmentDescriptor.write(header, sequence, segmentSize);
        file.write(header, 0);
        file.force(true);
        Files.move(tmp, directory.resolve(String.format("%010d.seg", sequence)));
        SegmentFile.forceDirectory(directory);
        segments.put(sequence, file);
        lastSequence = sequence;
        return file;
    }

    /** Forces what was written since the last force. */
    public void force() throws IOException {
        for (FileChannel f : dirty) {
            f.force(false);
        }
        dirty.clear();
    }

    /**
     * Gives back what the live broker gave back: deletes the segments older than {@code oldestKept}, never the one
     * being written. The live broker removed them once nothing in them was live any more, given every frame it had
     * written until then; the caller has written all those frames here (they come first in the stream), and they
     * are forced before anything is deleted, so the replica still recovers to the live broker's state, and a crash
     * in the middle leaves only a shorter prefix removed (recovery reads the rest as before).
     *
     * @return how many segments were deleted
     */
    public int reclaim(long oldestKept) throws IOException {
        if (segments.isEmpty() || segments.firstKey() >= oldestKept) {
            return 0;
        }
        force();
        int removed = 0;
        for (Long sequence : new ArrayList<>(segments.headMap(Math.min(oldestKept, lastSequence), false).keySet())) {
            segments.remove(sequence).close();
            Files.deleteIfExists(directory.resolve(String.format("%010d.seg", sequence)));
            removed++;
        }
        if (removed > 0) {
            SegmentFile.forceDirectory(directory);
        }
        return removed;
    }

    /** How many segment files the replica holds. */
    public int segmentCount() {
        return segments.size();
    }

    /**
     * Deletes every segment: the replica starts again from the live broker's oldest segment (it holds segments
     * the live broker no longer has, or a tail the live broker never had).
     */
    public void wipe() throws IOException {
        for (FileChannel f : segments.values()) {
            f.close();
        }
        for (long sequence : segments.keySet()) {
            Files.deleteIfExists(directory.resolve(String.format("%010d.seg", sequence)));
        }
        segments.clear();
        dirty.clear();
        lastSequence = 0;
        writePosition = 0;
        SegmentFile.forceDirectory(directory);
    }

    /**
     * Discards everything at and after {@code position}: later segments are deleted and the rest of its segment is
     * zeroed, so the replica continues from there. A former live broker that rejoins as a backup drops this way the
     * tail it wrote after the last position the new live broker has. Position 0, or one before the oldest segment
     * held, empties the replica ({@link #wipe}); one at or past the end changes nothing.
     */
    public void truncate(long position) throws IOException {
        long sequence = sequenceOf(position);
        int offset = positionOf(position);
        if (position == 0 || segments.isEmpty() || sequence < segments.firstKey()
                || (segments.containsKey(sequence) && offset < SegmentDescriptor.HEADER_LENGTH)) {
            wipe();
            return;
        }
        if (position >= position()) {
            return;
        }
        force();
        for (Long later : new ArrayList<>(segments.tailMap(sequence, false).keySet())) {
            segments.remove(later).close();
            Files.deleteIfExists(directory.resolve(String.format("%010d.seg", later)));
        }
        FileChannel file = segments.get(sequence);
        if (file == null) {
            // the position lies in a segment this replica never had, after the ones it keeps: nothing to zero
            lastSequence = segments.lastKey();
            writePosition = validEnd(segments.get(lastSequence), lastSequence);
        } else {
            long size = file.size();
            ByteBuffer zeros = ByteBuffer.allocate(64 << 10);
            for (long at = offset; at < size; at += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                file.write(zeros, at);
            }
            file.force(false);
            lastSequence = sequence;
            writePosition = offset;
        }
        dirty.clear();
        SegmentFile.forceDirectory(directory);
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FileChannel f : segments.values()) {
            try {
                f.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        segments.clear();
        lock.close();
        if (failure != null) {
            throw failure;
        }
    }

    // ---- the live side: reading what a backup lacks ---------------------------------------------------------

    /**
     * Reads whole frames of segment {@code sequence} of the journal in {@code directory} from {@code from}, up to
     * {@code limit} (exclusive) or the segment's END_OF_SEGMENT frame (inclusive), at most {@code out.remaining()}
     * bytes. Only frames already written and published to replication may be read this way.
     *
     * @return the bytes read (0 when nothing is left before the limit); {@code out} holds them, flipped
     */
    public static int readFrames(Path directory, long sequence, int from, int limit, ByteBuffer out) throws IOException {
        Path file = directory.resolve(String.format("%010d.seg", sequence));
        out.clear();
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(RecordDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            int position = from;
            while (position < limit && position + RecordDescriptor.HEADER_LENGTH <= f.size()) {
                header.clear();
                f.read(header, position);
                int length = header.getInt(RecordDescriptor.LENGTH_OFFSET);
                RecordType type = RecordType.fromCode(header.get(RecordDescriptor.TYPE_OFFSET));
                int aligned = RecordDescriptor.aligned(Math.max(length, 0));
                if (length < RecordDescriptor.HEADER_LENGTH || type == null || aligned > out.remaining()) {
                    break;
                }
                ByteBuffer slice = out.slice(out.position(), aligned);
                while (slice.hasRemaining()) {
                    if (f.read(slice, position + slice.position()) < 0) {
                        throw new IOException("segment " + file + " ends inside a frame at " + position);
                    }
                }
                out.position(out.position() + aligned);
                position += aligned;
                if (type == RecordType.END_OF_SEGMENT) {
                    break;
                }
            }
        }
        out.flip();
        return out.remaining();
    }

    /** The sequences of the segment files of the journal in {@code directory}, oldest first. */
    public static List<Long> segmentSequences(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{10}\\.seg"))
                    .map(n -> Long.parseLong(n.substring(0, 10))).sorted().toList();
        }
    }
}
