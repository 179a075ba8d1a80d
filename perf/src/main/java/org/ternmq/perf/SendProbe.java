package org.ternmq.perf;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.ternmq.store.file.SegmentFile;

/**
 * The {@code send-probe} command: the floor under a synchronous persistent send on this machine. A client sends
 * {@code size} bytes over TCP on 127.0.0.1 and waits for an 8-byte answer; the server thread writes the bytes to a
 * preallocated file in the directory given, forces it ({@code fdatasync}, as the journal's DATA policy does), and
 * only then answers. That is all a broker must do for one sync send of one producer (S1's producer side), with no
 * parsing, routing or consumer.
 *
 * <p>It measures two clients in turn. The first is one thread that writes and reads its socket itself: no broker's S1
 * can beat its rate here. The second is the way a JMS client's connection works (Tern's, and Artemis's on Netty): the
 * sending thread hands its bytes to the connection's event-loop thread, which sleeps in {@code select} until woken,
 * writes them, reads the answer and wakes the sender again; two hand-offs between threads per send, which is the
 * floor under S1 for any client built that way.
 */
final class SendProbe {
    private static final int FILE_SIZE = 64 << 20;
    private static final int ANSWER = 8;

    private SendProbe() {
    }

    /** One client's way of making a round trip: send {@code message}, return once the answer is read. */
    interface Client extends AutoCloseable {
        void roundTrip() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** @return sends per second of the client that does its own I/O */
    static double run(Path dir, int size, double seconds, PrintStream out) throws IOException {
        Path file = dir.resolve("send-probe-" + ProcessHandle.current().pid() + ".tmp");
        SegmentFile.preallocate(file, FILE_SIZE);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Thread store = new Thread(() -> storeAndAnswer(server, channel, size), "perf-send-probe-store");
            store.setDaemon(true);
            store.start();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            double direct;
            try (Client client = new DirectClient(address, size)) {
                direct = measure(client, seconds, out, String.format(Locale.ROOT, "send probe: %,d-byte sends over "
                        + "TCP on 127.0.0.1, each written and forced (fdatasync) in %s before its answer",
                        size, dir.toAbsolutePath()));
            }
            try (Client client = new EventLoopClient(address, size)) {
                measure(client, seconds, out, "send probe through an event-loop thread (the sender hands each "
                        + "send to it and is woken by it for the answer)");
            }
            return direct;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double measure(Client client, double seconds, PrintStream out, String what) throws IOException {
        Histogram latency = new Histogram(3);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long count = 0;
        long now = start;
        do {
            long sent = now;
            client.roundTrip();
            now = System.nanoTime();
            latency.recordValue(now - sent);
            count++;
        } while (now < end);
        double perSecond = count / ((now - start) / 1e9);
        out.printf(Locale.ROOT, "%s: %,.0f/s (%.1f us each; p50 %.3f ms, p99 %.3f ms)%n", what, perSecond,
                1e6 / perSecond, latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
        return perSecond;
    }

    /** The calling thread writes and reads a blocking socket itself. */
    private static final class DirectClient implements Client {
        private final Socket socket;
        private final OutputStream out;
        private final DataInputStream in;
        private final byte[] message;
        private final byte[] answer = new byte[ANSWER];

        DirectClient(InetSocketAddress address, int size) throws IOException {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            message = new byte[size];
        }

        @Override
        public void roundTrip() throws IOException {
            out.write(message);
            out.flush();
            in.readFully(answer);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * The calling thread hands each send to an event-loop thread (a flag and a {@link Selector#wakeup}, which writes
     * an eventfd only while the loop sleeps in {@code select}) and parks; the loop writes it, reads the answer when
     * the socket turns readable and unparks the caller.
     */
    static final class EventLoopClient implements Client {
        private final SocketChannel channel;
        private final Selector selector;
        private final Thread loop;
        private final ByteBuffer message;
        private final ByteBuffer answer = ByteBuffer.allocateDirect(ANSWER);
        private volatile Thread waiter;
        private volatile boolean sendDue;
        private volatile boolean answered;
        private volatile IOException failure;
        private volatile boolean closed;

        EventLoopClient(InetSocketAddress address, int size) throws IOException {
            channel = SocketChannel.open(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            message = ByteBuffer.allocateDirect(size);
            loop = new Thread(this::runLoop, "perf-send-probe-loop");
            loop.setDaemon(true);
            loop.start();
        }

        @Override
        public void roundTrip() throws IOException {
            waiter = Thread.currentThread();
            answered = false;
            sendDue = true;
            selector.wakeup();
            while (!answered) {
                LockSupport.park(this);
                if (failure != null) {
                    throw failure;
                }
            }
        }

        private void runLoop() {
            try {
                while (!closed) {
                    selector.select();
                    selector.selectedKeys().clear();
                    if (sendDue) {
                        sendDue = false;
                        message.clear();
                        while (message.hasRemaining()) {
                            channel.write(message);
                        }
                    }
                    if (channel.read(answer) < 0) {
                        throw new IOException("the probe's server closed the connection");
                    }
                    if (!answer.hasRemaining()) {
                        answer.clear();
                        answered = true;
                        LockSupport.unpark(waiter);
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    failure = e;
                    LockSupport.unpark(waiter);
                }
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            selector.wakeup();
            try {
                loop.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            selector.close();
            channel.close();
        }
    }

    /** Serves one client connection after another until the server socket closes. */
    private static void storeAndAnswer(ServerSocket server, FileChannel channel, int size) {
        long position = 0;
        ByteBuffer record = ByteBuffer.allocateDirect(size);
        byte[] message = new byte[size];
        byte[] answer = new byte[ANSWER];
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream o = s.getOutputStream();
                while (true) {
                    in.readFully(message);
                    record.clear();
                    record.put(message).flip();
                    if (position + size > FILE_SIZE) {
                        position = 0;
                    }
                    while (record.hasRemaining()) {
                        position += channel.write(record, position);
                    }
                    channel.force(false);
                    o.write(answer);
                    o.flush();
                }
            } catch (IOException e) {
                // this client closed (or the server socket or the file went): the next one, or done
            }
        }
    }
}
