package org.ternmq.perf;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;

/**
 * The machine's loopback limit: one client thread sends {@code size} bytes over TCP to an echo thread on
 * 127.0.0.1 and waits for them to come back, as fast as it can; round trips per second bound any
 * request/response protocol on this machine (a synchronous send and its answer is one). Plain blocking
 * sockets, TCP_NODELAY on both ends, like a JMS client's connection.
 */
final class LoopbackProbe {
    private LoopbackProbe() {
    }

    /** @return round trips per second */
    static double run(int size, double seconds, PrintStream out) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> echo(server, size), "perf-loopback-echo");
            echo.setDaemon(true);
            echo.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream o = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] buffer = new byte[size];
                long end = System.nanoTime() + (long) (seconds * 1e9);
                long start = System.nanoTime();
                long count = 0;
                long now;
                do {
                    o.write(buffer);
                    o.flush();
                    in.readFully(buffer);
                    count++;
                    now = System.nanoTime();
                } while (now < end);
                double perSecond = count / ((now - start) / 1e9);
                out.printf(Locale.ROOT, "loopback probe: %,d-byte round trips over TCP on 127.0.0.1: %,.0f/s (%.1f us each)%n",
                        size, perSecond, 1e6 / perSecond);
                return perSecond;
            }
        }
    }

    private static void echo(ServerSocket server, int size) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream o = s.getOutputStream();
            DataInputStream data = new DataInputStream(in);
            byte[] buffer = new byte[size];
            while (true) {
                data.readFully(buffer);
                o.write(buffer);
                o.flush();
            }
        } catch (IOException e) {
            // the client closed: done
        }
    }
}
