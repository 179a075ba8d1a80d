package org.ternmq.perf;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

import org.ternmq.jms.TernConnectionFactory;

/**
 * Where the load goes: a {@link ConnectionFactory} and a destination, either from a Tern URL or from a JNDI
 * properties file. Through a JNDI file the tool drives any Jakarta Messaging provider, which is how Tern is
 * compared with another broker on the same machine: past this class only the standard API is used.
 * Immutable after {@link #resolve}; any thread may connect.
 */
final class JmsEndpoint {
    private final ConnectionFactory factory;
    private final Destination administered;
    private final PerfSettings settings;
    private final String description;

    private JmsEndpoint(ConnectionFactory factory, Destination administered, PerfSettings settings,
            String description) {
        this.factory = factory;
        this.administered = administered;
        this.settings = settings;
        this.description = description;
    }

    /**
     * Builds the factory (no connection yet) and, with JNDI, looks up the destination.
     *
     * @throws EndpointException if the JNDI file cannot be read or the factory is not bound there
     */
    static JmsEndpoint resolve(PerfSettings settings) throws EndpointException {
        if (settings.jndi() == null) {
            return new JmsEndpoint(new TernConnectionFactory(settings.url()), null, settings, settings.url());
        }
        Properties environment = new Properties();
        try (Reader in = Files.newBufferedReader(settings.jndi(), StandardCharsets.UTF_8)) {
            environment.load(in);
        } catch (IOException e) {
            throw new EndpointException("cannot read JNDI file " + settings.jndi() + ": " + e.getMessage(), e);
        }
        Context context = null;
        try {
            context = new InitialContext(environment);
            Object factory = context.lookup(settings.factory());
            if (!(factory instanceof ConnectionFactory cf)) {
                throw new EndpointException("JNDI name '" + settings.factory() + "' in " + settings.jndi()
                        + " is a " + factory.getClass().getName() + ", not a jakarta.jms.ConnectionFactory", null);
            }
            Destination destination = lookupDestination(context, settings.destination());
            return new JmsEndpoint(cf, destination, settings,
                    "JNDI " + settings.jndi() + " (" + settings.factory() + ")");
        } catch (NamingException e) {
            throw new EndpointException("JNDI lookup in " + settings.jndi() + " failed: " + e, e);
        } finally {
            closeQuietly(context);
        }
    }

    /** The destination bound under {@code name}, or null when nothing is bound (the name is a physical one). */
    private static Destination lookupDestination(Context context, String name) throws NamingException {
        Object bound;
        try {
            bound = context.lookup(name);
        } catch (NameNotFoundException e) {
            return null;
        }
        return bound instanceof Destination d ? d : null;
    }

    private static void closeQuietly(Context context) {
        if (context != null) {
            try {
                context.close();
            } catch (NamingException ignored) {
                // nothing to release that matters to a finished lookup
            }
        }
    }

    /** Opens one connection (not started). */
    Connection connect() throws JMSException {
        return settings.user() != null
                ? factory.createConnection(settings.user(), settings.password())
                : factory.createConnection();
    }

    /** The destination for {@code session}: the administered one, or one the provider names. */
    Destination destination(Session session) throws JMSException {
        if (administered != null) {
            return administered;
        }
        return settings.topic()
                ? session.createTopic(settings.destination())
                : session.createQueue(settings.destination());
    }

    /** The URL or JNDI file, for messages and the summary. */
    String description() {
        return description;
    }

    /** The endpoint could not be set up; the message is for the user. */
    static final class EndpointException extends Exception {
        EndpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
