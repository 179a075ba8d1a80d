package org.ternmq.broker.net;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs problems of connections (malformed frames, silent clients, failed TLS handshakes) at most once per
 * interval for each client address, with the count of those not logged since: a client that sends garbage
 * in a loop must not fill the disk with the same line. Thread-safe; shared by an acceptor's channels.
 */
final class ConnectionProblemLog {

    private record Window(long startMillis, int suppressed) {
    }

    private final Logger log;
    private final long intervalMillis;
    private final ConcurrentHashMap<String, Window> byAddress = new ConcurrentHashMap<>();

    ConnectionProblemLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalMillis = intervalMillis;
    }

    /** Logs {@code message} (a format with {@code {}} for the address first) unless this address logged one lately. */
    void warn(SocketAddress remote, String message, Object... args) {
        String key = key(remote);
        long now = System.currentTimeMillis();
        int[] suppressedBefore = {-1};
        byAddress.compute(key, (k, w) -> {
            if (w == null || now - w.startMillis >= intervalMillis) {
                suppressedBefore[0] = w == null ? 0 : w.suppressed;
                return new Window(now, 0);
            }
            return new Window(w.startMillis, w.suppressed + 1);
        });
        if (suppressedBefore[0] < 0) {
            return;
        }
        if (byAddress.size() > 10_000) {
            byAddress.values().removeIf(w -> now - w.startMillis >= intervalMillis);
        }
        Object[] all = new Object[args.length + 1];
        all[0] = remote;
        System.arraycopy(args, 0, all, 1, args.length);
        String suffix = suppressedBefore[0] == 0 ? "" : " (" + suppressedBefore[0] + " more from " + key
                + " not logged in the last " + intervalMillis / 1000 + " s)";
        if (log.isWarnEnabled()) {
            log.warn(message + suffix, all);
        }
    }

    private static String key(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa) {
            return isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
        }
        return String.valueOf(remote);
    }
}
