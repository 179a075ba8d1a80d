package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.store.JournalReplica;
import org.ternmq.store.SyncPolicy;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * A backup facing a scripted "live broker" on a plain socket: a frame of an older epoch than the backup follows,
 * frames that leave a gap, and journal frames stamped by another epoch than the live broker's history gives their
 * position, are refused (REFUSE with the reason), and nothing is written.
 */
class ReplicaFollowerBadInputTest {

    private static final int SEGMENT = 1 << 20;

    @TempDir
    Path dir;

    /** Reads one frame: returns its type, leaves the rest in {@code body}. */
    private static byte[] readFrame(DataInputStream in) throws Exception {
        int length = in.readInt();
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    private static void writeFrame(DataOutputStream out, byte type, long epoch, byte[] body) throws Exception {
        out.writeInt(9 + body.length);
        out.writeByte(type);
        out.writeLong(epoch);
        out.write(body);
        out.flush();
    }

    private static byte[] welcome() {
        return new byte[] {0, 0x10, 0, 0, 0}; // segment size 1 MiB, no wipe
    }

    /** WELCOME with segment size 1 MiB, no wipe, nothing to truncate, and the history "epoch 5 from the start". */
    private static byte[] welcomeWithHistory() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 1 + 8 + 4 + 16);
        b.putInt(SEGMENT).put((byte) 0).putLong(-1).putInt(1).putLong(5).putLong(0);
        return b.array();
    }

    /** BATCH at {@code position} holding one header-only ADD frame of segment 1 stamped by {@code epoch}. */
    private static byte[] batchStamped(long position, long epoch) {
        byte[] b = batch(position, org.ternmq.store.format.RecordDescriptor.HEADER_LENGTH);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.wrap(b, 8, b.length - 8).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        frame.putInt(org.ternmq.store.format.RecordDescriptor.LENGTH_OFFSET,
                org.ternmq.store.format.RecordDescriptor.HEADER_LENGTH);
        frame.putInt(org.ternmq.store.format.RecordDescriptor.SEGMENT_OFFSET, 1);
        frame.put(org.ternmq.store.format.RecordDescriptor.TYPE_OFFSET, (byte) 1);
        frame.putShort(org.ternmq.store.format.RecordDescriptor.EPOCH_OFFSET,
                org.ternmq.store.format.RecordDescriptor.epochStamp(epoch));
        frame.putLong(org.ternmq.store.format.RecordDescriptor.ID_OFFSET, 42);
        return b;
    }

    private static byte[] batch(long position, int frameBytes) {
        byte[] b = new byte[8 + frameBytes];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (position >>> (56 - 8 * i));
        }
        return b;
    }

    private String refusalAfter(long backupEpoch, byte[][] frames, long[] epochs, byte[] types) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            ReplicationConfig config = new ReplicationConfig("c1", "127.0.0.1", server.getLocalPort(),
                    ReplicationConfig.Mode.SYNC, 1, 1000, SEGMENT, backupEpoch);
            try (ReplicaFollower follower = ReplicaFollower.start(config, dir.resolve("backup"), SyncPolicy.DATA);
                    Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] hello = readFrame(in);
                assertThat(hello[0]).isEqualTo(ReplicationDescriptor.HELLO);
                for (int i = 0; i < frames.length; i++) {
                    writeFrame(out, types[i], epochs[i], frames[i]);
                }
                byte[] answer = readFrame(in);
                assertThat(answer[0]).isEqualTo(ReplicationDescriptor.REFUSE);
                int n = ((answer[9] & 0xFF) << 24) | ((answer[10] & 0xFF) << 16) | ((answer[11] & 0xFF) << 8) | (answer[12] & 0xFF);
                assertThat(follower.acknowledgedPosition()).isZero();
                return new String(answer, 13, n, StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aFrameOfAnOlderEpochIsRefused() throws Exception {
        String reason = refusalAfter(5, new byte[][] {welcome()}, new long[] {3},
                new byte[] {ReplicationDescriptor.WELCOME});
        assertThat(reason).contains("frame of epoch 3 is older than epoch 5");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void framesThatLeaveAGapAreRefused() throws Exception {
        long position = JournalReplica.pack(7, SegmentDescriptor.HEADER_LENGTH + 64);
        String reason = refusalAfter(0, new byte[][] {welcome(), batch(position, 32)}, new long[] {0, 0},
                new byte[] {ReplicationDescriptor.WELCOME, ReplicationDescriptor.BATCH});
        assertThat(reason).contains("leave a gap");
        try (JournalReplica replica = JournalReplica.open(dir.resolve("backup"), SEGMENT)) {
            assertThat(replica.position()).isZero();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void journalFramesStampedByAnotherEpochThanTheHistoryGivesTheirPositionAreRefused() throws Exception {
        long position = JournalReplica.pack(1, SegmentDescriptor.HEADER_LENGTH);
        String reason = refusalAfter(5, new byte[][] {welcomeWithHistory(), batchStamped(position, 3)},
                new long[] {5, 5}, new byte[] {ReplicationDescriptor.WELCOME, ReplicationDescriptor.BATCH});
        assertThat(reason).contains("carries epoch stamp 3").contains("says epoch 5 wrote that position");
        try (JournalReplica replica = JournalReplica.open(dir.resolve("backup"), SEGMENT)) {
            assertThat(replica.position()).isZero();
        }
    }
}
