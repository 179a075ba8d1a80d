package org.ternmq.it.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between clients and a broker that can {@link #cut()} every connection at once with a reset,
 * as a failing network would: neither side gets a clean close. Until the next cut it can also swallow what
 * goes one way ({@link #dropRequests()}, {@link #dropAnswers()}): a request lost on the way, or its answer.
 * One acceptor thread and two copying threads per connection (daemons); every method may be called from any
 * thread.
 */
final class TcpProxy implements AutoCloseable {

    private volatile int targetPort;
    private volatile boolean dropRequests;
    private volatile boolean dropAnswers;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The URL clients use to reach the broker through this proxy. */
    String url() {
        return "tern://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    reset(client); // the broker is not there: the client sees its connection end at once
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed, or the broker refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to, boolean requests) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (requests ? dropRequests : dropAnswers) {
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut or closed
            }
            reset(from);
            reset(to);
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** From now until the next {@link #cut()}, what clients send is read and thrown away. */
    void dropRequests() {
        dropRequests = true;
    }

    /** From now until the next {@link #cut()}, what the broker sends back is read and thrown away. */
    void dropAnswers() {
        dropAnswers = true;
    }

    /** New connections go to {@code port} from now on (a broker restarted on another port). */
    void retarget(int port) {
        targetPort = port;
    }

    /** Resets every relayed connection and relays in full again; the proxy keeps accepting new ones. */
    void cut() {
        dropRequests = false;
        dropAnswers = false;
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST: an abrupt loss, not an orderly shutdown
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
