package org.ternmq.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
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
 * <p>One instance per channel; Netty calls it on the channel's event loop.
 */
final class Heartbeat extends IdleStateHandler {

    static final String NAME = "heartbeat";

    private final ClientConnection connection;
    private final long ttlNanos;
    private final int ttlMillis;
    private long lastRead = System.nanoTime();

    Heartbeat(ClientConnection connection, int heartbeatMillis, int ttlMillis) {
        super(heartbeatMillis, heartbeatMillis, 0, TimeUnit.MILLISECONDS);
        this.connection = connection;
        this.ttlMillis = ttlMillis;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastRead = System.nanoTime();
        super.channelRead(ctx, msg);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.state() == IdleState.READER_IDLE && System.nanoTime() - lastRead >= ttlNanos) {
            connection.onChannelError(new java.io.IOException("nothing received from the broker for "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastRead) + " ms (connectionTtl " + ttlMillis
                    + " ms): taken for dead"));
            ctx.close();
            return;
        }
        // from the tail: this handler sits before the encoder
        ctx.channel().writeAndFlush(new Ping(0), ctx.channel().voidPromise());
    }
}
