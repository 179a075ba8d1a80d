package org.ternmq.client;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;

import org.ternmq.transport.TransportAddress;
import org.ternmq.transport.TransportGroups;

/**
 * The client event-loop groups, one per transport type, shared by all connections of this JVM and
 * reference-counted: created by the first {@link #acquire}, shut down by the {@link #release} of the last
 * connection using it, so an application that closes its connections leaves no Netty threads behind.
 * Thread-safe; the one lock guards only the counts and is never held while I/O happens.
 */
final class ClientEventLoops {

    private static final Map<TransportAddress.Type, Shared> GROUPS = new EnumMap<>(TransportAddress.Type.class);

    private ClientEventLoops() {
    }

    private static final class Shared {
        final EventLoopGroup group;
        int users;

        Shared(EventLoopGroup group) {
            this.group = group;
        }
    }

    static EventLoopGroup acquire(TransportAddress.Type type) {
        synchronized (GROUPS) {
            Shared shared = GROUPS.get(type);
            if (shared == null) {
                int threads = type == TransportAddress.Type.TCP
                        ? Math.max(1, Runtime.getRuntime().availableProcessors()) : 1;
                shared = new Shared(TransportGroups.newGroup(type, "tern-client-" + type.name().toLowerCase(), threads));
                GROUPS.put(type, shared);
            }
            shared.users++;
            return shared.group;
        }
    }

    static void release(TransportAddress.Type type, EventLoopGroup group) {
        EventLoopGroup toShutDown = null;
        synchronized (GROUPS) {
            Shared shared = GROUPS.get(type);
            if (shared != null && shared.group == group && --shared.users == 0) {
                GROUPS.remove(type);
                toShutDown = group;
            }
        }
        if (toShutDown != null) {
            toShutDown.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
