package org.ternmq.broker.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.persistence.NotReplicatedException;
import org.ternmq.broker.persistence.ReplicationGate;
import org.ternmq.store.JournalReplica;
import org.ternmq.store.ReplicationListener;

/**
 * The live broker's side of journal shipping: accepts backups on the replication port, brings each up to date
 * from the position it has (reading the journal's segment files), then streams every batch the journal's appender
 * publishes, in order; tracks the position each backup acknowledged (forced there) and which backups are in sync.
 * With {@code replication=sync}, a durable store write is answered only once every in-sync backup, and at least
 * {@code min-sync-replicas} of them, acknowledged it ({@link #afterStored}); with too few in sync, persistent work is
 * refused
 * ({@link #refusal}).
 *
 * <p>Threads: {@link #onBatch} on the journal's appender thread; acknowledgements on the replication event loop;
 * each backup has a sender thread ({@link BackupLink}); the rest any thread. Waiting writes are guarded by this
 * object's monitor.
 */
public final class ReplicationSource implements ReplicationListener, ReplicationGate, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSource.class);

    private final ReplicationConfig config;
    private final Path journalDirectory;
    private final List<BackupLink> links = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Thread lagWatch;
    private volatile long published;
    private volatile long epoch;
    private volatile boolean closed;
    private final SslContext tls;
    private Channel server;
    private volatile EpochHistory history = EpochHistory.empty();
    /** Set for good once this broker must not answer persistent work any more (it lost its ZooKeeper session). */
    private volatile String fenced;
    /** Asked before a durable write is answered: why it must not be (the ZooKeeper lease ran out), or null. */
    private volatile java.util.function.Supplier<String> guard = () -> null;
    private volatile java.util.function.Consumer<java.util.Set<String>> inSyncListener = s -> { };
    private volatile java.util.function.IntConsumer listening = port -> { };
    private java.util.Set<String> lastInSync = java.util.Set.of();
    /**
     * The backups ZooKeeper names as in sync (node ids, this broker left out), or null without ZooKeeper. ZooKeeper may
     * elect any of them after this broker dies, so a sync write is answered only once each of them has it: one that left
     * the in-sync set here is waited for until the set recorded without it replaces this one.
     */
    private java.util.Set<String> recordedInSync;

    private record Refusal(String why, long nanos) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Refusal> refusals =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record Waiter(long position, CompletableFuture<Void> future) {
    }

    public ReplicationSource(ReplicationConfig config, Path journalDirectory) {
        this(config, journalDirectory, null);
    }

    /**
     * @param tls the broker's server TLS context: every backup connection gets its own {@link SslHandler} (server
     *            mode, client authentication as configured); null: plain TCP
     */
    public ReplicationSource(ReplicationConfig config, Path journalDirectory, SslContext tls) {
        this.tls = tls;
        this.config = config;
        this.journalDirectory = journalDirectory;
        this.epoch = config.epoch();
        this.lagWatch = new Thread(this::watchLag, "tern-replication-lag");
        this.lagWatch.setDaemon(true);
    }

    /** Binds the replication port. */
    public void start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(10_000);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ReplicationDescriptor.install(ch.pipeline());
                        ch.pipeline().addLast(new LinkHandler());
                    }
                });
        server = bootstrap.bind(config.host(), config.port()).sync().channel();
        lagWatch.start();
        LOG.info("replication ({}, {}) listening on {}:{} for backups of cluster '{}', min-sync-replicas {}",
                config.mode().name().toLowerCase(), tls != null ? "TLS" : "plain TCP", config.host(), port(), config.cluster(), config.minSyncReplicas());
        listening.accept(port());
    }

    /**
     * Runs {@code then} with the replication port as soon as it listens (the journal is open by then), on the
     * thread that starts the broker, before the broker loads its store and opens its client port: a broker elected
     * through ZooKeeper publishes itself there, so that backups connect while the rest starts. Its failure fails
     * the start.
     */
    public void whenListening(java.util.function.IntConsumer then) {
        this.listening = then;
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** The activation epoch carried in every frame (0 without ZooKeeper). */
    public long epoch() {
        return epoch;
    }

    /** The epochs that wrote this journal (sent to backups so a rejoining one drops a tail this side never had). */
    public void history(EpochHistory history) {
        this.history = history;
    }

    EpochHistory history() {
        return history;
    }

    /**
     * Fences this live broker for good: every persistent write not yet answered, and every later one, fails with
     * {@code why}. Called the moment its ZooKeeper session is in doubt, before another broker may take over.
     */
    public void fence(String why) {
        fenced = why;
        LOG.error("fenced: {}; no persistent work is answered any more", why);
        synchronized (this) {
            for (Waiter w : waiters) {
                w.future.completeExceptionally(new NotReplicatedException(why));
            }
            waiters.clear();
        }
    }

    /**
     * Drops every backup's connection, as a network partition between the brokers would (each backup connects
     * again and catches up from its position). For tests and operators.
     */
    public void disconnectBackups() {
        for (BackupLink link : links) {
            link.close();
        }
    }

    public boolean isFenced() {
        return fenced != null;
    }

    /** A check made right before every durable write is answered; it returns why not, or null. */
    public void guard(java.util.function.Supplier<String> guard) {
        this.guard = guard;
    }

    /** Told the node ids of the in-sync backups whenever the set changes (on a replication thread). */
    public void onInSyncChange(java.util.function.Consumer<java.util.Set<String>> listener) {
        this.inSyncListener = listener;
    }

    /**
     * Tells the source which backups ZooKeeper now names as in sync (node ids; this broker's own left out), once
     * recorded there. Until this is first called (and always without ZooKeeper) only the backups in sync now count.
     */
    public synchronized void recordedInSync(java.util.Set<String> nodes) {
        recordedInSync = java.util.Set.copyOf(nodes);
        recheck();
    }

    /** The node ids of the backups in sync now. */
    public java.util.Set<String> inSyncNodes() {
        java.util.Set<String> nodes = new java.util.TreeSet<>();
        for (BackupLink link : links) {
            if (link.inSync()) {
                nodes.add(link.node());
            }
        }
        return nodes;
    }

    private String stopReason() {
        String why = fenced;
        return why != null ? why : guard.get();
    }

    private CompletableFuture<Void> checked(CompletableFuture<Void> written) {
        return written.thenApply(v -> {
            String why = stopReason();
            if (why != null) {
                throw new IllegalStateException(why);
            }
            return v;
        });
    }

    Path journalDirectory() {
        return journalDirectory;
    }

    ReplicationConfig config() {
        return config;
    }

    /** The end of the last batch the journal published. */
    long published() {
        return published;
    }

    // ---- the journal's side ---------------------------------------------------------------------------------

    @Override
    public void onBatch(long segmentSequence, int position, ByteBuffer frames) {
        byte[] bytes = new byte[frames.remaining()];
        frames.get(bytes);
        long start = JournalReplica.pack(segmentSequence, position);
        synchronized (this) {
            published = JournalReplica.pack(segmentSequence, position + bytes.length);
            for (BackupLink link : links) {
                link.offer(start, bytes, published);
            }
        }
    }

    @Override
    public void onSegmentsRemoved(long oldestKept) {
        synchronized (this) {
            for (BackupLink link : links) {
                link.offerReclaim(oldestKept);
            }
        }
    }

    /** Registers a backup's link and tells it what to catch up to; later batches go to its queue. */
    synchronized long register(BackupLink link) {
        links.add(link);
        return published;
    }

    void unregister(BackupLink link) {
        links.remove(link);
        recheck();
    }

    // ---- the broker's side ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> afterStored(CompletableFuture<Void> stored, boolean awaitBackups) {
        if (!awaitBackups) {
            return checked(stored);
        }
        // completed on the appender thread right after the batch was published: published covers it
        return checked(stored.thenCompose(v -> awaitReplicated(published)));
    }

    @Override
    public String refusal() {
        return stopReason();
    }

    @Override
    public String shortage() {
        String stop = stopReason();
        if (stop != null) {
            return stop;
        }
        int inSync = inSyncCount();
        if (inSync < config.minSyncReplicas()) {
            return "replication=sync needs " + config.minSyncReplicas() + " in-sync backup(s) and " + inSync
                    + " is/are in sync, so persistent work is refused rather than kept on one machine";
        }
        return null;
    }

    @Override
    public boolean awaitsBackupsByDefault() {
        return config.mode() == ReplicationConfig.Mode.SYNC;
    }

    /** Each connected backup's position and lag, for metrics. Any thread. */
    public List<BackupPosition> backupPositions() {
        List<BackupPosition> positions = new ArrayList<>();
        for (BackupLink link : links) {
            positions.add(link.position(published, config.segmentSize()));
        }
        return positions;
    }

    public int inSyncCount() {
        int n = 0;
        for (BackupLink link : links) {
            if (link.inSync()) {
                n++;
            }
        }
        return n;
    }

    /** Completes once enough in-sync backups acknowledged {@code position}; fails when too few stay in sync. */
    synchronized CompletableFuture<Void> awaitReplicated(long position) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new NotReplicatedException("replication is closed"));
        } else if (replicated(position)) {
            f.complete(null);
        } else if (inSyncCount() < config.minSyncReplicas()) {
            f.completeExceptionally(new NotReplicatedException(shortage()));
        } else {
            waiters.add(new Waiter(position, f));
        }
        return f;
    }

    /**
     * Whether every in-sync backup, and at least {@code min-sync-replicas} of them, acknowledged {@code position}. Every
     * one, not just enough of them: ZooKeeper may elect any broker of the in-sync set after this one dies, so an
     * answer given once only some of them had it could be lost with a failover to another (with three brokers).
     */
    private boolean replicated(long position) {
        if (recordedInSync != null) {
            for (String node : recordedInSync) {
                if (!inSyncNow(node)) {
                    return false; // it left, but ZooKeeper may still elect it: wait until it is recorded without it
                }
            }
        }
        int inSync = 0;
        int acked = 0;
        for (BackupLink link : links) {
            if (link.inSync()) {
                inSync++;
                if (link.acked() >= position) {
                    acked++;
                }
            }
        }
        return acked == inSync && acked >= config.minSyncReplicas();
    }

    private boolean inSyncNow(String node) {
        for (BackupLink link : links) {
            if (link.inSync() && node.equals(link.node())) {
                return true;
            }
        }
        return false;
    }

    /** A backup acknowledged, joined or left the in-sync set: settles the waiting writes. */
    synchronized void recheck() {
        java.util.Set<String> nodes = inSyncNodes();
        if (!nodes.equals(lastInSync)) {
            lastInSync = nodes;
            inSyncListener.accept(nodes);
        }
        boolean tooFew = inSyncCount() < config.minSyncReplicas();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (replicated(w.position)) {
                it.remove();
                w.future.complete(null);
            } else if (tooFew) {
                it.remove();
                w.future.completeExceptionally(new NotReplicatedException(shortage()));
            }
        }
    }

    private void watchLag() {
        while (!closed) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            boolean changed = false;
            for (BackupLink link : links) {
                changed |= link.checkLag(config.maxLagMillis());
            }
            if (changed) {
                recheck();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        lagWatch.interrupt();
        for (BackupLink link : links) {
            link.close();
        }
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        synchronized (this) {
            for (Waiter w : waiters) {
                w.future.completeExceptionally(new NotReplicatedException("replication is closed"));
            }
            waiters.clear();
        }
    }

    /** Reads HELLO, then hands the channel to a {@link BackupLink}; afterwards it reads the backup's ACKs. */
    private final class LinkHandler extends SimpleChannelInboundHandler<ByteBuf> {
        private BackupLink link;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
            byte type = frame.readByte();
            long frameEpoch = frame.readLong();
            if (link == null) {
                if (type != ReplicationDescriptor.HELLO) {
                    refuse(ctx.channel(), "expected HELLO, got frame type " + type);
                    return;
                }
                String cluster = ReplicationDescriptor.readString(frame);
                long position = frame.readLong();
                String node = frame.isReadable() ? ReplicationDescriptor.readString(frame)
                        : String.valueOf(ctx.channel().remoteAddress());
                if (!cluster.equals(config.cluster())) {
                    LOG.warn("refused a backup of cluster '{}' from {}: this is cluster '{}'", cluster,
                            ctx.channel().remoteAddress(), config.cluster());
                    refuse(ctx.channel(), "this live broker belongs to cluster '" + config.cluster()
                            + "', not '" + cluster + "'");
                    return;
                }
                if (frameEpoch > epoch) {
                    refuse(ctx.channel(), "the backup saw epoch " + frameEpoch + ", newer than this live broker's "
                            + epoch + ": this broker is stale");
                    if (epoch > 0) {
                        // elected through ZooKeeper: a newer epoch means another broker was live after this one
                        fence("a backup has seen epoch " + frameEpoch + ", newer than this live broker's " + epoch
                                + ": another broker was live since");
                    }
                    return;
                }
                long truncateTo = -1;
                long end = frameEpoch < epoch ? history.endOf(frameEpoch) : Long.MAX_VALUE;
                if (position > end) {
                    truncateTo = end;
                    LOG.info("backup {} ({}) last followed epoch {}, which ended here at {}: it drops what it holds "
                            + "after that", ctx.channel().remoteAddress(), node, frameEpoch,
                            ReplicationDescriptor.describe(end));
                }
                link = new BackupLink(ReplicationSource.this, ctx.channel(), truncateTo >= 0 ? truncateTo : position,
                        truncateTo, node);
                link.start();
            } else if (type == ReplicationDescriptor.ACK) {
                link.acknowledged(frame.readLong());
            } else if (type == ReplicationDescriptor.REFUSE) {
                LOG.error("backup {} refused the stream: {}", ctx.channel().remoteAddress(),
                        ReplicationDescriptor.readString(frame));
                ctx.close();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
                refusedHandshake(ctx.channel().remoteAddress(), ReplicationTls.describeAtLive(e.cause()));
                ctx.close();
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (link != null) {
                link.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (tls != null && link == null && ReplicationTls.isTls(cause)) {
                ctx.close(); // logged by userEventTriggered
                return;
            }
            LOG.warn("replication connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /**
     * Logs a refused TLS handshake at ERROR, and a repeat of the same refusal from the same host (a backup
     * reconnects every 500 ms) at DEBUG for a minute.
     */
    private void refusedHandshake(java.net.SocketAddress remote, String why) {
        String host = remote instanceof java.net.InetSocketAddress isa && isa.getAddress() != null
                ? isa.getAddress().getHostAddress() : String.valueOf(remote);
        long now = System.nanoTime();
        boolean[] log = new boolean[1];
        refusals.compute(host, (k, last) -> {
            if (last == null || !last.why.equals(why) || now - last.nanos > TimeUnit.MINUTES.toNanos(1)) {
                log[0] = true;
                return new Refusal(why, now);
            }
            return last;
        });
        if (refusals.size() > 1000) {
            refusals.clear();
        }
        if (log[0]) {
            LOG.error("refused replication connection from {}: {}", remote, why);
        } else {
            LOG.debug("refused replication connection from {}: {}", remote, why);
        }
    }

    static void refuse(Channel ch, String reason) {
        ByteBuf out = ReplicationDescriptor.header(ch.alloc(), ReplicationDescriptor.REFUSE, 0, reason.length() + 4);
        ReplicationDescriptor.writeString(out, reason);
        ch.writeAndFlush(out).addListener(f -> ch.close());
    }
}
