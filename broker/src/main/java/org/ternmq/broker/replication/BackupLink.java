package org.ternmq.broker.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.JournalReplica;
import org.ternmq.store.format.SegmentDescriptor;

/**
 * One backup, seen from the live broker: a sender thread that first copies what the backup lacks from the segment
 * files, then streams the batches the journal publishes, in order; the position the backup acknowledged; whether it
 * is in sync (caught up, and acknowledging within {@code replica-max-lag}).
 *
 * <p>Threads: the sender thread sends; {@link #offer} runs on the journal's appender thread (under the source's
 * monitor); {@link #acknowledged} on the replication event loop; {@link #checkLag} on the lag watcher.
 */
final class BackupLink {

    private static final Logger LOG = LoggerFactory.getLogger(BackupLink.class);
    /** Beyond this many queued bytes the backup is dropped; it catches up from the files when it reconnects. */
    private static final long MAX_QUEUED_BYTES = 256L << 20;

    /** Frames from {@code start}, or (bytes null) the live broker's removal of the segments before {@code start}. */
    private record Batch(long start, byte[] bytes) {
    }

    private final ReplicationSource source;
    private final Channel channel;
    private final long backupPosition;
    private final long truncateTo;
    private final String node;
    private final LinkedBlockingQueue<Batch> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** (end position, publish time) of batches sent and not yet acknowledged, oldest first. */
    private final ConcurrentLinkedDeque<long[]> unacked = new ConcurrentLinkedDeque<>();
    private final Thread sender;
    private volatile long catchUpTo = Long.MAX_VALUE;
    private volatile long acked;
    private volatile boolean inSync;
    private volatile boolean closed;

    /**
     * @param backupPosition where the backup's journal copy ends (after truncation, when it must truncate)
     * @param truncateTo     where the backup must cut its copy before following (-1: nowhere)
     * @param node           the backup's node id
     */
    BackupLink(ReplicationSource source, Channel channel, long backupPosition, long truncateTo, String node) {
        this.source = source;
        this.channel = channel;
        this.backupPosition = backupPosition;
        this.truncateTo = truncateTo;
        this.node = node;
        this.sender = new Thread(this::send, "tern-replication-to-" + channel.remoteAddress());
        this.sender.setDaemon(true);
    }

    void start() {
        sender.start();
    }

    String node() {
        return node;
    }

    boolean inSync() {
        return inSync && !closed;
    }

    long acked() {
        return acked;
    }

    void offer(long start, byte[] bytes, long end) {
        if (closed) {
            return;
        }
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES) {
            LOG.warn("backup {} is more than {} bytes behind; dropping it (it catches up again when it reconnects)",
                    channel.remoteAddress(), MAX_QUEUED_BYTES);
            close();
            return;
        }
        queue.add(new Batch(start, bytes));
        unacked.add(new long[] {end, System.nanoTime()});
    }

    /** The live broker removed its segments before {@code oldestKept}: the backup does too, in order with the frames. */
    void offerReclaim(long oldestKept) {
        if (!closed) {
            queue.add(new Batch(oldestKept, null));
        }
    }

    private void send() {
        try {
            List<Long> sequences = JournalReplica.segmentSequences(source.journalDirectory());
            long oldest = sequences.isEmpty() ? 1 : sequences.get(0);
            long to = source.register(this);
            catchUpTo = to;
            long seq = backupPosition >>> 32;
            boolean wipe = backupPosition != 0 && (seq < oldest || (to != 0 && backupPosition > to));
            long from = backupPosition == 0 || wipe ? JournalReplica.pack(oldest, SegmentDescriptor.HEADER_LENGTH)
                    : backupPosition;
            LOG.info("backup {} is at {}; sending from {} ({}), then following", channel.remoteAddress(),
                    ReplicationDescriptor.describe(backupPosition), ReplicationDescriptor.describe(from),
                    wipe ? "it holds what this journal does not: it starts again" : "incremental");
            if (!wipe) {
                acked = backupPosition; // it has everything before its position already
            }
            ByteBuf welcome = ReplicationDescriptor.header(channel.alloc(), ReplicationDescriptor.WELCOME,
                    source.epoch(), 64);
            welcome.writeInt(source.config().segmentSize()).writeByte(wipe ? 1 : 0).writeLong(truncateTo);
            ReplicationDescriptor.writeHistory(welcome, source.history());
            channel.writeAndFlush(welcome);
            catchUp(from, to, sequences);
            // removed before this link registered, so at positions up to what was just sent
            reclaim(oldest);
            if (to == 0 || acked >= to) {
                joined();
            }
            while (!closed) {
                Batch b = queue.poll(1, TimeUnit.SECONDS);
                if (b == null) {
                    continue;
                }
                if (b.bytes == null) {
                    reclaim(b.start);
                } else {
                    queuedBytes.addAndGet(-b.bytes.length);
                    write(b.start, ByteBuffer.wrap(b.bytes));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NoSuchFileException e) {
            LOG.warn("backup {}: a segment went away while it was copied ({}); it will catch up again",
                    channel.remoteAddress(), e.getMessage());
            close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("backup {}: replication stopped: {}", channel.remoteAddress(), e.toString());
            close();
        }
    }

    /** Sends the frames of the segment files from {@code from} up to {@code to} (0: everything written). */
    private void catchUp(long from, long to, List<Long> sequences) throws IOException, InterruptedException {
        long last = to == 0 ? (sequences.isEmpty() ? 0 : sequences.get(sequences.size() - 1)) : to >>> 32;
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        for (long seq = from >>> 32; seq <= last && !closed; seq++) {
            int position = seq == from >>> 32 ? (int) from : SegmentDescriptor.HEADER_LENGTH;
            int limit = seq == last && to != 0 ? (int) to : Integer.MAX_VALUE;
            while (!closed) {
                int n = JournalReplica.readFrames(source.journalDirectory(), seq, position, limit, buffer);
                if (n == 0) {
                    break;
                }
                write(JournalReplica.pack(seq, position), buffer);
                position += n;
            }
        }
    }

    private void write(long start, ByteBuffer frames) throws InterruptedException {
        while (!channel.isWritable() && channel.isActive() && !closed) {
            Thread.sleep(1);
        }
        ByteBuf out = ReplicationDescriptor.header(channel.alloc(), ReplicationDescriptor.BATCH, source.epoch(),
                8 + frames.remaining());
        out.writeLong(start).writeBytes(frames);
        channel.writeAndFlush(out);
    }

    private void reclaim(long oldestKept) throws InterruptedException {
        while (!channel.isWritable() && channel.isActive() && !closed) {
            Thread.sleep(1);
        }
        ByteBuf out = ReplicationDescriptor.header(channel.alloc(), ReplicationDescriptor.RECLAIM, source.epoch(), 8);
        channel.writeAndFlush(out.writeLong(oldestKept));
    }

    void acknowledged(long position) {
        acked = position;
        for (long[] u = unacked.peek(); u != null && u[0] <= position; u = unacked.peek()) {
            unacked.poll();
        }
        if (!inSync && position >= catchUpTo && lagMillis() <= source.config().maxLagMillis()) {
            joined();
        }
        source.recheck();
    }

    private void joined() {
        if (!inSync && !closed) {
            inSync = true;
            LOG.info("backup {} joined the in-sync set at {}", channel.remoteAddress(),
                    ReplicationDescriptor.describe(acked));
            source.recheck();
        }
    }

    private long lagMillis() {
        long[] oldest = unacked.peek();
        return oldest == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldest[1]);
    }

    /** This backup's position and lag behind {@code published} (any thread). */
    BackupPosition position(long published, int segmentSize) {
        long ack = acked;
        return new BackupPosition(String.valueOf(channel.remoteAddress()).replaceFirst("^/", ""), ack, published,
                BackupPosition.bytesBetween(ack, published, segmentSize), unacked.size(), lagMillis(), inSync());
    }

    /** @return whether the backup just left the in-sync set (it fell more than {@code maxLagMillis} behind) */
    boolean checkLag(long maxLagMillis) {
        if (inSync && lagMillis() > maxLagMillis) {
            inSync = false;
            LOG.warn("backup {} left the in-sync set: {} ms behind (replica-max-lag {} ms)", channel.remoteAddress(),
                    lagMillis(), maxLagMillis);
            return true;
        }
        return false;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (inSync) {
            LOG.warn("backup {} left the in-sync set: disconnected", channel.remoteAddress());
        }
        inSync = false;
        channel.close();
        sender.interrupt();
        source.unregister(this);
    }
}
