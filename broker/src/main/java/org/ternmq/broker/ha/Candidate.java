package org.ternmq.broker.ha;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.handler.ssl.SslContext;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.replication.EpochHistory;
import org.ternmq.broker.replication.ReplicaFollower;
import org.ternmq.broker.replication.ReplicationConfig;
import org.ternmq.broker.replication.ReplicationSource;
import org.ternmq.store.JournalReplica;

/**
 * A broker whose role ZooKeeper decides ({@code --zookeeper}): it joins the cluster's Curator {@link LeaderLatch}
 * and, while it does not lead, runs as a backup of whichever broker is live (published in ZooKeeper). When it leads
 * and the in-sync set recorded by the last live broker names it (or no broker was ever live), it waits a tenth of
 * the session timeout (the former live broker's lease has run out by then: see {@link #tryToActivate}), takes the
 * next epoch (compare-and-set in ZooKeeper), records itself as the in-sync set, opens
 * its journal copy as a live broker at that epoch and publishes its replication address.
 *
 * <p>A live broker answers durable writes only within its lease (the last answered ZooKeeper request plus one
 * session timeout). One whose ZooKeeper session is LOST or whose leadership goes is fenced at once: no persistent
 * work is answered from then on. It then stops serving clients, leaves the latch and goes back to being a candidate, which makes it a
 * backup of the next live broker; that broker tells it, by epoch, which tail to drop.
 *
 * <p>Threads: one candidate thread runs the role changes; ZooKeeper's event thread only fences.
 */
public final class Candidate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Candidate.class);
    private static final long POLL_MILLIS = 50;

    private final BrokerConfig config;
    private final ReplicationConfig replication;
    private final ZooKeeperSettings settings;
    private final SslContext backupTls;
    private final String node;
    private final CuratorFramework client;
    private final ClusterRegistry registry;
    private final Thread thread;
    private final AtomicReference<Set<String>> pendingInSync = new AtomicReference<>();
    private final java.util.concurrent.CompletableFuture<String> fatal = new java.util.concurrent.CompletableFuture<>();
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile boolean closed;
    private volatile long sessionTimeoutMillis;
    private volatile ReplicationSource liveSource;
    private volatile long leaseUntilNanos;
    private volatile EmbeddedBroker broker;
    private volatile boolean warmUp;
    private final java.util.concurrent.CompletableFuture<Long> warmedUp = new java.util.concurrent.CompletableFuture<>();
    private volatile Thread warmUpThread;
    private long followingSince;
    private long aloneSince;
    private LeaderLatch latch;
    private ReplicaFollower follower;
    private ClusterRegistry.LiveInfo following;
    private String lastWaitReason;

    /**
     * @param replication the live broker's replication settings (its host and port are this broker's replication
     *                    address when live; a backup follows the address the live broker publishes)
     * @param backupTls   TLS for following a live broker, or null
     */
    public Candidate(BrokerConfig config, ReplicationConfig replication, ZooKeeperSettings settings,
            SslContext backupTls) throws IOException {
        this.config = config;
        this.replication = replication.withEpoch(0);
        this.settings = settings;
        this.backupTls = backupTls;
        this.node = EmbeddedBroker.nodeIdOf(config.dataDirectory());
        this.client = CuratorFrameworkFactory.builder().connectString(settings.connect())
                .sessionTimeoutMs((int) settings.sessionTimeoutMillis())
                .connectionTimeoutMs((int) Math.min(settings.connectTimeoutMillis(), settings.sessionTimeoutMillis()))
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1000))
                // a connection SUSPENDED for a moment (a stall of the broker or ZooKeeper shorter than the session)
                // keeps the lead: the lease stops answers meanwhile, and only a LOST session ends the lead
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy()).build();
        this.registry = new ClusterRegistry(client, settings.path());
        this.thread = new Thread(this::run, "tern-candidate");
    }

    /**
     * Whether to run the live path once on a scratch journal before joining the election ({@link WarmUp}), following
     * the live broker meanwhile. Off unless set (the command line sets it from {@code --warm-up}, on by default).
     * Call before {@link #start}.
     */
    public void warmUp(boolean on) {
        this.warmUp = on;
    }

    /**
     * Locks the data directory, connects to ZooKeeper and starts the candidate thread.
     *
     * @throws IOException when another broker uses the data directory or ZooKeeper cannot be reached within the
     *     connect timeout; nothing is left running then
     */
    public void start() throws IOException, InterruptedException {
        lockDataDirectory();
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state));
        client.start();
        if (!client.blockUntilConnected((int) settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IOException("cannot reach ZooKeeper at " + settings.connect() + " within "
                    + settings.connectTimeoutMillis() + " ms (is it running? see --zookeeper-connect-timeout)");
        }
        try {
            sessionTimeoutMillis = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
            close();
            throw new IOException("ZooKeeper at " + settings.connect() + " failed: " + e, e);
        }
        if (sessionTimeoutMillis != settings.sessionTimeoutMillis()) {
            LOG.warn("ZooKeeper gave a session timeout of {} ms instead of the {} ms asked for (its min/max session "
                    + "timeout); fencing and takeover go by {} ms", sessionTimeoutMillis,
                    settings.sessionTimeoutMillis(), sessionTimeoutMillis);
        }
        LOG.info("candidate {} of cluster '{}' connected to ZooKeeper {} (znode {}, session timeout {} ms)", node,
                replication.cluster(), settings.connect(), settings.path(), sessionTimeoutMillis);
        if (!warmUp) {
            warmedUp.complete(-1L);
        }
        thread.start();
    }

    private void lockDataDirectory() throws IOException {
        java.nio.file.Files.createDirectories(config.dataDirectory());
        Path file = config.dataDirectory().resolve("candidate.lock");
        lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new org.ternmq.store.JournalLockedException(config.dataDirectory());
        }
    }

    /** This broker's node id (its data directory's identity), as the in-sync set names it. */
    public String node() {
        return node;
    }

    /** The live broker this candidate runs now, or null while it is a backup. */
    public EmbeddedBroker liveBroker() {
        return broker;
    }

    /**
     * Completes with the reason when the live broker refused this broker for good (it belongs to another cluster,
     * or its journal segments differ): the znode path is shared by mistake, and the process should stop.
     */
    public java.util.concurrent.CompletableFuture<String> fatal() {
        return fatal;
    }

    /** The session timeout ZooKeeper gave. */
    public long sessionTimeoutMillis() {
        return sessionTimeoutMillis;
    }

    // ---- fencing (ZooKeeper's event thread) ------------------------------------------------------------------

    /**
     * LOST (the session expired, or Curator gave it up a session timeout after SUSPENDED) fences: another broker may
     * lead now. SUSPENDED does not: the session may still be alive, in which case nobody else can lead, and the lease
     * (see {@link #renewLease}) stops every answer a session timeout after the last answered request anyway; when
     * the connection comes back within the session, the lease is renewed and the broker carries on as live.
     */
    private void onConnectionState(ConnectionState state) {
        if (state == ConnectionState.LOST) {
            fence("the ZooKeeper session is LOST: another broker may take over");
        } else if (state == ConnectionState.SUSPENDED && liveSource != null) {
            LOG.warn("the ZooKeeper connection is SUSPENDED: persistent work is refused once the lease runs out, "
                    + "until ZooKeeper answers again within the session (else the session is lost and this broker "
                    + "steps down)");
        }
    }

    private void fence(String why) {
        ReplicationSource source = liveSource;
        if (source != null && !source.isFenced()) {
            source.fence(why);
        }
    }

    /** The lease: why durable writes must not be answered now, or null. */
    private String leaseProblem() {
        if (System.nanoTime() - leaseUntilNanos > 0) {
            return "this broker's ZooKeeper lease ran out (no answer from ZooKeeper for a session timeout): another "
                    + "broker may take over";
        }
        return null;
    }

    /**
     * Renews the lease with a round trip to ZooKeeper: the server heard this session at or after {@code sent}, so it
     * cannot expire it before {@code sent} plus a session timeout, and no other broker can activate before a tenth of
     * a session timeout after that (see {@link #activate}). Answering only until {@code sent} plus one session
     * timeout (checked once more as answers are flushed, {@code LeadershipFlushGuard}) leaves that tenth as margin.
     */
    private void renewLease() {
        long sent = System.nanoTime();
        try {
            if (client.getZookeeperClient().getZooKeeper().exists(latch.getOurPath(), false) != null) {
                leaseUntilNanos = sent + TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMillis);
            } else {
                fence("this broker's leader latch node is gone");
            }
        } catch (KeeperException e) {
            LOG.debug("lease renewal failed: {}", e.toString()); // the lease runs out by itself
        } catch (Exception e) {
            LOG.debug("lease renewal failed: {}", e.toString());
        }
    }

    // ---- the candidate thread ---------------------------------------------------------------------------------

    private void run() {
        while (!closed) {
            try {
                if (latch == null && !warmedUp.isDone()) {
                    follow(); // not a candidate for the lead before the warm-up ends
                    startWarmUpWhenQuiet();
                    Thread.sleep(POLL_MILLIS);
                    continue;
                }
                if (latch == null) {
                    latch = new LeaderLatch(client, registry.latchPath(), node);
                    latch.start();
                }
                if (latch.hasLeadership()) {
                    tryToActivate();
                } else {
                    follow();
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closed) {
                    LOG.warn("candidate: {}; trying again", e.toString());
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Starts the warm-up ({@link WarmUp}) once it would not compete for the processors with a broker becoming live:
     * after this candidate has followed a live broker for a second (a broker restarted right after a failover starts
     * beside the new live broker's activation), or when no other broker has been live for two seconds (a cluster
     * starting: then every candidate warms up before any joins the election).
     */
    private void startWarmUpWhenQuiet() {
        if (warmUpThread != null) {
            return;
        }
        long now = System.nanoTime();
        boolean welcomed = follower != null && follower.position().following();
        followingSince = welcomed ? (followingSince == 0 ? now : followingSince) : 0;
        aloneSince = following == null ? (aloneSince == 0 ? now : aloneSince) : 0;
        boolean quiet = (followingSince != 0 && now - followingSince > TimeUnit.SECONDS.toNanos(1))
                || (aloneSince != 0 && now - aloneSince > TimeUnit.SECONDS.toNanos(2));
        if (!quiet) {
            return;
        }
        Thread t = new Thread(() -> {
            long millis = -1;
            try {
                millis = WarmUp.run(config, replication, () -> closed);
            } finally {
                warmedUp.complete(millis);
            }
        }, "tern-warm-up");
        t.setDaemon(true);
        warmUpThread = t;
        t.start();
    }

    /**
     * Completes with the warm-up's milliseconds once it ended (-1: it failed, or was not asked for); the candidate joins
     * the election after that.
     */
    public java.util.concurrent.CompletableFuture<Long> warmedUp() {
        return warmedUp;
    }

    /** Follows the published live broker (when it is another one than the one followed now). */
    private void follow() throws Exception {
        ClusterRegistry.LiveInfo live;
        try {
            live = registry.live();
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException e) {
            return; // keep following whom we follow
        }
        if (live == null || live.node().equals(node) || live.equals(following)) {
            return;
        }
        closeFollower();
        LOG.info("following the live broker {} of epoch {} at {}:{}", live.node(), live.epoch(), live.host(),
                live.port());
        follower = ReplicaFollower.start(replication.withEndpoint(live.host(), live.port()),
                config.journalDirectory(), config.syncPolicy(), backupTls, node);
        follower.fatal().thenAccept(fatal::complete);
        following = live;
    }

    private void closeFollower() throws IOException {
        if (follower != null) {
            follower.close();
            follower = null;
            following = null;
        }
    }

    private void tryToActivate() throws Exception {
        ClusterRegistry.InSync inSync = registry.inSync();
        if (inSync != null && !inSync.nodes().contains(node)) {
            String reason = "not in the in-sync set " + inSync.nodes() + " recorded at epoch " + inSync.epoch()
                    + ": it may lack acknowledged messages, so it stays a backup until a broker of that set is live";
            if (!reason.equals(lastWaitReason)) {
                LOG.warn("leading the election but {}", reason);
                lastWaitReason = reason;
            }
            leaveLatch();
            follow();
            Thread.sleep(500); // lets a broker of the in-sync set take the lead
            return;
        }
        lastWaitReason = null;
        if (registry.epoch() > 0) {
            // Why this is enough: we lead because the former live broker's latch node is gone. Either it deleted the
            // node itself, after fencing (stepping down), or ZooKeeper expired its session, which the server does a
            // session timeout after it last heard from it at the earliest. The former live broker answers durable
            // writes only within its lease, a session timeout after it sent its last request that ZooKeeper answered
            // (renewLease), so its lease ran out before the session expired, even if it was paused (SIGSTOP, a long GC)
            // and has just woken up. The margin covers clocks that run at slightly different rates on two machines.
            long margin = fenceMarginMillis(sessionTimeoutMillis);
            LOG.info("leading the election; the former live broker's lease has run out, activating in {} ms", margin);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(margin);
            while (System.nanoTime() - until < 0) {
                if (closed || !latch.hasLeadership()) {
                    return;
                }
                Thread.sleep(10);
            }
        }
        activate();
    }

    /** What a new live broker waits after taking the lead: a tenth of the session timeout. */
    static long fenceMarginMillis(long sessionTimeoutMillis) {
        return Math.max(10, sessionTimeoutMillis / 10);
    }

    private void activate() throws Exception {
        try {
            becomeLive();
        } finally {
            deactivate();
        }
    }

    private void becomeLive() throws Exception {
        long started = System.nanoTime();
        ReplicaFollower followed = follower;
        closeFollower();
        String guard = latch.getOurPath();
        long epoch = registry.nextEpoch(guard);
        long start = followed != null ? followed.closedPosition() : -1;
        if (start < 0) {
            try (JournalReplica copy = JournalReplica.open(config.journalDirectory(), config.journalSegmentSize())) {
                start = copy.position();
            }
        }
        EpochHistory history = EpochHistory.load(config.journalDirectory()).with(epoch, start);
        history.save(config.journalDirectory());
        ClusterRegistry.InSync before = registry.inSync();
        registry.recordInSync(guard, epoch, Set.of(node));
        renewLease();
        long recorded = System.nanoTime();
        long[] publishedAt = new long[1];
        String url = "tern://" + config.host() + ":" + config.tcpPort();
        EmbeddedBroker live;
        try {
            live = startLive(guard, epoch, history, url, publishedAt);
        } catch (Exception | Error e) {
            restoreInSync(guard, epoch, before, e);
            throw e;
        }
        broker = live;
        long now = System.nanoTime();
        LOG.info("LIVE at epoch {} ({} ms after taking the lead: epoch and in-sync set recorded in {} ms, journal open "
                + "and published for backups {} ms later, clients accepted {} ms after that); clients at {}", epoch,
                TimeUnit.NANOSECONDS.toMillis(now - started), TimeUnit.NANOSECONDS.toMillis(recorded - started),
                TimeUnit.NANOSECONDS.toMillis(publishedAt[0] - recorded), TimeUnit.NANOSECONDS.toMillis(now - publishedAt[0]),
                live.tcpUrl());
        long nextRenewal = 0;
        while (!closed && !liveSource.isFenced()) {
            if (!latch.hasLeadership()) {
                fence("this broker no longer leads the election in ZooKeeper");
                break;
            }
            if (System.nanoTime() - nextRenewal > 0) {
                renewLease();
                nextRenewal = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionTimeoutMillis / 6);
            }
            Set<String> inSyncBackups = pendingInSync.getAndSet(null);
            if (inSyncBackups != null) {
                Set<String> nodes = new TreeSet<>(inSyncBackups);
                nodes.add(node);
                try {
                    registry.recordInSync(guard, epoch, nodes);
                    liveSource.recordedInSync(inSyncBackups);
                    LOG.info("in-sync set at epoch {}: {}", epoch, nodes);
                } catch (Exception e) {
                    pendingInSync.compareAndSet(null, inSyncBackups);
                    LOG.warn("could not record the in-sync set {}: {}", nodes, e.toString());
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private EmbeddedBroker startLive(String guard, long epoch, EpochHistory history, String url, long[] publishedAt)
            throws Exception {
        return EmbeddedBroker.startLive(config, replication.withEpoch(epoch), source -> {
            source.history(history);
            source.guard(this::leaseProblem);
            source.onInSyncChange(pendingInSync::set);
            source.recordedInSync(Set.of()); // recorded above: this broker alone
            // published once the journal is open and the replication port listens: backups connect and catch up
            // while this broker loads its store and opens its client port
            source.whenListening(port -> {
                try {
                    registry.publishLive(guard, new ClusterRegistry.LiveInfo(epoch, replication.host(), port, node,
                            url));
                    publishedAt[0] = System.nanoTime();
                } catch (Exception e) {
                    throw new IllegalStateException("could not publish this live broker in ZooKeeper: " + e, e);
                }
            });
            liveSource = source;
        });
    }

    /**
     * A broker that took an epoch but could not become live (its client or replication port taken, say) answered
     * nothing at that epoch, so the brokers recorded in sync before it still hold every answered write: the set goes
     * back to them. Recorded as this broker alone, no other broker could become live, and this one would take a new
     * epoch and fail again on each attempt.
     */
    private void restoreInSync(String guard, long epoch, ClusterRegistry.InSync before, Throwable why) {
        if (before == null) {
            return;
        }
        try {
            registry.recordInSync(guard, epoch, before.nodes());
            LOG.warn("could not become live at epoch {} ({}); the in-sync set is back to {} so that another of them can",
                    epoch, why.toString(), before.nodes());
        } catch (Exception e) {
            LOG.warn("could not become live at epoch {} ({}), nor put the in-sync set back to {}: {}", epoch,
                    why.toString(), before.nodes(), e.toString());
        }
    }

    /** A fenced live broker stops serving and goes back to being a candidate (and so a backup). */
    private void deactivate() {
        fence("this broker is stepping down");
        EmbeddedBroker live = broker;
        broker = null;
        if (live != null) {
            live.close();
        }
        liveSource = null;
        try {
            registry.withdrawLive();
        } catch (Exception e) {
            LOG.debug("could not withdraw the live node: {}", e.toString());
        }
        leaveLatch();
        if (!closed && live != null) {
            LOG.warn("no longer live: back to being a candidate; it follows the next live broker and drops any tail "
                    + "that broker does not have");
        }
    }

    private void leaveLatch() {
        if (latch != null) {
            try {
                latch.close();
            } catch (IOException | IllegalStateException e) {
                LOG.debug("leaving the election: {}", e.toString());
            }
            latch = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Thread warming = warmUpThread;
        if (warming != null) {
            try {
                warming.join(30_000); // it stops at its next step and deletes its scratch directory
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (broker != null) {
            deactivate();
        }
        try {
            closeFollower();
        } catch (IOException e) {
            LOG.warn("closing the journal copy: {}", e.toString());
        }
        leaveLatch();
        client.close();
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("releasing the data directory lock: {}", e.toString());
        }
    }
}
