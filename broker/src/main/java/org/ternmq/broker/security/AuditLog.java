package org.ternmq.broker.security;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail, on its own logger {@value #LOGGER_NAME} so that it can be routed to its own file and
 * kept: logins, failed logins, permission denials and management operations, one line each, as
 * {@code event key=value...}. Never passwords. Stateless; any thread.
 */
public final class AuditLog {

    /** The SLF4J logger name of every audit line. */
    public static final String LOGGER_NAME = "org.ternmq.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private AuditLog() {
    }

    public static void login(String user, String connectionId, SocketAddress remote, String how) {
        LOG.info("login user={} connection={} from={} via={}", quote(user), connectionId, address(remote), how);
    }

    public static void loginFailed(String user, SocketAddress remote, String reason, int failuresFromAddress) {
        LOG.warn("login-failed user={} from={} reason={} failures-from-address={}", quote(user), address(remote),
                quote(reason), failuresFromAddress);
    }

    public static void denied(String user, String connectionId, SocketAddress remote, String permission,
                              String destination) {
        LOG.warn("denied user={} connection={} from={} permission={} destination={}", quote(user), connectionId,
                address(remote), permission, quote(destination));
    }

    /** A management operation, asked over a connection or JMX (connectionId "jmx"); outcome "ok" or the error. */
    public static void management(String user, String connectionId, String operation, String arguments, String outcome) {
        LOG.info("manage user={} connection={} operation={} arguments={} outcome={}", quote(user), connectionId,
                operation, quote(arguments), quote(outcome));
    }

    /** A user management command of {@code tern user}. */
    public static void userCommand(String command, String user, String file) {
        LOG.info("user-{} user={} file={} by={}", command, quote(user), quote(file), quote(System.getProperty("user.name")));
    }

    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            return isa.getAddress().getHostAddress() + ":" + isa.getPort();
        }
        return String.valueOf(remote);
    }

    /** Quotes a value a client chose, so a crafted name cannot forge a field or a line. */
    static String quote(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
