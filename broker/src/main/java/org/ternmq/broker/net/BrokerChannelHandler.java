package org.ternmq.broker.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ternmq.broker.core.BrokerAgent;
import org.ternmq.broker.core.BrokerConnection;
import org.ternmq.protocol.MalformedFrameException;
import org.ternmq.protocol.Packet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a broker-side pipeline: hands each decoded packet to the agent and never blocks. A
 * malformed frame closes only this connection, with the reason logged.
 *
 * <p>A TCP channel is served by the agent's own event loop ({@link BrokerAgent#eventLoopGroup}): its packets are
 * handled right here, as they are read ({@link BrokerAgent#runInBurst}), and the agent ends the read burst once
 * (one store batch, one flush). A channel on another loop (in-VM) gathers the packets its loop reads in one turn
 * and hands them to the agent as one task.
 *
 * <p>One instance per channel; Netty calls it on the channel's event loop.
 */
final class BrokerChannelHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerChannelHandler.class);

    private final BrokerAgent agent;
    private final long handshakeTimeoutMillis;
    private final ConnectionProblemLog problems;
    private BrokerConnection connection;
    /** Packets of the current read not yet handed to the agent (a channel off the agent's loop only). */
    private List<Packet> pending = new ArrayList<>();

    BrokerChannelHandler(BrokerAgent agent, long handshakeTimeoutMillis, ConnectionProblemLog problems) {
        this.agent = agent;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.problems = problems;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        BrokerConnection c = new BrokerConnection(agent, ctx.channel());
        connection = c;
        toAgent(c::opened);
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
        if (agent.inAgentThread()) {
            agent.runInBurst(() -> c.handle(packet));
            return;
        }
        if (pending.isEmpty()) {
            // handed over once this loop turn's reads are done (an in-VM peer's writes may come in several reads)
            ctx.executor().execute(this::handOverPending);
        }
        pending.add(packet);
    }

    /** Hands the packets gathered off the agent's loop to the agent, as one task, each handled apart. */
    private void handOverPending() {
        if (pending.isEmpty()) {
            return;
        }
        List<Packet> packets = pending;
        pending = new ArrayList<>();
        BrokerConnection c = connection;
        agent.execute(() -> {
            for (Packet p : packets) {
                try {
                    c.handle(p);
                } catch (RuntimeException | Error e) {
                    LOG.error("unexpected failure handling {} of {}", p.type(), c, e);
                }
            }
        });
    }

    /** Runs {@code task} on the agent: here, when this is its thread, else as a task of its own. */
    private void toAgent(Runnable task) {
        if (agent.inAgentThread()) {
            agent.runInBurst(task);
        } else {
            agent.execute(task);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        BrokerConnection c = connection;
        if (c != null) {
            handOverPending();
            toAgent(c::channelClosed);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent
                && ctx.pipeline().get("ttl") instanceof io.netty.handler.timeout.IdleStateHandler ttl) {
            // the client pings more often than this when it is alive (BrokerConnection installs the handler)
            problems.warn(ctx.channel().remoteAddress(), "closing connection from {}: nothing received for {} ms, its"
                    + " connection TTL", ttl.getReaderIdleTimeInMillis());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
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
