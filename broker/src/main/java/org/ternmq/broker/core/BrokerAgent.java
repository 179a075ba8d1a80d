package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.ternmq.broker.persistence.DuplicateIdRecord;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.broker.persistence.QueueRecord;
import org.ternmq.broker.persistence.StoreLoader;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.policy.DestinationPolicy;
import org.ternmq.broker.policy.PolicyRepository;
import org.ternmq.broker.security.Authenticator;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.selector.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns all of the broker's destination state on one thread: queues, topics, subscriptions, temporary
 * destinations, client ids and connections. Netty threads and timers hand it work through
 * {@link #execute}; nothing else touches the state, so destination code needs no locks. One thread keeps
 * cross-destination work (a transaction's sends and acknowledgements over several queues, a topic's
 * fan-out) atomic without coordination; the journal's appender thread does the slow part of a persistent
 * send, so the agent only routes and dispatches.
 *
 * <p>It is the hub the other core classes call back into, so it stays a little over 500 lines; the parts
 * with rules of their own live beside it: {@link Subscriptions}, {@link TemporaryDestinations},
 * {@link MessageMover}, {@link StoreWriter}, {@link Pager}.
 *
 * <p>The agent thread is a Netty event loop, the one that also serves the TCP connections
 * ({@link #eventLoopGroup}): a packet read there is handled on the thread that read it ({@link #runInBurst}), the
 * answers go straight into the channel's outbound buffer, and every packet read in one turn of the loop, from any
 * connection, shares one store batch and one flush per connection. So no task may block: a blocking step stalls
 * the reads and writes of every TCP client as well. The waits left, all on this thread before it served
 * connections too: a full journal queue (back-pressure: 65,536 commands waiting) and the synchronous journal reads
 * of paged messages, large-message chunks and retained messages.
 *
 * <p>{@link #execute}, {@link #schedule} and {@link #shutdown} may be called from any thread; every other
 * method only on the agent thread.
 */
public final class BrokerAgent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerAgent.class);

    /** The agent's one thread: an event loop (epoll or NIO, as TCP runs) that TCP acceptors serve connections on. */
    private final EventLoopGroup group;
    private final EventLoop loop;
    /** Whether a task runs now (see {@link #runInBurst}: never entered again from inside a task). */
    private boolean inTask;
    /** Whether the end of the current read burst is queued on the loop. */
    private boolean burstOpen;
    private final Runnable endBurst = this::endBurst;
    private final Authenticator authenticator;
    private final org.ternmq.broker.security.Permissions permissions;
    private final String brokerName;
    private final int producerWindow;
    private final AtomicLong connectionIds = new AtomicLong();
    private final PolicyRepository policies;
    /** Bytes of waiting messages on the heap past which producers are held back. */
    private final long maxMemory;
    /** Send responses held back while memory is full, released in order as it frees up. */
    private final java.util.ArrayDeque<Runnable> heldBack = new java.util.ArrayDeque<>();
    private final Map<Address, DuplicateIdCache> duplicateIds = new HashMap<>();
    private final StoreWriter storeWriter;
    private final LargeBodies largeBodies;
    private final Pager pager;
    private final ManagementOperations management = new ManagementOperations(this);
    private final XaResourceManager xa;
    private final String nodeId;

    private final Map<String, MessageQueue> queues = new HashMap<>();
    private final Map<String, BrokerTopic> topics = new HashMap<>();
    /** The wildcard topics ({@link BrokerTopic#pattern}), and a count of their changes for the topics' caches. */
    private final List<BrokerTopic> wildcardTopics = new ArrayList<>();
    private int wildcardGeneration;
    private final Subscriptions subscriptions = new Subscriptions(this);
    private final TemporaryDestinations temporaries = new TemporaryDestinations(this);
    private final MessageMover mover = new MessageMover(this);
    private final HalfMessages halves = new HalfMessages(this);
    private final Retention retention = new Retention(this);
    private final CommitOutcomes commitOutcomes = new CommitOutcomes(this);
    private final StatisticsCollector statistics = new StatisticsCollector(this);
    private final DestinationAdmin destinationAdmin = new DestinationAdmin(this, queues);
    private final Map<String, BrokerConnection> connectionsById = new HashMap<>();
    private final Map<String, BrokerConnection> clientIds = new HashMap<>();
    /** Open connections by the resume key their failing-over client gave ({@link #resumed}). */
    private final Map<String, BrokerConnection> byResumeKey = new HashMap<>();
    private final Set<BrokerConnection> connections = new LinkedHashSet<>();
    private final List<BrokerConnection> unflushed = new ArrayList<>();
    /** Connections that held packets in this task ({@link BrokerConnection#deliveryCounted}). */
    private final List<BrokerConnection> holding = new ArrayList<>();
    /** Connections whose first held packet waits for a store write, by that write. */
    private final Map<CompletableFuture<Void>, Set<BrokerConnection>> awaitingWrites =
            new java.util.IdentityHashMap<>();
    private long sequence;
    private final PausedDestinations pausedDestinations;

    /**
     * @param nodeId this broker's lasting identity (its data directory's): what tells clients two connections
     *     reach the same XA resource manager
     */
    public BrokerAgent(BrokerConfig config, Authenticator authenticator, MessageStore store, String nodeId) {
        this.brokerName = config.name();
        this.nodeId = nodeId;
        this.xa = new XaResourceManager(this, config.xaTimeout());
        this.storeWriter = new StoreWriter(store, this, config.journalAgentWrites());
        this.largeBodies = new LargeBodies(store);
        this.pager = new Pager(storeWriter);
        this.pausedDestinations = new PausedDestinations(store.persistent() ? config.dataDirectory() : null,
                config.syncPolicy() == org.ternmq.store.SyncPolicy.DATA
                        || config.syncPolicy() == org.ternmq.store.SyncPolicy.DATA_AND_METADATA);
        this.policies = config.policies();
        this.authenticator = authenticator;
        this.permissions = config.permissions();
        this.producerWindow = config.producerWindow();
        this.maxMemory = config.maxMemory();
        long expiryScanPeriod = config.expiryScanPeriod();
        this.group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new FastThreadLocalThread(r, "tern-broker-agent");
            t.setDaemon(true);
            return t;
        }, org.ternmq.transport.TransportGroups.ioHandlerFactory(org.ternmq.transport.TransportAddress.Type.TCP));
        this.loop = group.next();
        // delayed work (redelivery delays, delivery times) is not run at shutdown: it is stored, and a restart
        // schedules it again (the event loop cancels its scheduled tasks when it shuts down)
        loop.scheduleWithFixedDelay(() -> runAndFlush(this::expireAll), expiryScanPeriod, expiryScanPeriod,
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} on the agent thread, then flushes what it wrote. Any thread. */
    public void execute(Runnable task) {
        loop.execute(() -> runAndFlush(task));
    }

    void schedule(long delayMillis, Runnable task) {
        scheduleCancellable(delayMillis, task);
    }

    /** Like {@link #schedule}, for a task that may be called off. */
    java.util.concurrent.ScheduledFuture<?> scheduleCancellable(long delayMillis, Runnable task) {
        return loop.schedule(() -> runAndFlush(task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
    }

    /**
     * The event loop group the agent runs on (one thread): a TCP acceptor serves its connections on it, so that
     * their packets are handled where they are read ({@link #runInBurst}) and their answers written without a
     * hand-off. Its owner is the agent: it stops with {@link #shutdown}.
     */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** Whether the caller runs on the agent thread. Any thread. */
    public boolean inAgentThread() {
        return loop.inEventLoop();
    }

    /**
     * Runs {@code task} now, on the agent thread (the caller must be on it: the event loop handing over a packet
     * it read; from elsewhere it is simply {@link #execute}d), as part of the current read burst: the store batch is
     * committed and the connections flushed once, when the loop has handled this turn's reads, for every packet read
     * in it from any connection. A failing task is logged and does not stop the others. Called from inside an agent
     * task (an event Netty fires while the agent writes or closes), it runs as a task of its own after this one
     * instead, never half-way into another.
     */
    public void runInBurst(Runnable task) {
        if (inTask || !loop.inEventLoop()) {
            execute(task);
            return;
        }
        if (!burstOpen) {
            try {
                loop.execute(endBurst);
                burstOpen = true;
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                runAndFlush(task); // the loop is stopping: this task ends on its own
                return;
            }
        }
        runRequest(task);
    }

    private void endBurst() {
        burstOpen = false;
        endTaskInside();
    }

    private void runAndFlush(Runnable task) {
        runRequest(task);
        endTaskInside();
    }

    /** Runs one request (a packet, or a task of the agent's own); a failure is logged and does not stop the others. */
    private void runRequest(Runnable task) {
        inTask = true;
        try {
            storeWriter.beginRequest();
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure on the broker agent thread", e);
        } finally {
            inTask = false;
        }
    }

    private void endTaskInside() {
        inTask = true;
        try {
            endTask();
        } finally {
            inTask = false;
        }
    }

    /** Ends a task (or a read burst): commits its store batch, answers what memory allows, flushes the connections. */
    private void endTask() {
        try {
            CompletableFuture<Void> written = null;
            try {
                written = storeWriter.endTask();
                largeBodies.endTask();
            } catch (RuntimeException e) {
                LOG.error("failed to hand the task's changes to the store", e);
            }
            if (!holding.isEmpty()) {
                for (BrokerConnection c : holding) {
                    c.endTaskHolding(written);
                }
                holding.clear();
            }
            releaseHeldBack();
            flushAll();
        } finally {
            // when the agent writes the task's batch itself (StoreWriter#writesHere): after its packets went out, and
            // the deliveries its write releases leave before its force (completions run at once meanwhile)
            draining = true;
            try {
                storeWriter.store().writeHere();
            } finally {
                draining = false;
            }
            flushAll();
            if (!holding.isEmpty() || storeWriter.hasChanges()) {
                // completions that ran meanwhile changed the store, or wrote packets behind held ones (a send's
                // answer behind a delivery that waits for the same write): the end of a task of their own commits
                // the one and releases the other, as the end of this one would have
                execute(() -> { });
            }
        }
    }

    private void flushAll() {
        for (BrokerConnection c : unflushed) {
            c.flush();
        }
        unflushed.clear();
    }

    /** Whether the store writes on this thread now ({@link MessageStore#writeHere}): completions run at once. */
    private boolean draining;

    void markUnflushed(BrokerConnection connection) {
        unflushed.add(connection);
    }

    /** {@code connection} held a packet in this task ({@link BrokerConnection#deliveryCounted}). */
    void markHolding(BrokerConnection connection) {
        holding.add(connection);
    }

    /**
     * Tells {@code connection} once {@code written} is done, in a task of its own: one task per write for all the
     * connections that wait for it.
     */
    void releaseWhenWritten(BrokerConnection connection, CompletableFuture<Void> written) {
        Set<BrokerConnection> waiting = awaitingWrites.get(written);
        if (waiting == null) {
            Set<BrokerConnection> all = waiting = new LinkedHashSet<>();
            awaitingWrites.put(written, all);
            whenStored(written, e -> {
                awaitingWrites.remove(written);
                all.forEach(c -> c.written(written));
            });
        }
        waiting.add(connection);
    }

    /**
     * Runs {@code then} on the agent thread once {@code stored} completes, with its failure or null: at once when the
     * store completes it on this thread while it writes here, else as a task of its own.
     */
    void whenStored(CompletableFuture<?> stored, java.util.function.Consumer<Throwable> then) {
        stored.whenComplete((v, e) -> {
            if (draining && loop.inEventLoop()) {
                then.accept(e);
                flushAll();
                return;
            }
            try {
                execute(() -> then.accept(e));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the broker is stopping: its connections are closed with what they held
            }
        });
    }

    /**
     * Stops the agent thread: runs the work queued by then (not the delayed work), waits briefly for it. Any thread
     * but the agent's. The TCP acceptors on {@link #eventLoopGroup} must be closed first.
     */
    public void shutdown() {
        io.netty.util.concurrent.Future<?> terminated = group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        try {
            if (!terminated.await(10, TimeUnit.SECONDS)) {
                LOG.warn("the broker agent thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long now() {
        return System.currentTimeMillis();
    }

    DestinationPolicy policyFor(Address address) {
        return policies.policyFor(address.name());
    }

    /** A snapshot of the broker's state and counters, for metrics and management. Agent thread. */
    public BrokerStatistics statistics() {
        return statistics.snapshot(queues, topics, connections, pager.residentBytes(), maxMemory, heldBack.size());
    }

    /** The queue or durable subscription {@code name} (as list-queues shows it), or null. Agent thread. */
    MessageQueue queueOrSubscription(String name) {
        return name == null ? null : queuesByName().get(name);
    }

    /** Which destinations are paused, as stored in the data directory. Agent thread. */
    PausedDestinations pausedDestinations() {
        return pausedDestinations;
    }

    public DestinationAdmin destinationAdmin() {
        return destinationAdmin;
    }

    /** Deletes the durable subscription whose queue is {@code queue} (an operator's decision). */
    void deleteSubscription(MessageQueue queue) {
        subscriptions.deleteByQueue(queue);
    }

    /** The management operations; run them on the agent thread. */
    public ManagementOperations management() {
        return management;
    }

    /** Whether {@code name} (as list-queues shows it) is a durable subscription of client id {@code clientId}. */
    boolean isDurableSubscriptionOf(String name, String clientId) {
        return name != null && subscriptions.isDurableOf(name, clientId);
    }

    /** Queues and durable subscriptions by name (subscriptions as "topic::clientId.name"). Agent thread. */
    Map<String, MessageQueue> queuesByName() {
        Map<String, MessageQueue> all = new HashMap<>(queues);
        subscriptions.addDurableQueues(all);
        return all;
    }

    /**
     * Runs {@code respond} now, or, while the messages waiting on the heap are past {@code max-memory},
     * once they have drained below nine tenths of it: a full broker slows its producers down (their
     * windows fill while their responses wait) instead of running out of memory.
     */
    void whenMemoryAllows(Runnable respond) {
        if (heldBack.isEmpty() && pager.residentBytes() <= maxMemory) {
            respond.run();
            return;
        }
        if (heldBack.isEmpty()) {
            LOG.warn("waiting messages use {} bytes of heap, over max-memory ({}): holding producers back",
                    pager.residentBytes(), maxMemory);
        }
        heldBack.add(respond);
    }

    private void releaseHeldBack() {
        if (heldBack.isEmpty() || pager.residentBytes() > maxMemory / 10 * 9) {
            return;
        }
        LOG.info("memory below max-memory again: {} held-back sends answered", heldBack.size());
        while (!heldBack.isEmpty()) {
            heldBack.poll().run();
        }
    }

    LargeBodies largeBodies() {
        return largeBodies;
    }

    StoreWriter storeWriter() {
        return storeWriter;
    }

    Pager pager() {
        return pager;
    }

    /** Why this broker must answer nothing now (see {@link MessageStore#leadershipLost}), or null. Any thread. */
    public String leadershipLost() {
        return storeWriter.store().leadershipLost();
    }

    /** Why persistent work is refused (the store is fenced), or null. */
    String storeUnavailable() {
        return storeWriter.store().fencedReason();
    }

    /**
     * Why durable work on destinations of these policies is refused: the store is fenced, or one of them awaits
     * backups ({@code replication=sync}) and too few are in sync. Null when it may go ahead.
     */
    String storeUnavailable(java.util.Collection<DestinationPolicy> policies) {
        String fenced = storeUnavailable();
        if (fenced != null) {
            return fenced;
        }
        for (DestinationPolicy p : policies) {
            if (storeWriter.awaitsBackups(p)) {
                return storeWriter.store().backupShortage();
            }
        }
        return null;
    }

    /** Writes refused by replication since the last line about them, and when that line was (guarded by this lock). */
    private final Object notReplicatedLock = new Object();
    private int notReplicated;
    private long lastNotReplicatedLog = System.nanoTime() - 2_000_000_000L;

    void storeFailed(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof org.ternmq.broker.persistence.NotReplicatedException) {
            // stored here, refused by replication: this write only, not the store; at most a line a second
            // (called from the store's and replication's threads as well as the agent's)
            synchronized (notReplicatedLock) {
                notReplicated++;
                long now = System.nanoTime();
                if (now - lastNotReplicatedLog > 1_000_000_000L) {
                    LOG.warn("{} write(s) not replicated, their answers refused: {}", notReplicated, cause.getMessage());
                    lastNotReplicatedLog = now;
                    notReplicated = 0;
                }
            }
            return;
        }
        LOG.error("the store failed a write; persistent messages are refused from now on: {}", cause.toString());
    }

    String brokerName() {
        return brokerName;
    }

    String nodeId() {
        return nodeId;
    }

    /** The XA resource manager. */
    XaResourceManager xa() {
        return xa;
    }

    /** Message history of the queues that retain it. */
    Retention retention() {
        return retention;
    }

    /** Deliveries of message {@code messageId} not yet acknowledged, on any connection. */
    List<Delivery> inFlight(String messageId) {
        List<Delivery> found = new ArrayList<>();
        for (BrokerConnection c : connections) {
            Delivery d = c.inFlight(messageId);
            if (d != null) {
                found.add(d);
            }
        }
        return found;
    }

    /** The open connection with {@code id}, or null. */
    BrokerConnection connectionWithId(String id) {
        return id == null ? null : connectionsById.get(id);
    }

    /** Half-messages waiting for their producers' outcome. */
    HalfMessages halves() {
        return halves;
    }

    int producerWindow() {
        return producerWindow;
    }

    org.ternmq.broker.security.Permissions permissions() {
        return permissions;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    String newConnectionId() {
        return brokerName + "-" + connectionIds.incrementAndGet();
    }

    // ---- connections and client ids

    void connected(BrokerConnection connection) {
        connections.add(connection);
        connectionsById.put(connection.id(), connection);
    }

    /**
     * {@code connection} logged in with resume {@code key}: it holds the key from now on; returns the open connection
     * that held it before, if any.
     */
    BrokerConnection resumed(String key, BrokerConnection connection) {
        BrokerConnection older = byResumeKey.put(key, connection);
        return older == connection ? null : older;
    }

    void disconnected(BrokerConnection connection) {
        if (connection.resumeKey() != null) {
            byResumeKey.remove(connection.resumeKey(), connection);
        }
        connections.remove(connection);
        connectionsById.remove(connection.id(), connection);
        xa.connectionLost(connection);
        halves.connectionClosed(connection);
        if (connection.clientId() != null) {
            clientIds.remove(connection.clientId(), connection);
        }
        temporaries.ownerClosed(connection);
    }

    /** Closes every connection (broker shutdown). */
    public void disconnectAll(String reason) {
        for (BrokerConnection c : new ArrayList<>(connections)) {
            c.disconnect(ErrorCode.INTERNAL, reason);
        }
    }

    void claimClientId(BrokerConnection connection, String clientId) throws BrokerException {
        BrokerConnection holder = clientIds.get(clientId);
        if (holder != null && holder != connection) {
            throw new BrokerException(ErrorCode.INVALID_CLIENT_ID, "client id '" + clientId + "' is in use");
        }
        clientIds.put(clientId, connection);
    }

    // ---- destinations

    MessageQueue queue(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (address.kind() == Address.Kind.TEMPORARY_QUEUE) {
            return temporaries.queue(address, user, forConsuming);
        }
        MessageQueue q = queues.get(address.name());
        if (q == null) {
            q = newDurableQueue(address.name());
        }
        return q;
    }

    private MessageQueue newDurableQueue(String name) {
        long storeId = storeWriter.persistent() ? storeWriter.nextId() : 0;
        MessageQueue q = new MessageQueue(name, Address.queue(name), policies.policyFor(name), this, storeId);
        queues.put(name, q);
        if (storeId != 0) {
            storeWriter.queueCreated(q, QueueRecord.queue(storeId, name));
        }
        return q;
    }

    BrokerTopic topic(Address address, BrokerConnection user, boolean forConsuming) throws BrokerException {
        if (address.kind() == Address.Kind.TEMPORARY_TOPIC) {
            return temporaries.topic(address, user, forConsuming);
        }
        return topics.computeIfAbsent(address.name(), this::newTopic);
    }

    private BrokerTopic newTopic(String name) {
        BrokerTopic t = new BrokerTopic(name);
        if (t.pattern != null) {
            wildcardTopics.add(t);
            wildcardGeneration++;
        }
        return t;
    }

    /** A queue whose policy is its origin's (a subscription's is its topic's); storeId 0: not durable. */
    MessageQueue newQueue(String name, Address origin, long storeId) {
        return new MessageQueue(name, origin, policies.policyFor(origin.name()), this, storeId);
    }

    TemporaryDestinations temporaries() {
        return temporaries;
    }

    // ---- routing

    /** Puts a sent (or committed) message into its queue, or into every subscription of its topic that wants it. */
    void route(EncodedMessage message, BrokerConnection origin) throws BrokerException {
        route(message, origin.id(), origin.clientId(), true);
        // a temporary destination is checked against the sender when it is sent, see BrokerConnection.send
    }

    /** Routes a message an XA branch sent, as it commits in one phase. */
    void routeCommitted(EncodedMessage message, String originId, String originClientId) throws BrokerException {
        route(message, originId, originClientId, true);
    }

    private void route(EncodedMessage message, String originId, String originClientId, boolean checkDuplicates)
            throws BrokerException {
        if (message.destination() == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "message has no destination");
        }
        // a message that arrives expired still goes in: the next dispatch or scan moves it to the expiry destination
        if (checkDuplicates && isDuplicate(message, now())) {
            LOG.debug("dropped duplicate {} (id {}) sent to {}", message.messageId(), message.duplicateId(),
                    message.destination());
            return;
        }
        place(message, originId, originClientId, this::enqueue);
    }

    /**
     * Makes the refs of a message an XA branch prepares: stored in the current batch (the branch's prepare
     * transaction), and kept by the branch until it commits. A duplicate (of a message seen before, or sent
     * earlier in the same branch) is dropped; its id is recorded when the branch commits.
     */
    void routeForBranch(EncodedMessage message, String originId, String originClientId, XaBranch branch)
            throws BrokerException {
        if (message.duplicateId() != null) {
            long now = now();
            for (EncodedMessage earlier : branch.duplicateChecked) {
                if (earlier.destination().equals(message.destination())
                        && earlier.duplicateId().equals(message.duplicateId())) {
                    return;
                }
            }
            if (duplicateSeen(message, now)) {
                return;
            }
            branch.duplicateChecked.add(message);
        }
        place(message, originId, originClientId, (queue, ref, stored) -> {
            if (ref.message.persistent() && queue.isDurable()) {
                StoredMessage before = stored == null ? null : stored[0];
                storeWriter.refAdded(queue, ref, stored);
                if (stored != null && before == null) {
                    branch.sharedCreated.add(stored[0]);
                }
            }
            branch.placed.add(new XaBranch.Placed(queue, ref.refId, ref, 0));
        });
    }

    /** Where {@link #place} puts each ref. */
    private interface RefSink {
        void accept(MessageQueue queue, MessageRef ref, StoredMessage[] stored);
    }

    /** Makes a ref for the message's queue, or for every subscription of its topic that wants it. */
    private void place(EncodedMessage message, String originId, String originClientId, RefSink sink)
            throws BrokerException {
        Address address = message.destination();
        if (address == null) {
            throw new BrokerException(ErrorCode.INVALID_DESTINATION, "message has no destination");
        }
        long seq = ++sequence;
        if (address.isQueue()) {
            MessageQueue q = queue(address, null, false);
            largeBodies.hold(message);
            sink.accept(q, new MessageRef(message, seq, originId, originClientId), null);
        } else {
            BrokerTopic topic = topic(address, null, false);
            Subscription.MessageRefSource source = new Subscription.MessageRefSource(message, originId, originClientId);
            List<Subscription> targets = new ArrayList<>();
            int durable = 0;
            durable += collect(topic, source, targets);
            if (!wildcardTopics.isEmpty() && topic.pattern == null && !address.kind().isTemporary()) {
                for (BrokerTopic w : topic.wildcardMatches(wildcardTopics, wildcardGeneration)) {
                    durable += collect(w, source, targets);
                }
            }
            // stored once and shared only when several durable subscriptions take it
            StoredMessage[] stored = durable > 1 ? new StoredMessage[1] : null;
            for (Subscription s : targets) {
                largeBodies.hold(message);
                sink.accept(s.queue, new MessageRef(message, seq, originId, originClientId), stored);
            }
        }
    }

    /** Adds the subscriptions of {@code topic} that want the message to {@code targets}; returns how many are durable. */
    private static int collect(BrokerTopic topic, Subscription.MessageRefSource source, List<Subscription> targets) {
        int durable = 0;
        for (Subscription s : topic.subscriptions) {
            if (s.accepts(source)) {
                targets.add(s);
                durable += s.queue.isDurable() ? 1 : 0;
            }
        }
        return durable;
    }

    /**
     * Adds a new ref to {@code queue}, stored when the message is persistent and the queue durable: with
     * the message in one record when {@code stored} is null, else referring to the message shared through it.
     */
    private void enqueue(MessageQueue queue, MessageRef ref, StoredMessage[] stored) {
        if (ref.message.persistent() && queue.isDurable()) {
            storeWriter.refAdded(queue, ref, stored);
            retention.enqueued(queue, ref);
        }
        queue.add(ref);
        queue.dispatch();
    }

    /** Whether storing {@code message} would need the store, which the caller must then wait for. */
    boolean needsStore(EncodedMessage message) {
        return message.persistent() && storeWriter.persistent();
    }

    private boolean isDuplicate(EncodedMessage message, long now) {
        if (duplicateSeen(message, now)) {
            return true;
        }
        recordDuplicate(message);
        return false;
    }

    /** Whether the message's duplicate id was seen on its destination within the window. */
    private boolean duplicateSeen(EncodedMessage message, long now) {
        String id = message.duplicateId();
        if (id == null) {
            return false;
        }
        DestinationPolicy p = policies.policyFor(message.destination().name());
        if (p.duplicateWindowTime() == 0) {
            return false;
        }
        DuplicateIdCache cache = duplicateIds.computeIfAbsent(message.destination(), a -> new DuplicateIdCache());
        boolean seen = cache.contains(id, now, p.duplicateWindowTime(), p.duplicateWindowCount(),
                storeWriter::duplicateIdForgotten);
        if (seen) {
            statistics.duplicateDropped(message.destination());
        }
        return seen;
    }

    /** Remembers the message's duplicate id (if it has one and its destination detects duplicates). */
    void recordDuplicate(EncodedMessage message) {
        String id = message.duplicateId();
        DestinationPolicy p = policies.policyFor(message.destination().name());
        if (id == null || p.duplicateWindowTime() == 0) {
            return;
        }
        long now = now();
        DuplicateIdCache cache = duplicateIds.computeIfAbsent(message.destination(), a -> new DuplicateIdCache());
        long recordId = storeWriter.persistent() ? storeWriter.duplicateIdAdded(message, now) : 0;
        cache.add(id, now, recordId, p.duplicateWindowCount(), storeWriter::duplicateIdForgotten);
    }

    /** An acknowledged (or committed) delivery: the message is gone from its queue for good. */
    void consumed(Delivery delivery) {
        delivery.queue().counters.acknowledged++;
        retention.left(delivery.queue(), delivery.ref(), org.ternmq.broker.persistence.RetainedRecord.ACKNOWLEDGED,
                () -> "acknowledged by " + delivery.consumer().session.connection.describe());
        storeWriter.refRemoved(delivery.ref());
    }

    /**
     * A retained message put back into {@code queue} by a replay: a new reference with its original arrival
     * order, counted as delivered {@code deliveryCount} times (so it arrives flagged as redelivered), on the heap.
     */
    void replayInto(MessageQueue queue, EncodedMessage message, long originalSequence, int deliveryCount) {
        MessageRef ref = new MessageRef(message, originalSequence, null, null);
        largeBodies.hold(message);
        ref.deliveryCount = deliveryCount;
        ref.replayed = true;
        if (message.persistent() && queue.isDurable()) {
            storeWriter.refAdded(queue, ref, null);
        }
        queue.putBack(ref);
    }

    /**
     * A delivery the application saw comes back (rollback, recover, a failed listener, an XA rollback): it
     * counts as an attempt ({@code alreadyCounted}: its count was read back from the store, which counted
     * it when it started), and after the policy's maximum it goes to the dead-letter destination, else it
     * waits the redelivery delay.
     *
     * @return whether {@code queue} took it back (and should dispatch)
     */
    boolean redeliver(MessageRef ref, MessageQueue queue, String failure, boolean alreadyCounted) {
        return redeliver(ref, queue, failure, alreadyCounted, true);
    }

    /**
     * As {@link #redeliver(MessageRef, MessageQueue, String, boolean)}; with {@code charged} false the delivery
     * still counts (the message comes again flagged redelivered, with its {@code JMSXDeliveryCount} one higher)
     * but not against the policy's maximum attempts, and its redelivery delay does not grow: it came back because
     * this broker refused the commit of its transaction, not because the application failed on it.
     */
    boolean redeliver(MessageRef ref, MessageQueue queue, String failure, boolean alreadyCounted, boolean charged) {
        if (queue == null || queue.isDeleted()) {
            dropped(ref, queue);
            return false;
        }
        if (!alreadyCounted) {
            ref.deliveryCount++;
        }
        if (!charged) {
            ref.uncharged++;
        }
        int attempts = ref.chargedAttempts();
        if (queue.policy().exhausted(attempts)) {
            deadLetter(ref, queue, failure);
            return false;
        }
        long delay = queue.policy().redeliveryDelayAfter(Math.max(attempts, 1));
        ref.redeliverAt = delay > 0 ? now() + delay : 0;
        if (delay > 0) {
            storeWriter.redeliveryDelayed(queue, ref); // with the uncharged count
        } else if (!charged) {
            storeWriter.deliveryUncharged(queue, ref);
        }
        queue.counters.redelivered++;
        queue.putBack(ref);
        return true;
    }

    /** A message dropped with its queue (a deleted subscription or temporary queue). */
    void dropped(MessageRef ref, MessageQueue queue) {
        storeWriter.refRemoved(ref);
    }

    /**
     * A stored message is being delivered: the store counts the delivery now, so that after a crash a
     * message that may have reached an application comes back with {@code JMSRedelivered} set.
     */
    void deliveryStarted(MessageRef ref, MessageQueue queue) {
        storeWriter.deliveryStarted(queue, ref);
    }

    // ---- start-up

    /**
     * Rebuilds durable queues and subscriptions, their messages in their original order with their
     * delivery counts, and the duplicate ids, from the store. No message body is read here: each queue
     * gets its refs' ids and pages the first ones in (in later tasks) as its memory limits allow, so a
     * backlog bigger than the heap loads. Agent thread, before any connection.
     */
    public void load() throws java.io.IOException {
        Map<Long, MessageQueue> byStoreId = new HashMap<>();
        long[] loaded = {0};
        storeWriter.store().load(new StoreLoader() {
            @Override
            public void queue(QueueRecord r) {
                byStoreId.put(r.id(), restoreQueue(r));
            }

            @Override
            public void sharedMessage(long messageId, int refs) {
                storeWriter.sharedMessageLoaded(messageId, refs);
            }

            @Override
            public void largeBody(long bodyId, long[] chunkIds, long size, int holders) {
                largeBodies.loaded(bodyId, chunkIds, size, holders);
            }

            @Override
            public void refs(long queueId, long[] refIds, int count) {
                byStoreId.get(queueId).restore(refIds, count);
                loaded[0] += count;
            }

            @Override
            public void lastSequence(long last) {
                sequence = Math.max(sequence, last);
            }

            @Override
            public void duplicateId(DuplicateIdRecord d) {
                if (CommitOutcomes.isOwn(d)) {
                    commitOutcomes.restore(d);
                    return;
                }
                duplicateIds.computeIfAbsent(d.destination(), a -> new DuplicateIdCache())
                        .restore(d.duplicateId(), d.seenAt(), d.id());
            }

            @Override
            public void heuristic(org.ternmq.broker.persistence.HeuristicRecord h) {
                xa.restoreHeuristic(h);
            }

            @Override
            public void retained(org.ternmq.broker.persistence.RetainedRecord summary) {
                retention.restored(byStoreId.get(summary.queueId()), summary);
            }

            @Override
            public void preparedBranch(org.ternmq.broker.persistence.PreparedBranch branch) {
                xa.restorePrepared(branch, byStoreId);
            }
        });
        if (!byStoreId.isEmpty() || loaded[0] > 0) {
            LOG.info("recovered {} durable queues and subscriptions holding {} messages", byStoreId.size(), loaded[0]);
        }
        restorePaused();
    }

    /** Pauses again the destinations an operator paused before the restart (and not resumed since). */
    private void restorePaused() throws java.io.IOException {
        for (String name : pausedDestinations.load()) {
            MessageQueue q = queueOrSubscription(name);
            if (q != null) {
                q.setPaused(true);
                pausedDestinations.restored(name, q);
                LOG.info("delivery of {} stays paused, as an operator left it (resume it to deliver)", name);
            }
        }
        pausedDestinations.loaded();
    }

    private MessageQueue restoreQueue(QueueRecord r) {
        DestinationPolicy policy = policies.policyFor(r.name());
        if (!r.subscription()) {
            MessageQueue q = new MessageQueue(r.name(), Address.queue(r.name()), policy, this, r.id());
            queues.put(r.name(), q);
            return q;
        }
        Address topicAddress = Address.topic(r.name());
        BrokerTopic topic = topics.computeIfAbsent(r.name(), this::newTopic);
        Subscription.Key key = new Subscription.Key(r.clientId(), r.subscriptionName());
        Selector selector;
        try {
            selector = Selector.parse(r.selector());
        } catch (org.ternmq.selector.SelectorSyntaxException e) {
            LOG.error("stored subscription {} has an invalid selector; it matches nothing", key);
            selector = null;
        }
        MessageQueue q = new MessageQueue("subscription " + key, topicAddress, policy, this, r.id());
        Subscription s = new Subscription(key, topicAddress, selector, r.noLocal(), true, r.shared(), q, null);
        subscriptions.restore(s, topic);
        return q;
    }

    /** See {@link MessageMover#deadLetter}. */
    void deadLetter(MessageRef ref, MessageQueue from, String failure) {
        mover.deadLetter(ref, from, failure);
    }

    /** See {@link MessageMover#expired}. */
    void expired(MessageRef ref, MessageQueue from) {
        mover.expired(ref, from);
    }

    /** A queue by name; created (durable) when {@code create} and missing, else null when missing. */
    MessageQueue queueNamed(String name, boolean create) {
        MessageQueue q = queues.get(name);
        return q != null || !create ? q : newDurableQueue(name);
    }

    /** Puts a message moved out of another queue (dead letter, expiry) into {@code queue}. */
    void enqueueMoved(MessageQueue queue, EncodedMessage message, MessageRef origin) {
        largeBodies.hold(message);
        enqueue(queue, new MessageRef(message, ++sequence, origin.originConnectionId, origin.originClientId), null);
    }

    /** Routes a message moved by an administrator to its new destination (no duplicate check: it is not new). */
    void routeMoved(EncodedMessage message, MessageRef origin) throws BrokerException {
        route(message, origin.originConnectionId, origin.originClientId, false);
    }

    private void expireAll() {
        retention.sweep();
        long now = now();
        commitOutcomes.expire(now);
        for (MessageQueue q : new ArrayList<>(queues.values())) {
            q.expire(now);
        }
        for (MessageQueue q : temporaries.queues()) {
            q.expire(now);
        }
        for (BrokerTopic t : topics.values()) {
            for (Subscription s : new ArrayList<>(t.subscriptions)) {
                s.queue.expire(now);
            }
        }
    }

    // ---- management

    MessageMover mover() {
        return mover;
    }

    CommitOutcomes commitOutcomes() {
        return commitOutcomes;
    }

    // ---- subscriptions

    Subscription subscribe(BrokerConnection connection, BrokerTopic topic, Address address, String selectorText,
                           Selector selector, boolean noLocal, String name, boolean durable, boolean shared)
            throws BrokerException {
        return subscriptions.subscribe(connection, topic, address, selectorText, selector, noLocal, name, durable, shared);
    }

    /** The named subscription {@code name} of {@code connection}'s client id, or null. */
    Subscription namedSubscription(BrokerConnection connection, String name) {
        return subscriptions.named(connection, name);
    }

    void unsubscribe(BrokerConnection connection, String name) throws BrokerException {
        subscriptions.unsubscribe(connection, name);
    }

    void consumerClosed(Subscription s) {
        subscriptions.consumerClosed(s);
    }

    boolean anyConnectionHoldsDeliveryFrom(MessageQueue queue) {
        for (BrokerConnection c : connections) {
            if (c.holdsDeliveryFrom(queue)) {
                return true;
            }
        }
        return false;
    }

    BrokerTopic existingTopic(Address topic) {
        return topic.kind() == Address.Kind.TEMPORARY_TOPIC ? temporaries.existingTopic(topic.name()) : topics.get(topic.name());
    }
}
