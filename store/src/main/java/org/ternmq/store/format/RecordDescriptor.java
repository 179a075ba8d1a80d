package org.ternmq.store.format;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Layout of one record (a frame) inside a segment. All integers are little-endian; every frame starts
 * on an 8-byte boundary.
 *
 * <pre>
 *   0                   4                   8                  12   13   14        16
 *   +-------------------+-------------------+-------------------+----+----+---------+
 *   | frame length      | CRC32C            | segment sequence  |type|user| epoch   |
 *   +-------------------+-------------------+-------------------+----+----+---------+
 *  16                                                                               24
 *   +-------------------------------------------------------------------------------+
 *   | record id (the transaction id for PREPARE, COMMIT, ROLLBACK)                  |
 *   +-------------------------------------------------------------------------------+
 *  24                                                                               32
 *   +-------------------------------------------------------------------------------+
 *   | transaction id (0 for records outside a transaction)                          |
 *   +-------------------------------------------------------------------------------+
 *  32  payload (frame length - 32 bytes), then zero padding up to the next multiple of 8
 * </pre>
 *
 * <ul>
 *   <li>frame length: header plus payload, without padding. Written last, so a scanner that sees a
 *       non-zero length in memory sees the whole frame; on disk, where write-back order is not ours to
 *       choose, the CRC is what tells a torn frame.</li>
 *   <li>CRC32C: over bytes 8 up to the frame length (everything but length and CRC; a damaged length
 *       makes the CRC cover the wrong range and fail).</li>
 *   <li>segment sequence: the owning segment's sequence (low 32 bits), so a stale frame left from a
 *       recycled file's previous life never validates.</li>
 *   <li>user: a byte the caller chooses per record and gets back unchanged.</li>
 *   <li>epoch: the activation epoch of the broker that wrote the frame, as {@link #epochStamp}: 0 when it had none
 *       (a broker without ZooKeeper, or a frame written before the field was used), else bit 15 set and the
 *       epoch's low 15 bits. A replica checks each frame it is sent against the epoch that the live broker's history
 *       says wrote that position, so a frame is never taken into the wrong epoch's range. A relocated copy (compaction)
 *       carries the epoch that wrote the copy.</li>
 * </ul>
 */
public final class RecordDescriptor {
    public static final int LENGTH_OFFSET = 0;
    public static final int CRC_OFFSET = 4;
    public static final int SEGMENT_OFFSET = 8;
    public static final int TYPE_OFFSET = 12;
    public static final int USER_TYPE_OFFSET = 13;
    public static final int EPOCH_OFFSET = 14;
    public static final int ID_OFFSET = 16;
    public static final int TX_ID_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;
    public static final int PAYLOAD_OFFSET = HEADER_LENGTH;
    /** Where the CRC starts covering bytes. */
    public static final int CRC_START = SEGMENT_OFFSET;
    public static final int ALIGNMENT = 8;
    /** The frame that ends a segment: a header without payload. */
    public static final int END_OF_SEGMENT_LENGTH = HEADER_LENGTH;

    private RecordDescriptor() {
    }

    /** The frame length (without padding) of a record carrying {@code payloadLength} bytes. */
    public static int frameLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /** {@code length} rounded up to {@link #ALIGNMENT}. */
    public static int aligned(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * The CRC32C over bytes {@link #CRC_START} up to {@code frameLength} of the frame starting at
     * index {@code frameStart} of {@code buffer}; the buffer's position and limit are not changed.
     */
    public static int crc(ByteBuffer buffer, int frameStart, int frameLength) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(frameStart + frameLength).position(frameStart + CRC_START));
        return (int) crc.getValue();
    }

    /**
     * What a frame written by a broker in activation {@code epoch} carries at {@link #EPOCH_OFFSET}: 0 for epoch 0
     * (no epoch), else bit 15 set and the low 15 bits of the epoch. The stamp tells which epoch wrote a frame among the
     * few a journal spans, not the order of epochs (it wraps after 32,768 activations).
     */
    public static short epochStamp(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        return epoch == 0 ? 0 : (short) (0x8000 | (epoch & 0x7FFF));
    }

    /** The epoch stamp of the frame starting at index {@code frameStart} of {@code buffer} (absolute get). */
    public static short epochStampAt(ByteBuffer buffer, int frameStart) {
        return buffer.getShort(frameStart + EPOCH_OFFSET);
    }

    /** The low 32 bits of a segment sequence, as stamped into each of its records. */
    public static int stamp(long segmentSequence) {
        return (int) segmentSequence;
    }
}
