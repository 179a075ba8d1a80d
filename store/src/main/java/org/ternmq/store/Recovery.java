package org.ternmq.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.file.SegmentFile;
import org.ternmq.store.format.RecordDescriptor;
import org.ternmq.store.format.RecordType;
import org.ternmq.store.format.SegmentDescriptor;
import org.ternmq.store.index.RecordIndex;

/**
 * Rebuilds a journal's state from its files: scans the segments in sequence order, replays every
 * valid frame into a {@link JournalState}, stops at the first frame whose length, CRC, segment stamp
 * or type is wrong, zeroes the rest of that segment and drops every later segment.
 *
 * <p>A segment that ends with an END_OF_SEGMENT frame was complete; the first one that does not is
 * where the writer was (or where damage starts) and becomes the head. Runs on the opening thread,
 * before the appender starts.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final Path directory;
    private final SegmentOpener opener;
    private final SegmentPool pool;
    private final SegmentSet segments = new SegmentSet();
    private final JournalState state;
    private final ReadAhead readAhead = new ReadAhead(4 << 20);
    private Segment head;
    private long lastSequence;
    private boolean truncated;

    Recovery(Path directory, SegmentOpener opener, SegmentPool pool) {
        this.directory = directory;
        this.opener = opener;
        this.pool = pool;
        this.state = new JournalState(new RecordIndex(), segments);
    }

    SegmentSet segments() {
        return segments;
    }

    JournalState state() {
        return state;
    }

    /** The segment to keep appending to, or {@code null} when every segment ended (start a new one). */
    Segment head() {
        return head;
    }

    /** The highest segment sequence seen on disk, kept or dropped; new segments go above it. */
    long lastSequence() {
        return lastSequence;
    }

    /** Scans and replays everything. On failure the caller closes {@link #segments()}. */
    void run() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(directory)) {
            list.filter(p -> SegmentPool.sequenceOf(p) > 0).forEach(files::add);
        }
        files.sort(Comparator.comparingLong(SegmentPool::sequenceOf));
        boolean stopped = false;
        for (Path path : files) {
            long sequence = SegmentPool.sequenceOf(path);
            lastSequence = Math.max(lastSequence, sequence);
            if (stopped) {
                LOG.warn("dropping segment {}: an earlier segment was truncated", path);
                pool.recycle(path);
                truncated = true;
                continue;
            }
            SegmentFile file = opener.open(path);
            int version = validVersion(path, file, sequence);
            if (version < 0) {
                file.close();
                LOG.warn("dropping segment {}: its header is torn (crash while it was being created)", path);
                pool.recycle(path);
                truncated = true;
                stopped = true;
                continue;
            }
            Segment segment = new Segment(sequence, version, path, file, SegmentDescriptor.HEADER_LENGTH);
            segments.add(segment);
            scan(segment);
            if (!segment.ended) {
                head = segment;
                stopped = true;
            }
        }
        if (head != null) {
            zeroTail(head);
        }
        if (truncated) {
            SegmentFile.forceDirectory(directory);
        }
    }

    /** The segment's format version, or -1 when its header is torn or from the file's previous life. */
    private int validVersion(Path path, SegmentFile file, long sequence) throws IOException {
        if (file.capacity() < SegmentDescriptor.HEADER_LENGTH) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(SegmentDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        file.read(0, header);
        switch (SegmentDescriptor.check(header)) {
            case FOREIGN:
                file.close();
                throw new IOException("not a Tern journal segment (bad magic number): " + path);
            case UNSUPPORTED_VERSION:
                file.close();
                throw new IOException("journal segment " + path + " has format version "
                        + SegmentDescriptor.version(header) + "; this build reads versions "
                        + SegmentDescriptor.MIN_VERSION + " to " + SegmentDescriptor.VERSION);
            case TORN:
                return -1;
            default:
                // A recycled file whose new header never reached the disk still has its old sequence.
                return SegmentDescriptor.sequence(header) == sequence && SegmentDescriptor.capacity(header) == file.capacity()
                        ? SegmentDescriptor.version(header) : -1;
        }
    }

    private void scan(Segment segment) throws IOException {
        SegmentFile file = segment.file;
        int capacity = file.capacity();
        int stamp = RecordDescriptor.stamp(segment.sequence);
        int position = SegmentDescriptor.HEADER_LENGTH;
        readAhead.reset();
        while (capacity - position >= RecordDescriptor.HEADER_LENGTH) {
            ByteBuffer w = readAhead.bytes(file, position, RecordDescriptor.HEADER_LENGTH);
            int at = readAhead.indexOf(position);
            int length = w.getInt(at + RecordDescriptor.LENGTH_OFFSET);
            if (length < RecordDescriptor.HEADER_LENGTH || RecordDescriptor.aligned(length) > capacity - position) {
                break;
            }
            w = readAhead.bytes(file, position, length);
            at = readAhead.indexOf(position);
            RecordType type = RecordType.fromCode(w.get(at + RecordDescriptor.TYPE_OFFSET));
            if (type == null
                    || w.getInt(at + RecordDescriptor.SEGMENT_OFFSET) != stamp
                    || w.getInt(at + RecordDescriptor.CRC_OFFSET) != RecordDescriptor.crc(w, at, length)) {
                break;
            }
            int aligned = RecordDescriptor.aligned(length);
            if (type == RecordType.END_OF_SEGMENT) {
                segment.ended = true;
                position += aligned;
                break;
            }
            byte[] xid = null;
            if (type == RecordType.PREPARE) {
                xid = new byte[length - RecordDescriptor.HEADER_LENGTH];
                w.get(at + RecordDescriptor.PAYLOAD_OFFSET, xid);
            }
            state.apply(type, w.getLong(at + RecordDescriptor.ID_OFFSET), w.getLong(at + RecordDescriptor.TX_ID_OFFSET),
                    Location.of(segment.sequence, position), aligned, xid);
            position += aligned;
        }
        segment.writePosition = position;
        readAhead.reset();
    }

    /**
     * Zeroes the head from where valid frames stop: frames that were written beyond a torn one (their
     * pages reached the disk, the torn one's did not) carry this segment's stamp and valid CRCs, and
     * must not reappear once new frames of other sizes are written over the start of the gap.
     * Chunks that already read as zeros are not rewritten.
     */
    private void zeroTail(Segment segment) throws IOException {
        SegmentFile file = segment.file;
        int chunk = 1 << 20;
        ByteBuffer zeros = ByteBuffer.allocateDirect(chunk);
        ByteBuffer current = ByteBuffer.allocateDirect(chunk);
        boolean wrote = false;
        for (int at = segment.writePosition; at < file.capacity(); at += chunk) {
            int n = Math.min(chunk, file.capacity() - at);
            current.clear().limit(n);
            file.read(at, current);
            current.flip();
            if (current.mismatch(zeros.clear().limit(n)) >= 0) {
                file.write(at, zeros.clear().limit(n));
                wrote = true;
            }
        }
        if (wrote) {
            LOG.warn("truncated segment {} at offset {}", segment.path, segment.writePosition);
            file.force(false);
        }
    }
}
