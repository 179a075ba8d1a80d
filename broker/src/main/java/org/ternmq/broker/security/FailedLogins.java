package org.ternmq.broker.security;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per client address and says how long the next attempt from there waits: the base
 * delay doubled with each failure, up to sixteen times the base; an address is forgotten after
 * {@value #FORGET_AFTER_MILLIS} ms without a failure. Slowing the guesses of one address does not slow the
 * others. Thread-safe.
 */
final class FailedLogins {

    static final long FORGET_AFTER_MILLIS = 5 * 60_000L;
    private static final int MAX_DOUBLINGS = 4;

    private record Failures(int count, long lastMillis) {
    }

    private final long baseDelayMillis;
    private final ConcurrentHashMap<String, Failures> byAddress = new ConcurrentHashMap<>();

    FailedLogins(long baseDelayMillis) {
        this.baseDelayMillis = baseDelayMillis;
    }

    /** Records a failure; returns the count of recent failures from that address, this one included. */
    int failed(SocketAddress remote, long nowMillis) {
        purge(nowMillis);
        return byAddress.merge(key(remote), new Failures(1, nowMillis), (old, one) -> new Failures(
                fresh(old, nowMillis) ? old.count + 1 : 1, nowMillis)).count;
    }

    /** Milliseconds a new attempt from {@code remote} waits before it is checked (0: none). */
    long delayBeforeAttempt(SocketAddress remote, long nowMillis) {
        Failures f = byAddress.get(key(remote));
        if (f == null || !fresh(f, nowMillis)) {
            return 0;
        }
        return Math.max(0, f.lastMillis + penalty(f.count) - nowMillis);
    }

    /** The delay that the {@code count}th failure in a row earns. */
    long penalty(int count) {
        return baseDelayMillis << Math.min(MAX_DOUBLINGS, Math.max(0, count - 1));
    }

    private static boolean fresh(Failures f, long nowMillis) {
        return nowMillis - f.lastMillis < FORGET_AFTER_MILLIS;
    }

    private void purge(long nowMillis) {
        if (byAddress.size() > 10_000) {
            byAddress.values().removeIf(f -> !fresh(f, nowMillis));
        }
    }

    /** Per host, not per port: a client opens a new connection, with a new port, for each attempt. */
    static String key(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa) {
            return isa.getAddress() != null ? isa.getAddress().getHostAddress() : isa.getHostString();
        }
        return "in-vm";
    }
}
