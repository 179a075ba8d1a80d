package org.ternmq.broker.management;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.security.Authenticator;
import org.ternmq.broker.security.LoginRequest;

/**
 * The broker's JMX beans over the network, as JConsole and other JMX clients reach them: an RMI registry and the
 * RMI connector on one port ({@code jmx-port}), bound to {@code jmx-host} only, at
 * {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}. On a broker with users a client logs in with the name and
 * password of a user with the {@code admin} role (a broker login: the login module, the slowing of failures, the
 * audit log); a broker without users refuses a non-loopback {@code jmx-host} (checked by the configuration).
 * Only a {@code String[]} of credentials is accepted from clients, so no other object is deserialised before login.
 *
 * <p>{@link #start} and {@link #close} from any thread.
 */
public final class JmxRemote implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JmxRemote.class);

    private final JMXConnectorServer server;
    private final Registry registry;
    private final JMXServiceURL url;

    private JmxRemote(JMXConnectorServer server, Registry registry, JMXServiceURL url) {
        this.server = server;
        this.registry = registry;
        this.url = url;
    }

    /**
     * Starts the connector on {@code host:port} (0: a free port, see {@link #url}).
     *
     * @param authenticator the broker's logins; with users, clients must log in as an administrator
     * @throws IOException when the port cannot be bound
     */
    public static JmxRemote start(String host, int port, Authenticator authenticator) throws IOException {
        InetAddress bindTo = InetAddress.getByName(host);
        LocalSockets sockets = new LocalSockets(bindTo);
        // stubs handed to clients name this host (the JVM-wide RMI setting), unless the operator set it already
        if (System.getProperty("java.rmi.server.hostname") == null) {
            System.setProperty("java.rmi.server.hostname", host);
        }
        if (port == 0) {
            // RMI may export a port-0 object on a listener it already has, so the port is chosen here
            try (ServerSocket probe = new ServerSocket(0, 1, bindTo)) {
                port = probe.getLocalPort();
            }
        }
        Registry registry = LocateRegistry.createRegistry(port, null, sockets);
        try {
            Map<String, Object> env = new HashMap<>();
            env.put(javax.management.remote.rmi.RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
            env.put("jmx.remote.rmi.server.credential.types", new String[] {String[].class.getName(),
                String.class.getName()});
            if (authenticator.hasUsers()) {
                env.put(JMXConnectorServer.AUTHENTICATOR, new AdministratorLogin(authenticator));
            }
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":"
                    + port + "/jmxrmi");
            JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env,
                    ManagementFactory.getPlatformMBeanServer());
            server.start();
            LOG.info("JMX listening on {}{}", url, authenticator.hasUsers() ? " (admin users log in)" : "");
            return new JmxRemote(server, registry, url);
        } catch (IOException | RuntimeException e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
    }

    /** The address JMX clients connect to. */
    public JMXServiceURL url() {
        return url;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            LOG.debug("JMX connector did not stop cleanly: {}", e.toString());
        }
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (java.rmi.NoSuchObjectException e) {
            LOG.debug("JMX registry already gone: {}", e.toString());
        }
    }

    /**
     * Server sockets bound to the configured address only. Equal when bound alike, which RMI needs to export the
     * registry and the connector on one port.
     */
    private static final class LocalSockets implements RMIServerSocketFactory {
        private final InetAddress address;

        LocalSockets(InetAddress address) {
            this.address = address;
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LocalSockets l && l.address.equals(address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }
    }

    /** A JMX login is a broker login by a user with the admin role. */
    private record AdministratorLogin(Authenticator authenticator) implements JMXAuthenticator {
        @Override
        public Subject authenticate(Object credentials) {
            if (!(credentials instanceof String[] c) || c.length != 2 || c[0] == null || c[1] == null) {
                throw new SecurityException("JMX needs the user name and password of an admin user");
            }
            CompletableFuture<Authenticator.Outcome> outcome = new CompletableFuture<>();
            authenticator.login(new LoginRequest(c[0], c[1], null, clientAddress()), "jmx", outcome::complete);
            Authenticator.Outcome o;
            try {
                o = outcome.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SecurityException("interrupted");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new SecurityException("login failed");
            }
            if (!o.succeeded()) {
                throw new SecurityException("login refused: " + o.refusal());
            }
            if (!authenticator.isAdministrator(o.user())) {
                throw new SecurityException("user '" + c[0] + "' lacks the admin role that JMX needs");
            }
            return new Subject(true, Set.of(new JMXPrincipal(o.user().name())), Set.of(), Set.of());
        }

        private static SocketAddress clientAddress() {
            try {
                return new InetSocketAddress(java.rmi.server.RemoteServer.getClientHost(), 0);
            } catch (java.rmi.server.ServerNotActiveException e) {
                return null;
            }
        }
    }
}
