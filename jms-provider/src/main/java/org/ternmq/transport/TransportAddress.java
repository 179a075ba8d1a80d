package org.ternmq.transport;

import io.netty.channel.local.LocalAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * One place a broker can be reached: a TCP host and port, or the name of an in-VM acceptor in this JVM.
 *
 * @param type   TCP or in-VM
 * @param host   the TCP host (null for in-VM)
 * @param port   the TCP port (0 for in-VM)
 * @param vmName the in-VM acceptor's name (null for TCP)
 */
public record TransportAddress(Type type, String host, int port, String vmName) {

    /** Default TCP port of a Tern broker. */
    public static final int DEFAULT_PORT = 61616;

    public enum Type { TCP, VM }

    public TransportAddress {
        Objects.requireNonNull(type, "type");
        if (type == Type.TCP) {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("TCP address needs a host");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        } else if (vmName == null || vmName.isEmpty()) {
            throw new IllegalArgumentException("in-VM address needs a name");
        }
    }

    public static TransportAddress tcp(String host, int port) {
        return new TransportAddress(Type.TCP, host, port, null);
    }

    public static TransportAddress vm(String name) {
        return new TransportAddress(Type.VM, null, 0, name);
    }

    /** The Netty address to bind or connect to. */
    public SocketAddress socketAddress() {
        return type == Type.TCP ? new InetSocketAddress(host, port) : new LocalAddress("tern-vm-" + vmName);
    }

    @Override
    public String toString() {
        return type == Type.TCP ? host + ":" + port : "vm://" + vmName;
    }
}
