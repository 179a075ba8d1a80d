package org.ternmq.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.ternmq.protocol.FrameDescriptor;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.PacketDecoder;
import org.ternmq.protocol.PacketEncoder;
import org.ternmq.protocol.Ping;

/**
 * A plain TCP connection of the client without an event loop ({@code directIo}, the default over plain TCP without
 * failover): the thread that waits reads. A thread waiting for an answer, a delivery or room in the producer window
 * ({@link #readUntil}) takes the reading <em>role</em> and reads the socket itself, dispatching everything it reads
 * (answers to other threads too) until what it waits for has come; a thread that writes writes the socket itself.
 * A synchronous send thus costs no hand-off between threads: the sender writes, sleeps in the kernel until the
 * answer arrives, and reads it, where a connection with an event loop wakes that thread to write, and then it to
 * read and wake the sender (docs/performance.md, "A client without an event loop").
 *
 * <p>One thread of the link's own, the watcher, covers what nobody waits for: it takes the role when no application
 * thread has read for {@link #LINGER_NANOS} (an idle connection, whose broker may close it or ping), or at once and
 * for good while a consumer of the connection has a message listener (whose deliveries nobody waits for); it writes
 * heartbeats and judges the connection dead after {@code connectionTtl} of silence (the rules of {@link Heartbeat});
 * it runs the connection's timers; and it writes what threads that do not wait queued back to back
 * ({@link #write}). Packets are dispatched under one lock, {@link #runSerially}, which stands for the event loop of a
 * Netty connection: dispatching and the tasks of {@link ClientConnection#requestFromEventLoop} never overlap.
 *
 * <p>Thread-safe. Locks, in the order they may nest: the role, then the serial lock (dispatch), then a consumer's or
 * the producer window's; the write lock nests in any of them and holds none.
 */
final class DirectLink {

    /** How long after an application thread last read the watcher leaves the socket to the next one. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long packets written back to back by threads that do not wait gather before the watcher writes them. */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(30);
    /** What gathered is written at once from this many bytes. */
    static final int GATHER_BYTES = 32 * 1024;

    private final ClientConnection connection;
    private final String name;
    private final SocketChannel socket;
    private final Selector selector;
    private final SelectionKey key;
    /** Heartbeats and the TTL, from {@link #startHeartbeat} (after the handshake); 0: none. */
    private volatile long heartbeatNanos;
    private volatile long ttlNanos;
    private volatile int ttlMillis;

    private final ReentrantLock role = new ReentrantLock();
    private final ReentrantLock serial = new ReentrantLock();
    /** Threads waiting for the role, woken when it is given up and after each dispatch. */
    private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wanting = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread watcher;
    private volatile boolean watcherSelecting;
    /** When an application thread last held the role. */
    private volatile long lastUsed = System.nanoTime();
    private volatile long lastRead = lastUsed;
    private volatile long lastWrite = lastUsed;
    /** Read but not yet decoded; the role's only. */
    private final ByteBuf in = Unpooled.buffer(64 * 1024);

    private final Object writeLock = new Object();
    /** Encoded, not yet written; guarded by {@link #writeLock}. */
    private final ByteBuf out = Unpooled.buffer(64 * 1024);
    private volatile boolean flushDue;
    private long lastFlush;
    private volatile Throwable writeFailure;

    /** The connection's timers, by due time; guarded by itself. */
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSequence;

    private record Timer(long due, long sequence, Runnable task) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /**
     * Connects and starts the watcher.
     *
     * @throws IOException when the broker cannot be reached within {@code connectTimeoutMillis}
     */
    DirectLink(ClientConnection connection, InetSocketAddress address, int connectTimeoutMillis) throws IOException {
        this.connection = connection;
        this.name = "tern-io-" + address.getHostString() + ":" + address.getPort();
        SocketChannel s = SocketChannel.open();
        Selector sel = null;
        try {
            s.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (address.isUnresolved()) {
                throw new java.net.UnknownHostException(address.getHostString());
            }
            s.socket().connect(address, connectTimeoutMillis);
            s.configureBlocking(false);
            sel = Selector.open();
            this.key = s.register(sel, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            s.close();
            if (sel != null) {
                sel.close();
            }
            throw e;
        }
        this.socket = s;
        this.selector = sel;
        this.watcher = new Thread(this::watch, name);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** From now on, pings after {@code heartbeatMillis} of silence, and dead after {@code ttlMillis} without a byte. */
    void startHeartbeat(int heartbeatMillis, int ttlMillis) {
        lastRead = System.nanoTime();
        this.ttlMillis = ttlMillis;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        wakeWatcher();
    }

    boolean isOpen() {
        return !closed.get();
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * Writes {@code packet} from the calling thread. A lone packet goes out at once; one written right behind
     * another (a producer that does not wait for answers) gathers with those after it, and goes out within
     * {@link #GATHER_NANOS} from the watcher, at {@link #GATHER_BYTES}, or as soon as any thread waits
     * ({@link #readUntil} writes first). So streaming sends cost a system call per batch, not per packet.
     *
     * @param failed told when the link is closed already or the write fails (the link then closes), may be null
     */
    void write(Packet packet, Consumer<Throwable> failed) {
        boolean wakeWatcher = false;
        try {
            synchronized (writeLock) {
                if (closed.get()) {
                    throw new IOException("connection closed");
                }
                PacketEncoder.encode(packet, out);
                if (out.readableBytes() >= GATHER_BYTES || (!flushDue && System.nanoTime() - lastFlush > GATHER_NANOS)) {
                    flushLocked();
                } else if (!flushDue) {
                    flushDue = true;
                    wakeWatcher = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            if (failed != null) {
                failed.accept(e);
            }
            failLater(e);
            return;
        }
        if (wakeWatcher) {
            wakeWatcher();
        }
    }

    /** Writes what gathered. */
    private void flush() {
        try {
            synchronized (writeLock) {
                if (out.isReadable()) {
                    flushLocked();
                }
            }
        } catch (IOException | RuntimeException e) {
            failLater(e);
        }
    }

    /**
     * A write failed: the watcher closes the link. A writer may hold a consumer's lock, which a dispatch may be
     * waiting for under the serial lock that closing takes.
     */
    private void failLater(Throwable cause) {
        if (writeFailure == null) {
            writeFailure = cause;
        }
        wakeWatcher();
        selector.wakeup();
    }

    private void flushLocked() throws IOException {
        flushDue = false;
        lastFlush = System.nanoTime();
        while (out.isReadable()) {
            int n = socket.write(out.nioBuffer());
            if (n <= 0) {
                // the socket's buffer is full: whoever holds the role writes the rest once it drains
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                lastUsed = lastFlush - LINGER_NANOS; // nobody may be waiting: the watcher takes the role then
                selector.wakeup();
                LockSupport.unpark(watcher);
                return;
            }
            out.skipBytes(n);
            lastWrite = lastFlush;
        }
        out.clear();
        if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    // ---- serial context and timers --------------------------------------------------------------------------

    /** Runs {@code task} on the calling thread, never at the same time as a dispatch or another such task. */
    void runSerially(Runnable task) {
        serial.lock();
        try {
            task.run();
        } finally {
            serial.unlock();
        }
    }

    /** Runs {@code task} serially on the watcher after {@code delayMillis}; nothing once the link is closed. */
    void schedule(Runnable task, long delayMillis) {
        long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        boolean first;
        synchronized (timers) {
            timers.add(new Timer(due, timerSequence++, task));
            first = timers.peek().task == task;
        }
        if (first) {
            wakeWatcher();
        }
    }

    /** Runs the timers that are due; @return nanoseconds until the next one, or {@code Long.MAX_VALUE} */
    private long runTimers() {
        while (true) {
            Timer t;
            synchronized (timers) {
                t = timers.peek();
                if (t == null) {
                    return Long.MAX_VALUE;
                }
                long left = t.due - System.nanoTime();
                if (left > 0) {
                    return left;
                }
                timers.poll();
            }
            try {
                runSerially(t.task);
            } catch (RuntimeException e) {
                connection.onChannelError(e);
            }
        }
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * Reads and dispatches on the calling thread until {@code done}, the deadline or the link's end; when another
     * thread holds the role, waits for {@code done} or the role. {@code done} is asked again after each dispatch
     * (whoever dispatched). Returns as well when the thread is interrupted (its flag stays set): its I/O is
     * non-blocking, so an interrupt never closes the socket, as it would a blocking channel's.
     */
    void readUntil(BooleanSupplier done, long deadlineNanos) {
        if (done.getAsBoolean() || closed.get()) {
            return;
        }
        flush();
        wanting.incrementAndGet();
        Thread me = Thread.currentThread();
        try {
            while (!done.getAsBoolean() && !closed.get() && !me.isInterrupted()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                if (role.tryLock()) {
                    try {
                        while (!done.getAsBoolean() && !closed.get() && !me.isInterrupted()) {
                            left = deadlineNanos - System.nanoTime();
                            if (left <= 0) {
                                return;
                            }
                            selectAndRead(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                        }
                        return;
                    } finally {
                        lastUsed = System.nanoTime();
                        leaveRole();
                    }
                }
                waiters.add(me);
                if (!connection.hasListeners()) {
                    selector.wakeup(); // the watcher holds the role in a select: it gives it up while someone waits
                }
                if (!done.getAsBoolean() && role.isLocked()) {
                    LockSupport.parkNanos(this, Math.min(left, LINGER_NANOS));
                }
                waiters.remove(me);
            }
        } finally {
            wanting.decrementAndGet();
        }
    }

    /** A message listener came or went: the watcher takes the role at once, or may give it to waiting threads. */
    void listenersChanged() {
        wakeWatcher();
    }

    private void leaveRole() {
        if (closed.get()) {
            closeSelector();
        }
        role.unlock();
        wakeWaiters();
    }

    private void wakeWaiters() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    private void wakeWatcher() {
        LockSupport.unpark(watcher);
        if (watcherSelecting) {
            selector.wakeup();
        }
    }

    private void watch() {
        while (!closed.get()) {
            Throwable failed = writeFailure;
            if (failed != null) {
                close(failed);
                return;
            }
            if (flushDue) {
                LockSupport.parkNanos(this, GATHER_NANOS);
                flush();
            }
            long nextTimer = runTimers();
            checkHeartbeat();
            long idle = System.nanoTime() - lastUsed;
            boolean listeners = connection.hasListeners();
            if (wanting.get() == 0 && (listeners || idle >= LINGER_NANOS) && role.tryLock()) {
                watcherSelecting = true;
                try {
                    while (!closed.get() && !flushDue && writeFailure == null && (listeners || wanting.get() == 0)) {
                        long heartbeat = heartbeatNanos;
                        long wait = Math.min(runTimers(), heartbeat > 0 ? heartbeat : Long.MAX_VALUE);
                        selectAndRead(wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
                        checkHeartbeat();
                        listeners = connection.hasListeners();
                    }
                } finally {
                    watcherSelecting = false;
                    leaveRole();
                }
            } else if (!flushDue) {
                long park = idle >= LINGER_NANOS ? LINGER_NANOS : LINGER_NANOS - idle;
                LockSupport.parkNanos(this, Math.min(park, nextTimer));
            }
        }
    }

    private void checkHeartbeat() {
        long heartbeat = heartbeatNanos;
        if (heartbeat == 0 || closed.get()) {
            return;
        }
        long now = System.nanoTime();
        String dead = Heartbeat.deadReason(now, lastRead, ttlNanos, ttlMillis);
        if (dead != null) {
            close(new IOException(dead));
        } else if (Heartbeat.pingDue(now, lastRead, lastWrite, heartbeat)) {
            write(new Ping(0), null);
        }
    }

    /** With the role held: one select (0: until woken), then everything readable is read and dispatched. */
    private void selectAndRead(long timeoutMillis) {
        try {
            int selected = timeoutMillis == 0 ? selector.select() : selector.select(timeoutMillis);
            selector.selectedKeys().clear();
            if (!key.isValid()) {
                close(null);
                return;
            }
            if (selected == 0) {
                return; // woken, or the time is up
            }
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                flush();
            }
            if ((ready & SelectionKey.OP_READ) == 0) {
                return;
            }
            boolean eof = readAvailable();
            List<Packet> packets = decode();
            if (!packets.isEmpty()) {
                serial.lock();
                try {
                    for (Packet p : packets) {
                        if (!connection.onPacket(p)) {
                            throw new IOException("unexpected packet from the broker: " + p.type());
                        }
                    }
                } finally {
                    serial.unlock();
                }
                wakeWaiters();
            }
            if (eof) {
                close(null);
            }
        } catch (IOException | RuntimeException e) {
            close(e);
        }
    }

    /** @return whether the broker closed its side */
    private boolean readAvailable() throws IOException {
        while (true) {
            in.ensureWritable(16 * 1024);
            ByteBuffer target = in.nioBuffer(in.writerIndex(), in.writableBytes());
            int n = socket.read(target);
            if (n < 0) {
                return true;
            }
            if (n == 0) {
                return false;
            }
            lastRead = System.nanoTime();
            in.writerIndex(in.writerIndex() + n);
            if (target.hasRemaining()) {
                return false;
            }
        }
    }

    private List<Packet> decode() {
        List<Packet> packets = new ArrayList<>(4);
        Packet p;
        while ((p = PacketDecoder.decodeFrame(in, FrameDescriptor.DEFAULT_MAX_FRAME_LENGTH)) != null) {
            packets.add(p);
        }
        in.discardReadBytes();
        return packets;
    }

    // ---- closing --------------------------------------------------------------------------------------------

    /**
     * Closes the socket and tells the connection (once, serially); {@code cause} (null for an orderly end) is
     * reported as the channel's error first.
     */
    void close(Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (cause != null) {
            connection.onChannelError(cause);
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closed anyway
        }
        selector.wakeup();
        wakeWaiters();
        LockSupport.unpark(watcher);
        synchronized (timers) {
            timers.clear();
        }
        runSerially(() -> connection.onDirectClosed(this));
        // the selector goes with the thread in the role, or now when none is
        if (role.tryLock()) {
            try {
                closeSelector();
            } finally {
                role.unlock();
            }
        }
    }

    private void closeSelector() {
        try {
            selector.close();
        } catch (IOException e) {
            // closed anyway
        }
    }
}
