package org.ternmq.jndi;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;

import javax.naming.ConfigurationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTopic;

/**
 * Builds a read-only JNDI {@link Context} of Tern administered objects from the environment, with
 * {@code jndi.properties} on the class path as defaults:
 * <pre>
 *   java.naming.factory.initial = org.ternmq.jndi.TernInitialContextFactory
 *   connectionFactory.MyConnectionFactory = tern://localhost:61616
 *   connectionFactory.Durable = vm://broker?clientId=cts
 *   xaConnectionFactory.XAConnectionFactory = tern://localhost:61616
 *   queue.MY_QUEUE = orders
 *   topic.MY_TOPIC = prices
 * </pre>
 * Each {@code connectionFactory.<name>} binds a {@link TernConnectionFactory} for the URL, each
 * {@code xaConnectionFactory.<name>} a {@link TernXAConnectionFactory} (XA and plain factory in one), each
 * {@code queue.<name>} / {@code topic.<name>} a queue or topic of the given name. Stateless; each call
 * builds a new context.
 */
public class TernInitialContextFactory implements InitialContextFactory {

    public static final String CONNECTION_FACTORY_PREFIX = "connectionFactory.";
    public static final String XA_CONNECTION_FACTORY_PREFIX = "xaConnectionFactory.";
    public static final String QUEUE_PREFIX = "queue.";
    public static final String TOPIC_PREFIX = "topic.";

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Map<String, Object> settings = new HashMap<>();
        loadDefaults(settings);
        if (environment != null) {
            environment.forEach((k, v) -> settings.put(String.valueOf(k), v));
        }
        Map<String, Object> bindings = new HashMap<>();
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            String key = e.getKey();
            if (!(e.getValue() instanceof String value)) {
                continue;
            }
            try {
                if (key.startsWith(XA_CONNECTION_FACTORY_PREFIX)) {
                    bindings.put(name(key, XA_CONNECTION_FACTORY_PREFIX), new TernXAConnectionFactory(value.trim()));
                } else if (key.startsWith(CONNECTION_FACTORY_PREFIX)) {
                    bindings.put(name(key, CONNECTION_FACTORY_PREFIX), new TernConnectionFactory(value.trim()));
                } else if (key.startsWith(QUEUE_PREFIX)) {
                    bindings.put(name(key, QUEUE_PREFIX), new TernQueue(value.trim()));
                } else if (key.startsWith(TOPIC_PREFIX)) {
                    bindings.put(name(key, TOPIC_PREFIX), new TernTopic(value.trim()));
                }
            } catch (IllegalArgumentException bad) {
                ConfigurationException ce = new ConfigurationException("bad JNDI entry " + key + "=" + value + ": "
                        + bad.getMessage());
                ce.setRootCause(bad);
                throw ce;
            }
        }
        Hashtable<Object, Object> env = new Hashtable<>();
        if (environment != null) {
            env.putAll(environment);
        }
        return new ReadOnlyContext(bindings, env);
    }

    private static String name(String key, String prefix) throws ConfigurationException {
        String name = key.substring(prefix.length());
        if (name.isEmpty()) {
            throw new ConfigurationException("JNDI entry " + key + " has no name after the prefix");
        }
        return name;
    }

    private static void loadDefaults(Map<String, Object> settings) throws NamingException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = TernInitialContextFactory.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream("jndi.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                properties.forEach((k, v) -> settings.put(String.valueOf(k), v));
            }
        } catch (IOException e) {
            ConfigurationException ce = new ConfigurationException("cannot read jndi.properties: " + e.getMessage());
            ce.setRootCause(e);
            throw ce;
        }
    }
}
