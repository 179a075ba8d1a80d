package org.ternmq.broker.replication;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * Frames of the replication protocol, spoken on the live broker's replication port (its own port, not the client
 * acceptor). Framing follows the client protocol's rules: a 4-byte big-endian length, then the frame; a frame over
 * {@link #MAX_FRAME_LENGTH} closes the connection.
 *
 * <pre>
 *  0        1                 9
 *  +--------+-----------------+----------------------------------------------+
 *  | type   | epoch (i64)     | body, by type                                |
 *  +--------+-----------------+----------------------------------------------+
 *  HELLO    backup -> live: cluster (string), position (i64: segment << 32 | offset; 0 = nothing), node id
 *           (string: the backup's data directory's identity, named in the in-sync set); its epoch is the newest
 *           epoch the backup's journal knows
 *  WELCOME  live -> backup: segment size (i32), wipe (u8: 1 = drop every segment, copy from the oldest),
 *           truncate-to (i64: -1 = keep all; else drop what the backup holds from there on, a tail the live
 *           broker never had), history (i32 count, then count x (epoch i64, start position i64))
 *  REFUSE   either way:     reason (string); the sender closes the connection after it
 *  BATCH    live -> backup: position (i64) where the frames start, then the journal frames to the end
 *  ACK      backup -> live: position (i64) up to which the backup has the frames durable (forced)
 *  RECLAIM  live -> backup: oldest kept (i64): the live broker removed its segments before this one, dead given
 *           every BATCH sent before; the backup forces what it has and deletes the same segments
 * </pre>
 * A string is a length (i32) and UTF-8 bytes. The epoch is the live broker's activation epoch (0 without
 * ZooKeeper); a backup refuses a frame from an epoch older than one it has seen, and a live broker refuses a backup
 * that has seen a newer epoch than its own (the live broker is stale).
 */
final class ReplicationDescriptor {

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REFUSE = 3;
    static final byte BATCH = 4;
    static final byte ACK = 5;
    static final byte RECLAIM = 6;

    static final int TYPE_OFFSET = 0;
    static final int EPOCH_OFFSET = 1;
    static final int BODY_OFFSET = 9;

    /** Batches are cut to 1 MiB when catching up; a live batch can be as big as a journal batch. */
    static final int MAX_FRAME_LENGTH = 64 << 20;

    private ReplicationDescriptor() {
    }

    static void install(ChannelPipeline pipeline) {
        pipeline.addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME_LENGTH, 0, 4, 0, 4));
        pipeline.addLast(new LengthFieldPrepender(4));
    }

    static ByteBuf header(ByteBufAllocator alloc, byte type, long epoch, int bodyHint) {
        return alloc.buffer(BODY_OFFSET + bodyHint).writeByte(type).writeLong(epoch);
    }

    static void writeString(ByteBuf out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length).writeBytes(b);
    }

    static String readString(ByteBuf in) {
        int n = in.readInt();
        if (n < 0 || n > in.readableBytes()) {
            throw new IllegalArgumentException("bad string length " + n);
        }
        return in.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }

    static void writeHistory(ByteBuf out, EpochHistory history) {
        out.writeInt(history.entries().size());
        for (EpochHistory.Entry e : history.entries()) {
            out.writeLong(e.epoch()).writeLong(e.start());
        }
    }

    static EpochHistory readHistory(ByteBuf in) {
        int n = in.readInt();
        if (n < 0 || n > in.readableBytes() / 16) {
            throw new IllegalArgumentException("bad epoch history length " + n);
        }
        java.util.List<EpochHistory.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new EpochHistory.Entry(in.readLong(), in.readLong()));
        }
        return new EpochHistory(entries);
    }

    static String describe(long position) {
        return "segment " + (position >>> 32) + " offset " + (int) position;
    }
}
