package org.ternmq.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the Netty channel classes and event loops for each transport type. TCP runs on Linux's native epoll
 * transport where it loads (fewer system calls and less garbage per read and write than the JDK's selector: the
 * same choice ActiveMQ Artemis makes by default), else on NIO loops; in-VM runs on {@link LocalChannel} loops.
 * All carry the same pipeline ({@link ProtocolPipeline}). The system property {@value #NIO_PROPERTY}{@code =true}
 * keeps TCP on NIO (to compare, or where a native library must not be loaded). Stateless once loaded.
 */
public final class TransportGroups {

    /** Set to {@code true} to run TCP on NIO even where epoll is available. */
    public static final String NIO_PROPERTY = "tern.transport.nio";

    private static final Logger LOG = LoggerFactory.getLogger(TransportGroups.class);
    private static final boolean EPOLL = chooseEpoll();

    private TransportGroups() {
    }

    private static boolean chooseEpoll() {
        if (Boolean.getBoolean(NIO_PROPERTY)) {
            return false;
        }
        try {
            if (Epoll.isAvailable()) {
                return true;
            }
            LOG.debug("TCP runs on NIO: the native epoll transport is not available: {}",
                    String.valueOf(Epoll.unavailabilityCause()));
        } catch (LinkageError e) {
            LOG.debug("TCP runs on NIO: the native epoll transport could not be loaded: {}", e.toString());
        }
        return false;
    }

    /** Whether TCP runs on the native epoll transport in this JVM. */
    public static boolean nativeEpoll() {
        return EPOLL;
    }

    /**
     * A bind that failed because the address is taken, as the {@link java.net.BindException} NIO throws: the native
     * transport reports it as a plain {@code IOException} ("bind(..) failed: Address already in use"), and callers
     * tell a taken port from other failures by the exception's type. Anything else is returned as it is.
     */
    public static Exception bindFailure(Exception e) {
        if (e instanceof java.io.IOException && !(e instanceof java.net.BindException) && e.getMessage() != null
                && e.getMessage().contains("Address already in use")) {
            java.net.BindException b = new java.net.BindException(e.getMessage());
            b.initCause(e);
            return b;
        }
        return e;
    }

    /** A new event loop group for {@code type}, with daemon threads named after {@code name}. */
    public static EventLoopGroup newGroup(TransportAddress.Type type, String name, int threads) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory(type));
    }

    /**
     * What the loops of a group need to serve channels of {@code type} in this JVM (epoll or NIO for TCP): for a
     * group made elsewhere that must serve them (the broker's agent loop serves its TCP connections).
     */
    public static IoHandlerFactory ioHandlerFactory(TransportAddress.Type type) {
        return type != TransportAddress.Type.TCP ? LocalIoHandler.newFactory()
                : EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public static Class<? extends Channel> clientChannelClass(TransportAddress.Type type) {
        return type != TransportAddress.Type.TCP ? LocalChannel.class
                : EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static Class<? extends ServerChannel> serverChannelClass(TransportAddress.Type type) {
        return type != TransportAddress.Type.TCP ? LocalServerChannel.class
                : EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
