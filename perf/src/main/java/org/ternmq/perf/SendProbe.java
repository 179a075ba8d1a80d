package org.ternmq.perf;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.ternmq.store.file.SegmentFile;

/**
 * The {@code send-probe} command: the floor under a synchronous persistent send on this machine. One client thread
 * sends {@code size} bytes over TCP on 127.0.0.1 and waits for an 8-byte answer; the server thread writes the bytes to
 * a preallocated file in the directory given, forces it ({@code fdatasync}, as the journal's DATA policy does), and
 * only then answers. That is all a broker must do for one sync send of one producer (S1's producer side), with no
 * parsing, routing, threads handing work to each other or a consumer, so no broker's S1 can beat its rate here.
 */
final class SendProbe {
    private static final int FILE_SIZE = 64 << 20;

    private SendProbe() {
    }

    /** @return sends per second */
    static double run(Path dir, int size, double seconds, PrintStream out) throws IOException {
        Path file = dir.resolve("send-probe-" + ProcessHandle.current().pid() + ".tmp");
        SegmentFile.preallocate(file, FILE_SIZE);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Thread store = new Thread(() -> storeAndAnswer(server, channel, size), "perf-send-probe-store");
            store.setDaemon(true);
            store.start();
            Histogram latency = new Histogram(3);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream o = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] message = new byte[size];
                byte[] answer = new byte[8];
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long count = 0;
                long now = start;
                do {
                    long sent = now;
                    o.write(message);
                    o.flush();
                    in.readFully(answer);
                    now = System.nanoTime();
                    latency.recordValue(now - sent);
                    count++;
                } while (now < end);
                double perSecond = count / ((now - start) / 1e9);
                out.printf(Locale.ROOT, "send probe: %,d-byte sends over TCP on 127.0.0.1, each written and forced "
                        + "(fdatasync) in %s before its answer: %,.0f/s (%.1f us each; p50 %.3f ms, p99 %.3f ms)%n",
                        size, dir.toAbsolutePath(), perSecond, 1e6 / perSecond,
                        latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
                return perSecond;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void storeAndAnswer(ServerSocket server, FileChannel channel, int size) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream o = s.getOutputStream();
            byte[] message = new byte[size];
            ByteBuffer record = ByteBuffer.allocateDirect(size);
            byte[] answer = new byte[8];
            long position = 0;
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
            // the client closed (or the file went with it): done
        }
    }
}
