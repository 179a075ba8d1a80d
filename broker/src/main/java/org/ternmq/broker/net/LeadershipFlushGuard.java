package org.ternmq.broker.net;

import java.util.function.Supplier;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * The last check before a live broker's answers leave it for the socket: a broker whose ZooKeeper lease ran out (or
 * that the election fenced) closes the connection instead of flushing. Answers are decided on the agent thread with
 * the lease checked, but reach the socket later (when the agent's task or read burst ends, for a TCP connection
 * on the same thread; on the in-VM loop otherwise); a broker paused in between (a stop signal, a long
 * stall) would otherwise send, once it runs again, answers to work another live broker may never have. The client
 * sees its connection go and fails over, where the outcome of what it had under way is settled. The window left is
 * this check to the socket write. On a broker without replication the check is a null read.
 */
final class LeadershipFlushGuard extends ChannelOutboundHandlerAdapter {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeadershipFlushGuard.class);

    private final Supplier<String> leadershipLost;

    LeadershipFlushGuard(Supplier<String> leadershipLost) {
        this.leadershipLost = leadershipLost;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        String why = leadershipLost.get();
        if (why != null) {
            if (!ctx.channel().isOpen()) {
                return; // closed already by an earlier flush
            }
            LOG.warn("closing connection from {} instead of answering: {}", ctx.channel().remoteAddress(), why);
            ctx.close();
            return;
        }
        ctx.flush();
    }
}
