package org.ternmq.client;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.ternmq.protocol.Ping;

/**
 * Keeps a TCP connection known to be alive in both directions, installed after the handshake: when nothing was
 * read, or nothing written, for {@code heartbeat} milliseconds it sends the broker a {@link Ping} (correlation id
 * 0, answered {@code Ok(0)}, which the client ignores), so the broker always hears from a live client within its
 * TTL and a live broker is always heard from; when nothing at all was read for {@code connectionTtl} milliseconds
 * the broker is taken for dead (a paused process, a machine gone, a network that drops everything silently, none of
 * which TCP reports for hours) and the channel is closed: the client fails over, or the connection ends and the
 * {@code ExceptionListener} hears why.
 *
 * <p>Costs nothing per message: a read or a write only stores the time in a field (no listener on the write's
 * promise, unlike Netty's {@code IdleStateHandler}); one timer per connection looks at those times every
 * {@code heartbeat} milliseconds (well within the TTL, which is above the heartbeat).
 *
 * <p>One instance per channel; Netty calls it, and its timer runs, on the channel's event loop.
 */
final class Heartbeat extends ChannelDuplexHandler {

    static final String NAME = "heartbeat";

    private final ClientConnection connection;
    private final long heartbeatNanos;
    private final long ttlNanos;
    private final int ttlMillis;
    private long lastRead = System.nanoTime();
    private long lastWrite = lastRead;
    private ScheduledFuture<?> timer;

    Heartbeat(ClientConnection connection, int heartbeatMillis, int ttlMillis) {
        this.connection = connection;
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        this.ttlMillis = ttlMillis;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // checked at a heartbeat, and at most a heartbeat late for the TTL
        long period = heartbeatNanos;
        timer = ctx.executor().scheduleAtFixedRate(() -> check(ctx), period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    private void stop() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        lastWrite = System.nanoTime();
        super.write(ctx, msg, promise);
    }

    private void check(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            stop();
            return;
        }
        long now = System.nanoTime();
        String dead = deadReason(now, lastRead, ttlNanos, ttlMillis);
        if (dead != null) {
            connection.onChannelError(new java.io.IOException(dead));
            stop();
            ctx.close();
            return;
        }
        if (pingDue(now, lastRead, lastWrite, heartbeatNanos)) {
            // from the tail: this handler sits before the encoder
            ctx.channel().writeAndFlush(new Ping(0), ctx.channel().voidPromise());
        }
    }

    /** Why a connection that last read at {@code lastRead} is taken for dead now, or null while it is not. */
    static String deadReason(long now, long lastRead, long ttlNanos, int ttlMillis) {
        long silent = now - lastRead;
        if (silent < ttlNanos) {
            return null;
        }
        return "nothing received from the broker for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms (connectionTtl "
                + ttlMillis + " ms): taken for dead";
    }

    /** Whether a ping is due: nothing read, or nothing written, for about a heartbeat. */
    static boolean pingDue(long now, long lastRead, long lastWrite, long heartbeatNanos) {
        // a margin of a millisecond: the timer's period is the heartbeat, so "just under" would skip a whole period
        long due = heartbeatNanos - TimeUnit.MILLISECONDS.toNanos(1);
        return now - lastRead >= due || now - lastWrite >= due;
    }
}
