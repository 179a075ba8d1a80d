package org.ternmq.broker.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.Console;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ClientException;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.transport.TransportAddress;
import picocli.CommandLine.Option;

/**
 * How a command reaches the broker: {@code --url}, {@code --user}, and the password from the environment
 * variable {@value #PASSWORD_VARIABLE} or, when it is not set, a prompt on the terminal.
 */
final class BrokerOptions {

    static final String DEFAULT_URL = "tern://127.0.0.1:61616";
    static final String PASSWORD_VARIABLE = "TERN_PASSWORD";

    @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
            description = "the broker's connection URL (default: ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--user", paramLabel = "USER",
            description = "the user to connect as; the password comes from $" + PASSWORD_VARIABLE + ", else a prompt")
    String user;

    /** Where the password comes from; replaced in tests. */
    static java.util.function.Function<String, String> environment = System::getenv;

    private ConnectionUrl parsedUrl() {
        try {
            return ConnectionUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(CliFailure.USAGE, "bad --url '" + url + "': " + e.getMessage());
        }
    }

    private String password() {
        if (user == null) {
            return null;
        }
        String fromEnvironment = environment.apply(PASSWORD_VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliFailure(CliFailure.USAGE, "--user " + user + " needs a password: set " + PASSWORD_VARIABLE
                    + " or run in a terminal to be asked for it");
        }
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null) {
            throw new CliFailure(CliFailure.USAGE, "no password given");
        }
        return new String(typed);
    }

    /** A management connection; the caller closes it. */
    ClientConnection manage() {
        ConnectionUrl parsed = parsedUrl();
        try {
            return ClientConnection.connect(parsed, user, password());
        } catch (ClientException e) {
            throw failure(parsed, e, e.isConnectionFailure());
        }
    }

    /** A JMS connection, not started; the caller closes it. */
    Connection jms() {
        ConnectionUrl parsed = parsedUrl();
        try {
            TernConnectionFactory cf = new TernConnectionFactory(url);
            return user == null ? cf.createConnection() : cf.createConnection(user, password());
        } catch (JMSSecurityException e) {
            throw new CliFailure(CliFailure.REFUSED, "the broker refused the connection: " + e.getMessage());
        } catch (JMSException e) {
            throw failure(parsed, e, true);
        }
    }

    /** The one line a user sees when a connection fails; "connection refused" when nothing listens. */
    static CliFailure failure(ConnectionUrl url, Exception e, boolean connectionFailure) {
        if (connectionFailure) {
            TransportAddress a = url.addresses().get(0);
            String where = a.type() == TransportAddress.Type.TCP ? a.host() + ":" + a.port() : a.toString();
            if (causedBy(e, java.net.ConnectException.class)) {
                return new CliFailure(CliFailure.CANNOT_CONNECT, "cannot connect to " + where
                        + ": connection refused (is a broker running?)");
            }
            return new CliFailure(CliFailure.CANNOT_CONNECT, "cannot connect to " + where + ": " + e.getMessage());
        }
        return new CliFailure(CliFailure.REFUSED, e.getMessage());
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c instanceof JMSException j && j.getLinkedException() != null && type.isInstance(j.getLinkedException())) {
                return true;
            }
        }
        return false;
    }
}
