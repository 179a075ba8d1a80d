package org.ternmq.broker.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.ternmq.broker.core.BrokerAgent;
import org.ternmq.broker.core.BrokerConnection;
import org.ternmq.protocol.MalformedFrameException;
import org.ternmq.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a broker-side pipeline: hands each decoded packet to the agent thread and never
 * blocks. A malformed frame closes only this connection, with the reason logged.
 *
 * <p>One instance per channel; Netty calls it on the channel's event loop.
 */
final class BrokerChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerChannelHandler.class);

    private final BrokerAgent agent;
    private final long handshakeTimeoutMillis;
    private final ConnectionProblemLog problems;
    private BrokerConnection connection;

    BrokerChannelHandler(BrokerAgent agent, long handshakeTimeoutMillis, ConnectionProblemLog problems) {
        this.agent = agent;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.problems = problems;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        BrokerConnection c = new BrokerConnection(agent, ctx.channel());
        connection = c;
        agent.execute(c::opened);
        // a client that connects and says nothing (or never finishes logging in) holds a socket: close it
        ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && !c.loggedIn()) {
                problems.warn(ctx.channel().remoteAddress(), "closing connection from {}: no handshake within {} ms",
                        handshakeTimeoutMillis);
                ctx.close();
            }
        }, handshakeTimeoutMillis, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        BrokerConnection c = connection;
        agent.execute(() -> c.handle(packet));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        BrokerConnection c = connection;
        if (c != null) {
            agent.execute(c::channelClosed);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof MalformedFrameException) {
            problems.warn(ctx.channel().remoteAddress(), "closing connection from {}: malformed frame: {}", root.getMessage());
        } else if (root instanceof javax.net.ssl.SSLException || root instanceof io.netty.handler.ssl.NotSslRecordException) {
            problems.warn(ctx.channel().remoteAddress(), "closing connection from {}: TLS handshake failed: {}",
                    root.getMessage());
        } else if (root instanceof IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), root.toString());
        } else {
            LOG.warn("closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), root);
        }
        ctx.close();
    }
}
