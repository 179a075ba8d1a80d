package org.ternmq.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Chooses the Netty channel classes and event loops for each transport type. TCP runs on NIO loops and
 * in-VM on {@link LocalChannel} loops, with the same pipeline ({@link ProtocolPipeline}) on both.
 * Stateless.
 */
public final class TransportGroups {

    private TransportGroups() {
    }

    /** A new event loop group for {@code type}, with daemon threads named after {@code name}. */
    public static EventLoopGroup newGroup(TransportAddress.Type type, String name, int threads) {
        IoHandlerFactory factory = type == TransportAddress.Type.TCP
                ? NioIoHandler.newFactory() : LocalIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), factory);
    }

    public static Class<? extends Channel> clientChannelClass(TransportAddress.Type type) {
        return type == TransportAddress.Type.TCP ? NioSocketChannel.class : LocalChannel.class;
    }

    public static Class<? extends ServerChannel> serverChannelClass(TransportAddress.Type type) {
        return type == TransportAddress.Type.TCP ? NioServerSocketChannel.class : LocalServerChannel.class;
    }
}
