package org.ternmq.store.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Layout of the header at the start of every segment file. All integers are little-endian.
 *
 * <pre>
 *   0                   4                   8                                      16
 *   +-------------------+-------------------+---------------------------------------+
 *   | magic "TERN"      | format version (2)| segment sequence (long)               |
 *   +-------------------+-------------------+---------------------------------------+
 *  16                  20                  24                                      64
 *   +-------------------+-------------------+---------------------------------------+
 *   | capacity (bytes)  | CRC32C of 0..20   | reserved, zero                        |
 *   +-------------------+-------------------+---------------------------------------+
 *  64  first record (see {@link RecordDescriptor})
 * </pre>
 *
 * <p>The sequence orders segments for replay and is also stamped into every record, so records left
 * in a recycled file by its previous life never validate (see {@link RecordDescriptor#SEGMENT_OFFSET}).
 * A header whose magic is zero or whose CRC is wrong is a torn creation (the file was being set up
 * when the process died); a wrong non-zero magic or an unknown version means the file is not ours or
 * is from a newer release, and the journal refuses to open rather than overwrite it.
 */
public final class SegmentDescriptor {
    /** "TERN" read as a little-endian int. */
    public static final int MAGIC = 0x4E524554;
    /**
     * The version new segments get. Version 2 added {@link RecordType#ID_BLOCK} frames, which a
     * version-1 reader would take for damage; such a reader refuses a version-2 file instead.
     */
    public static final int VERSION = 2;
    /** The oldest version this code still reads (its segments are read as they are, never rewritten). */
    public static final int MIN_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int CAPACITY_OFFSET = 16;
    public static final int CRC_OFFSET = 20;
    /** Records start here; a multiple of {@link RecordDescriptor#ALIGNMENT}. */
    public static final int HEADER_LENGTH = 64;

    /** What a header says about its file. */
    public enum Status {
        /** Magic, version and CRC are right. */
        VALID,
        /** Zero magic or bad CRC: the file was being created or recycled when the process died. */
        TORN,
        /** A non-zero magic that is not ours. */
        FOREIGN,
        /** Our magic but a version this code does not read. */
        UNSUPPORTED_VERSION
    }

    private SegmentDescriptor() {
    }

    /** Writes a complete header for {@code sequence} into {@code header} at index 0 (64 bytes). */
    public static void write(ByteBuffer header, long sequence, int capacity) {
        ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < HEADER_LENGTH; i += 8) {
            b.putLong(i, 0L);
        }
        b.putInt(MAGIC_OFFSET, MAGIC);
        b.putInt(VERSION_OFFSET, VERSION);
        b.putLong(SEQUENCE_OFFSET, sequence);
        b.putInt(CAPACITY_OFFSET, capacity);
        b.putInt(CRC_OFFSET, crc(b));
    }

    /** Checks a 64-byte header at index 0 of {@code header}. */
    public static Status check(ByteBuffer header) {
        ByteBuffer b = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(MAGIC_OFFSET);
        if (magic == 0) {
            return Status.TORN;
        }
        if (magic != MAGIC) {
            return Status.FOREIGN;
        }
        if (b.getInt(CRC_OFFSET) != crc(b)) {
            return Status.TORN;
        }
        int version = b.getInt(VERSION_OFFSET);
        return version >= MIN_VERSION && version <= VERSION ? Status.VALID : Status.UNSUPPORTED_VERSION;
    }

    public static long sequence(ByteBuffer header) {
        return header.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(SEQUENCE_OFFSET);
    }

    public static int version(ByteBuffer header) {
        return header.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(VERSION_OFFSET);
    }

    public static int capacity(ByteBuffer header) {
        return header.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(CAPACITY_OFFSET);
    }

    private static int crc(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(CRC_OFFSET));
        return (int) crc.getValue();
    }
}
