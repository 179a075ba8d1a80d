package org.ternmq.broker.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.store.JournalReplica;
import org.ternmq.store.ReplicaEpochException;
import org.ternmq.store.ReplicaGapException;
import org.ternmq.store.SyncPolicy;

/**
 * A backup: connects to the live broker's replication port, says which cluster it belongs to and the position it
 * has, then writes every batch it receives into its {@link JournalReplica}, forces it as its sync policy says, and
 * acknowledges the position. It serves no client. When the connection breaks it connects again and catches up
 * from its position. Refusals that cannot heal (another cluster) end it: {@link #fatal()} completes.
 *
 * <p>Threads: the replica is written on the follower's single event loop; {@link #close} from any thread.
 */
public final class ReplicaFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFollower.class);

    private final ReplicationConfig config;
    private final JournalReplica replica;
    private final boolean forces;
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final CompletableFuture<String> fatal = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile Channel channel;
    private volatile long highestEpoch;
    private volatile long acked;
    // written on the event loop only, read by metrics
    private volatile boolean following;
    private volatile long batches;
    private volatile long bytes;
    private volatile long lastBatchNanos;
    private volatile long reclaimed;
    private volatile long closedPosition = -1;
    /** The epoch history the live broker sent with WELCOME: which epoch wrote which position (event loop only). */
    private EpochHistory liveHistory = EpochHistory.empty();

    private final SslContext tls;
    /** The last connection problem logged at ERROR; a repeat of it while reconnecting is logged at DEBUG. */
    private volatile String lastProblem;

    private final Path journalDirectory;
    private final String node;

    private ReplicaFollower(ReplicationConfig config, JournalReplica replica, SyncPolicy policy, SslContext tls,
            Path journalDirectory, String node, EpochHistory history) {
        this.tls = tls;
        this.config = config;
        this.replica = replica;
        this.forces = policy == SyncPolicy.DATA || policy == SyncPolicy.DATA_AND_METADATA;
        this.journalDirectory = journalDirectory;
        this.node = node;
        this.highestEpoch = Math.max(config.epoch(), history.lastEpoch());
    }

    /**
     * Opens the replica in {@code journalDirectory} (locking it) and starts following the live broker at
     * {@code config.host():config.port()}.
     */
    public static ReplicaFollower start(ReplicationConfig config, Path journalDirectory, SyncPolicy policy)
            throws IOException {
        return start(config, journalDirectory, policy, null);
    }

    /**
     * As {@link #start(ReplicationConfig, Path, SyncPolicy)}, over TLS when {@code tls} is not null (a client
     * context, see {@link org.ternmq.broker.security.TlsSettings#clientContext}): nothing is copied unless the
     * handshake succeeds.
     */
    public static ReplicaFollower start(ReplicationConfig config, Path journalDirectory, SyncPolicy policy,
            SslContext tls) throws IOException {
        return start(config, journalDirectory, policy, tls, journalDirectory.toString());
    }

    /**
     * As {@link #start(ReplicationConfig, Path, SyncPolicy, SslContext)}, naming this backup {@code node} to the
     * live broker (the identity the in-sync set recorded in ZooKeeper lists).
     */
    public static ReplicaFollower start(ReplicationConfig config, Path journalDirectory, SyncPolicy policy,
            SslContext tls, String node) throws IOException {
        JournalReplica replica = JournalReplica.open(journalDirectory, config.segmentSize());
        EpochHistory history;
        try {
            history = EpochHistory.load(journalDirectory);
        } catch (IOException | RuntimeException e) {
            replica.close();
            throw e;
        }
        ReplicaFollower follower = new ReplicaFollower(config, replica, policy, tls, journalDirectory, node, history);
        LOG.info("backup of cluster '{}' following {}:{} ({}) from {}", config.cluster(), config.host(),
                config.port(), tls != null ? "TLS" : "plain TCP", ReplicationDescriptor.describe(replica.position()));
        follower.connect();
        return follower;
    }

    /** Completes with the reason when the live broker refused this backup for good (another cluster). */
    /**
     * Stops reading the stream (true) or reads on (false), as a stalled backup would: nothing more is written or
     * acknowledged here meanwhile, so the live broker's sync writes wait and this backup leaves the in-sync set
     * after {@code replica-max-lag}. For tests.
     */
    public void pause(boolean paused) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        if (ch.eventLoop().inEventLoop()) {
            ch.config().setAutoRead(!paused);
            return;
        }
        // applied on the channel's loop and waited for: once this returns nothing more is read (set from another
        // thread, the loop could still read what arrives in the moment after, a prepare written just then, say)
        ch.eventLoop().submit(() -> ch.config().setAutoRead(!paused)).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    public CompletableFuture<String> fatal() {
        return fatal;
    }

    /** The position this backup has durable and acknowledged. */
    public long acknowledgedPosition() {
        return acked;
    }

    /** How many segments this backup removed because the live broker had removed them. Any thread. */
    public long reclaimedSegments() {
        return reclaimed;
    }

    /** How this backup follows, for metrics. Any thread. */
    public FollowerPosition position() {
        long last = lastBatchNanos;
        return new FollowerPosition(following, acked, batches, bytes,
                last == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - last));
    }

    private void connect() {
        if (closed) {
            return;
        }
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), config.host(), config.port());
                            ssl.setHandshakeTimeoutMillis(10_000);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ReplicationDescriptor.install(ch.pipeline());
                        ch.pipeline().addLast(new Handler());
                    }
                })
                .connect(config.host(), config.port()).addListener(f -> {
                    if (!f.isSuccess()) {
                        retryLater();
                    }
                });
    }

    private void retryLater() {
        if (!closed && !fatal.isDone()) {
            group.schedule(this::connect, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** Logs a connection problem at ERROR the first time, at DEBUG while it repeats. */
    private void problem(String text) {
        if (text.equals(lastProblem)) {
            LOG.debug(text);
        } else {
            lastProblem = text;
            LOG.error(text);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private boolean welcomed;
        private boolean tlsFailed;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
                tlsFailed = true;
                problem(ReplicationTls.describeAtBackup(e.cause(), config.host() + ":" + config.port()));
                ctx.close();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ByteBuf hello = ReplicationDescriptor.header(ctx.alloc(), ReplicationDescriptor.HELLO, highestEpoch, 64);
            ReplicationDescriptor.writeString(hello, config.cluster());
            hello.writeLong(replica.position());
            ReplicationDescriptor.writeString(hello, node);
            ctx.writeAndFlush(hello);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
            byte type = frame.readByte();
            long epoch = frame.readLong();
            if (type == ReplicationDescriptor.REFUSE) {
                String reason = ReplicationDescriptor.readString(frame);
                LOG.error("the live broker at {}:{} refused this backup: {}", config.host(), config.port(), reason);
                if (reason.contains("cluster")) {
                    fatal.complete(reason);
                }
                ctx.close();
                return;
            }
            if (epoch < highestEpoch) {
                refuse(ctx, "frame of epoch " + epoch + " is older than epoch " + highestEpoch
                        + " this backup already follows: refused");
                return;
            }
            highestEpoch = epoch;
            switch (type) {
                case ReplicationDescriptor.WELCOME -> {
                    welcomed = true;
                    following = true;
                    lastProblem = null;
                    int segmentSize = frame.readInt();
                    boolean wipe = frame.readByte() == 1;
                    if (segmentSize != config.segmentSize()) {
                        String reason = "the live broker's journal segments are " + segmentSize
                                + " bytes, this backup's " + config.segmentSize() + ": set journal-segment-size alike";
                        LOG.error(reason);
                        fatal.complete(reason);
                        ctx.close();
                        return;
                    }
                    long truncateTo = frame.isReadable() ? frame.readLong() : -1;
                    if (wipe) {
                        LOG.warn("this backup holds segments the live broker does not: dropping them, copying again");
                        replica.wipe();
                    } else if (truncateTo >= 0) {
                        LOG.warn("this backup holds a tail the live broker (epoch {}) never had: dropping what it holds "
                                + "from {} on", epoch, ReplicationDescriptor.describe(truncateTo));
                        replica.truncate(truncateTo);
                    }
                    liveHistory = EpochHistory.empty();
                    if (frame.isReadable()) {
                        EpochHistory history = ReplicationDescriptor.readHistory(frame);
                        liveHistory = history;
                        if (!history.entries().isEmpty()) {
                            history.save(journalDirectory);
                        }
                    }
                }
                case ReplicationDescriptor.BATCH -> {
                    long start = frame.readLong();
                    int length = frame.readableBytes();
                    try {
                        replica.write(start >>> 32, (int) start, frame.nioBuffer(), liveHistory::epochAt);
                    } catch (ReplicaGapException | ReplicaEpochException e) {
                        refuse(ctx, e.getMessage());
                        return;
                    }
                    if (forces) {
                        replica.force();
                    }
                    acked = replica.position();
                    batches++;
                    bytes += length;
                    lastBatchNanos = System.nanoTime();
                    ByteBuf ack = ReplicationDescriptor.header(ctx.alloc(), ReplicationDescriptor.ACK, highestEpoch, 8);
                    ctx.writeAndFlush(ack.writeLong(acked));
                }
                case ReplicationDescriptor.RECLAIM -> {
                    long oldestKept = frame.readLong();
                    int removed = replica.reclaim(oldestKept);
                    if (removed > 0) {
                        reclaimed += removed;
                        LOG.debug("removed {} segment(s) before segment {}, as the live broker did", removed,
                                oldestKept);
                    }
                }
                default -> refuse(ctx, "unexpected frame type " + type);
            }
        }

        private void refuse(ChannelHandlerContext ctx, String reason) {
            LOG.error("replication stream refused: {}", reason);
            ReplicationSource.refuse(ctx.channel(), reason);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            following = false;
            if (closed || tlsFailed) {
                // nothing to add
            } else if (!welcomed) {
                problem("the live broker at " + config.host() + ":" + config.port() + " closed the replication "
                        + "connection before answering" + (tls == null ? ": does its replication port require TLS "
                        + "(configure this backup's tls-* settings)?" : "") + "; connecting again");
            } else {
                LOG.warn("lost the live broker at {}:{}; connecting again", config.host(), config.port());
            }
            retryLater();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (tls != null && ReplicationTls.isTls(cause)) {
                ctx.close(); // the handshake failure is logged by userEventTriggered
                return;
            }
            LOG.error("replication failed: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        replica.force();
        closedPosition = replica.position();
        replica.close();
    }

    /**
     * Where the journal copy ended when this follower closed (forced), or -1 while it runs or when closing failed: a
     * candidate that becomes live starts its epoch there without opening and scanning the copy again (a scan of a
     * 32 MB segment took 0.5-1 s at a load of 8 on 2 cores).
     */
    public long closedPosition() {
        return closedPosition;
    }
}
