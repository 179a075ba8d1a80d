package org.ternmq.it.policy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between clients and a broker that can {@link #cut()} every connection at once with a reset, as a
 * failing network would: neither side gets a clean close. What it does to the connections relayed now (those made
 * later relay in full): swallow what goes one way ({@link #dropRequests()}, {@link #dropAnswers()}: a request lost
 * on the way, or its answer); keep what clients send ({@link #holdRequests()}) to deliver it late
 * ({@link #releaseHeld()}); reset only the clients' side ({@link #cutClients()}: the client sees its connection
 * fail, the broker does not); or stop relaying anything either way without closing, ever ({@link #freeze()}: a
 * partition, which TCP does not report). One acceptor thread and two copying threads per connection (daemons);
 * every method may be called from any thread.
 */
final class TcpProxy implements AutoCloseable {

    /** One relayed connection: the client's socket, the broker's, and what is done to them. */
    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean dropRequests;
        volatile boolean dropAnswers;
        volatile boolean holdRequests;
        /** When the client's side ends, the broker's stays open (it learns nothing). */
        volatile boolean keepUpstream;
        /** Bytes of answers still relayed before the rest is swallowed ({@link #dropAnswersAfter}). */
        volatile long answerAllowance = Long.MAX_VALUE;
        /** Nothing either side does reaches the other, not even a close. */
        volatile boolean frozen;
        final ByteArrayOutputStream held = new ByteArrayOutputStream();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    private volatile int targetPort;
    private final ServerSocket server;
    /** The connections relayed now; {@link #cutClients} and {@link #freeze} move them to {@link #detached}. */
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Link> detached = new CopyOnWriteArrayList<>();

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
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, true);
                pump(link, false);
            } catch (IOException e) {
                // closed, or the broker refused: the client sees its connection end
            }
        }
    }

    private void pump(Link link, boolean requests) {
        Socket from = requests ? link.client : link.upstream;
        Socket to = requests ? link.upstream : link.client;
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                // not closed when this ends: closing a socket's stream closes the socket, and the broker's side of a
                // connection may have to stay open
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (requests ? link.dropRequests : link.dropAnswers) {
                        continue;
                    }
                    if (!requests && link.answerAllowance != Long.MAX_VALUE) {
                        n = (int) Math.min(n, link.answerAllowance);
                        link.answerAllowance -= n;
                        if (n == 0) {
                            continue;
                        }
                    }
                    if (requests && link.holdRequests) {
                        synchronized (link.held) {
                            link.held.write(buffer, 0, n);
                        }
                        continue;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // cut or closed
            }
            if (!link.frozen) {
                reset(link.client);
                if (!link.keepUpstream) {
                    reset(link.upstream);
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** What clients send on the connections relayed now is read and thrown away. */
    void dropRequests() {
        links.forEach(l -> l.dropRequests = true);
    }

    /** What the broker sends back on the connections relayed now is read and thrown away. */
    void dropAnswers() {
        links.forEach(l -> l.dropAnswers = true);
    }

    /** On the connections relayed now, {@code bytes} more bytes of answers are relayed, the rest swallowed. */
    void dropAnswersAfter(long bytes) {
        links.forEach(l -> l.answerAllowance = bytes);
    }

    /** What clients send on the connections relayed now is kept, not relayed, until {@link #releaseHeld}. */
    void holdRequests() {
        links.forEach(l -> l.holdRequests = true);
    }

    /**
     * Resets the clients' side of every connection relayed now and leaves the broker's open, as a network that
     * failed between them after the broker stopped hearing: the broker learns nothing.
     */
    void cutClients() {
        for (Link l : links) {
            l.keepUpstream = true;
            reset(l.client);
            detached.add(l);
        }
        links.clear();
    }

    /**
     * Relays nothing more either way on the connections relayed now and closes neither side, whatever either does:
     * a partition between them, which neither is told about.
     */
    void freeze() {
        for (Link l : links) {
            l.frozen = true;
            l.dropRequests = true;
            l.dropAnswers = true;
            detached.add(l);
        }
        links.clear();
    }

    /**
     * Writes what {@link #holdRequests} kept to the broker's side, on connections whose client side was cut; returns
     * how many of those writes the socket took (a socket the broker closed may still take one write).
     */
    int releaseHeld() {
        int written = 0;
        for (Link l : detached) {
            byte[] bytes;
            synchronized (l.held) {
                bytes = l.held.toByteArray();
                l.held.reset();
            }
            if (bytes.length == 0) {
                continue;
            }
            try {
                OutputStream out = l.upstream.getOutputStream();
                out.write(bytes);
                out.flush();
                written++;
            } catch (IOException e) {
                // the broker closed it
            }
        }
        return written;
    }

    /** New connections go to {@code port} from now on (a broker restarted on another port). */
    void retarget(int port) {
        targetPort = port;
    }

    /** Resets every relayed connection (both sides); the proxy keeps accepting new ones, which relay in full. */
    void cut() {
        for (Link l : links) {
            reset(l.client);
            reset(l.upstream);
        }
        links.clear();
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
        for (Link l : detached) {
            reset(l.client);
            reset(l.upstream);
        }
        detached.clear();
    }
}
