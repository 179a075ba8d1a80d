package org.ternmq.broker.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.ternmq.broker.core.BrokerAgent;
import org.ternmq.transport.ProtocolPipeline;
import org.ternmq.transport.TransportAddress;
import org.ternmq.transport.TransportGroups;

/**
 * Listens on one transport (TCP or in-VM) and installs the protocol pipeline on each accepted channel.
 *
 * <p>A TCP acceptor serves its connections on the agent's event loop ({@link BrokerAgent#eventLoopGroup}), so a
 * packet is handled on the thread that read it; it accepts on a thread of its own, and leaves the agent's loop to
 * the agent to stop. TLS then costs that thread the encryption of the records; the handshakes' expensive steps run
 * on threads of their own ({@code tern-tls-handshake}). An in-VM acceptor has its own
 * loop, which hands the packets to the agent.
 *
 * <p>Started and closed by one thread (the broker's owner); Netty runs the rest on its event loops.
 */
public final class BrokerAcceptor implements AutoCloseable {

    private final TransportAddress address;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    /** Whether {@link #workerGroup} is this acceptor's to stop (in-VM), not the agent's (TCP). */
    private final boolean ownsWorkers;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel serverChannel;
    /**
     * Where the TLS handshakes' expensive steps (key exchange, signatures, certificate checks: the engine's delegated
     * tasks) run, so that a burst of new TLS connections does not hold up the agent's loop; null without TLS. The
     * records of an established connection are still encrypted and decrypted on the loop.
     */
    private java.util.concurrent.ExecutorService handshakes;
    private static final int HANDSHAKE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private BrokerAcceptor(TransportAddress address, BrokerAgent agent) {
        this.address = address;
        boolean tcp = address.type() == TransportAddress.Type.TCP;
        this.bossGroup = TransportGroups.newGroup(address.type(), tcp ? "tern-tcp-accept" : "tern-vm-accept", 1);
        this.ownsWorkers = !tcp;
        this.workerGroup = tcp ? agent.eventLoopGroup() : TransportGroups.newGroup(address.type(), "tern-vm-io", 1);
    }

    /** Binds and returns a running acceptor. @throws Exception if the address cannot be bound */
    public static BrokerAcceptor bind(TransportAddress address, BrokerAgent agent, int maxFrameLength)
            throws Exception {
        return bind(address, agent, maxFrameLength, DEFAULT_HANDSHAKE_TIMEOUT_MILLIS, null);
    }

    /** Milliseconds a new connection has to log in when nothing else is said. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** At most one line per client address and problem kind in this many milliseconds. */
    static final long PROBLEM_LOG_INTERVAL_MILLIS = 60_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BrokerAcceptor.class);

    /**
     * Binds and returns a running acceptor.
     *
     * @param handshakeTimeoutMillis a connection not logged in by then is closed
     * @param tls the TLS context of the acceptor, or null for plain TCP (or in-VM)
     * @throws Exception if the address cannot be bound
     */
    public static BrokerAcceptor bind(TransportAddress address, BrokerAgent agent, int maxFrameLength,
                                      long handshakeTimeoutMillis, io.netty.handler.ssl.SslContext tls) throws Exception {
        BrokerAcceptor acceptor = new BrokerAcceptor(address, agent);
        try {
            acceptor.start(agent, maxFrameLength, handshakeTimeoutMillis, tls);
            return acceptor;
        } catch (Exception e) {
            acceptor.close();
            throw TransportGroups.bindFailure(e);
        } catch (Error e) {
            acceptor.close();
            throw e;
        }
    }

    private void start(BrokerAgent agent, int maxFrameLength, long handshakeTimeoutMillis,
                       io.netty.handler.ssl.SslContext tls) throws InterruptedException {
        ConnectionProblemLog problems = new ConnectionProblemLog(LOG, PROBLEM_LOG_INTERVAL_MILLIS);
        if (tls != null) {
            handshakes = java.util.concurrent.Executors.newFixedThreadPool(HANDSHAKE_THREADS,
                    new io.netty.util.concurrent.DefaultThreadFactory("tern-tls-handshake", true));
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(TransportGroups.serverChannelClass(address.type()))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        if (tls != null) {
                            io.netty.handler.ssl.SslHandler ssl = tls.newHandler(ch.alloc(), handshakes);
                            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        ProtocolPipeline.install(ch.pipeline(), maxFrameLength,
                                new BrokerChannelHandler(agent, handshakeTimeoutMillis, problems));
                        ch.pipeline().addBefore("decoder", "leadership", new LeadershipFlushGuard(agent::leadershipLost));
                    }
                });
        if (address.type() == TransportAddress.Type.TCP) {
            b.option(ChannelOption.SO_REUSEADDR, true).childOption(ChannelOption.TCP_NODELAY, true);
        }
        serverChannel = b.bind(address.socketAddress()).sync().channel();
    }

    /** The bound TCP port (useful when bound to port 0), or 0 for in-VM. */
    public int port() {
        return serverChannel != null && serverChannel.localAddress() instanceof InetSocketAddress isa ? isa.getPort() : 0;
    }

    public TransportAddress address() {
        return address;
    }

    /** Stops taking connections; those open stay until {@link #close}. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (ownsWorkers) {
            workerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (handshakes != null) {
            handshakes.shutdownNow();
        }
    }
}
