package org.ternmq.ra;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.transaction.xa.XAResource;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.ternmq.jms.TernSession;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTopic;

/**
 * One message-driven bean's activation: a connection with {@code maxSession} sessions, each with a consumer
 * whose messages go to an endpoint of the bean. When the bean's {@code onMessage} is transacted, each session
 * is an XA session whose {@code XAResource} is given to {@code createEndpoint}: the container starts its
 * transaction in {@code beforeDelivery}, the acknowledgement joins it, {@code afterDelivery} commits or rolls
 * it back; a rolled-back message comes back as the broker's redelivery policy says (delay, attempts, dead-letter
 * queue with the bean's exception recorded). Otherwise sessions acknowledge as {@code acknowledgeMode} says, and a
 * bean that throws gets the message again.
 *
 * <p>When the connection is lost (the broker restarts), everything is closed and a new connection is tried every
 * {@code reconnectInterval} until it works or {@code reconnectAttempts} are spent: activations resume without a
 * redeploy. {@link #stop()} closes the consumers and the connection, which frees a durable subscription for the
 * next deployment.
 *
 * <p>Threads: started and stopped by the container's threads; delivers on the client's listener threads (one per
 * session); reconnects on a work manager thread.
 */
final class TernEndpointActivation {

    private static final Logger LOG = Logger.getLogger(TernEndpointActivation.class.getName());
    private static final Method ON_MESSAGE;

    static {
        try {
            ON_MESSAGE = MessageListener.class.getMethod("onMessage", Message.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TernResourceAdapter adapter;
    private final MessageEndpointFactory factory;
    private final TernActivationSpec spec;
    private ConnectionSettings settings;
    private final Object lock = new Object();
    private Destination destination;
    private boolean transacted;
    /**
     * Whether the subscription is a shared one: asked for ({@code shareSubscriptions}), or durable without any
     * client id (Jakarta Messaging allows no unshared durable subscription without one; a shared durable
     * subscription is named by its subscription name alone, as OpenMQ's adapter names such an MDB's by the bean).
     */
    private boolean shared;
    private XAConnection connection;
    private final List<MessageEndpoint> endpoints = new ArrayList<>();
    private boolean stopped;

    TernEndpointActivation(TernResourceAdapter adapter, MessageEndpointFactory factory, TernActivationSpec spec) {
        this.adapter = adapter;
        this.factory = factory;
        this.spec = spec;
        this.settings = spec.settings(adapter);
    }

    /**
     * Resolves the destination now (a lookup needs the deploying thread's naming context), then connects on a
     * work manager thread, so a broker that is down does not fail the deployment (the activation consumes once it
     * is up).
     *
     * @throws ResourceException when the destination cannot be found or does not fit the activation
     */
    void start() throws ResourceException {
        settings = resolveSettings();
        shared = spec.shares() || spec.durable() && settings.clientId() == null;
        destination = resolveDestination();
        spec.validateFor(destination instanceof Topic && !(destination instanceof Queue));
        try {
            transacted = factory.isDeliveryTransacted(ON_MESSAGE);
        } catch (NoSuchMethodException e) {
            throw new ResourceException("the endpoint has no onMessage(Message): " + e.getMessage(), e);
        }
        // never on the activating thread: a container may refuse createEndpoint there, and may wait on it
        adapter.runWork(() -> connectUntilDone(0), "tern-activation-connect");
    }

    /**
     * The adapter's settings, or, with {@code connectionFactoryLookup}, those of the named factory of this adapter
     * (its URL, user, password and client id: an MDB's durable subscription takes the factory's client id); the
     * activation's own properties over either.
     */
    private ConnectionSettings resolveSettings() throws ResourceException {
        String lookup = spec.getConnectionFactoryLookup();
        if (lookup == null || lookup.isBlank()) {
            return spec.settings(adapter);
        }
        Object found;
        try {
            found = new InitialContext().lookup(lookup.trim());
        } catch (NamingException e) {
            throw new ResourceException("connectionFactoryLookup '" + lookup + "' is not bound: " + e.getMessage(), e);
        }
        if (!(found instanceof TernRaConnectionFactory factory)) {
            throw new ResourceException("connectionFactoryLookup '" + lookup + "' names " + found
                    + ", not a connection factory of Tern's resource adapter");
        }
        return spec.settingsOver(factory.settings());
    }

    private Destination resolveDestination() throws ResourceException {
        String lookup = spec.getDestinationLookup();
        String type = spec.destinationType();
        if (lookup != null && !lookup.isBlank()) {
            Object found;
            try {
                found = new InitialContext().lookup(lookup);
            } catch (NamingException e) {
                throw new ResourceException("destinationLookup '" + lookup + "' is not bound: " + e.getMessage(), e);
            }
            if (!(found instanceof Destination d)) {
                throw new ResourceException("destinationLookup '" + lookup + "' names " + found + ", not a destination");
            }
            if (TernActivationSpec.QUEUE.equals(type) && !(d instanceof Queue)
                    || TernActivationSpec.TOPIC.equals(type) && !(d instanceof Topic)) {
                throw new ResourceException("destinationLookup '" + lookup + "' is " + d + ", but destinationType is "
                        + type);
            }
            return d;
        }
        return TernActivationSpec.TOPIC.equals(type) ? new TernTopic(spec.getDestination().trim())
                : new TernQueue(spec.getDestination().trim());
    }

    private void connect() throws JMSException, ResourceException {
        XAConnection c = settings.factory().createXAConnection();
        boolean done = false;
        try {
            String clientId = settings.clientId();
            if (clientId != null && (spec.getClientId() != null || spec.durable() && !shared)) {
                c.setClientID(clientId);
            }
            c.setExceptionListener(e -> lost(c, e));
            List<MessageEndpoint> made = new ArrayList<>();
            boolean oneConsumer = destination instanceof Topic && !(destination instanceof Queue) && !shared;
            for (int i = 0, n = spec.sessions(oneConsumer); i < n; i++) {
                Session s = transacted ? c.createXASession()
                        : c.createSession(spec.dupsOk() ? Session.DUPS_OK_ACKNOWLEDGE : Session.AUTO_ACKNOWLEDGE);
                XAResource xa = transacted ? new EnlistedXAResource(((XASession) s).getXAResource(), settings) : null;
                MessageEndpoint endpoint = factory.createEndpoint(xa);
                made.add(endpoint);
                consumer(s).setMessageListener(new Delivery(s, endpoint));
            }
            synchronized (lock) {
                if (stopped) {
                    made.forEach(MessageEndpoint::release);
                    return;
                }
                connection = c;
                endpoints.addAll(made);
            }
            c.start();
            done = true;
            LOG.info("Tern activation " + spec + " consumes from " + destination + " over " + settings.url()
                    + (transacted ? " (XA transacted)" : ""));
        } finally {
            if (!done) {
                closeQuietly(c);
            }
        }
    }

    private MessageConsumer consumer(Session s) throws JMSException {
        String selector = spec.getMessageSelector() == null || spec.getMessageSelector().isBlank() ? null
                : spec.getMessageSelector();
        if (destination instanceof Topic topic && !(destination instanceof Queue)) {
            String name = spec.getSubscriptionName();
            if (spec.durable()) {
                return shared ? s.createSharedDurableConsumer(topic, name, selector)
                        : s.createDurableConsumer(topic, name, selector, false);
            }
            return shared ? s.createSharedConsumer(topic, name, selector) : s.createConsumer(topic, selector);
        }
        return s.createConsumer(destination, selector);
    }

    /** The connection failed: close what is left and connect again. */
    private void lost(XAConnection c, JMSException cause) {
        synchronized (lock) {
            if (stopped || connection != c) {
                return;
            }
            teardown();
        }
        LOG.warning("Tern activation " + spec + ": connection lost (" + cause.getMessage() + "); reconnecting");
        adapter.runWork(() -> connectUntilDone(spec.reconnectInterval(adapter)), "tern-activation-reconnect");
    }

    /**
     * Connects, retrying every {@code reconnectInterval} until it works, the activation stops, or
     * {@code reconnectAttempts} retries are spent. The first failure is logged as a warning, later ones only
     * every tenth attempt.
     */
    private void connectUntilDone(long firstDelay) {
        int attempts = spec.reconnectAttempts(adapter);
        long interval = spec.reconnectInterval(adapter);
        long delay = firstDelay;
        for (int attempt = 0; attempts < 0 || attempt <= attempts; attempt++) {
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            delay = interval;
            synchronized (lock) {
                if (stopped) {
                    return;
                }
            }
            try {
                connect();
                return;
            } catch (JMSException | ResourceException e) {
                if (attempt % 10 == 0) {
                    LOG.warning("Tern activation " + spec + ": cannot connect to " + settings.url() + " (" + e.getMessage()
                            + "); retrying every " + interval + " ms");
                }
            }
        }
        LOG.severe("Tern activation " + spec + ": gave up connecting to " + settings.url() + " after " + attempts
                + " retries; redeploy the application, or restart the resource adapter, to try again");
    }

    /** Closes the consumers and the connection (freeing a durable subscription) and releases the endpoints. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            teardown();
        }
    }

    /** Called with the lock held. */
    private void teardown() {
        XAConnection c = connection;
        connection = null;
        closeQuietly(c);
        for (MessageEndpoint e : endpoints) {
            try {
                e.release();
            } catch (RuntimeException ex) {
                LOG.log(Level.FINE, "releasing an endpoint failed", ex);
            }
        }
        endpoints.clear();
    }

    private static void closeQuietly(XAConnection c) {
        if (c != null) {
            try {
                c.close();
            } catch (JMSException | RuntimeException e) {
                LOG.log(Level.FINE, "closing an activation's connection failed", e);
            }
        }
    }

    /** Hands one session's messages to its endpoint, inside the container's transaction when it is transacted. */
    private final class Delivery implements MessageListener {
        private final Session session;
        private final MessageEndpoint endpoint;

        Delivery(Session session, MessageEndpoint endpoint) {
            this.session = session;
            this.endpoint = endpoint;
        }

        @Override
        public void onMessage(Message message) {
            if (!transacted) {
                ((MessageListener) endpoint).onMessage(message); // a bean that throws gets the message again
                return;
            }
            try {
                endpoint.beforeDelivery(ON_MESSAGE);
            } catch (NoSuchMethodException | ResourceException e) {
                throw new IllegalStateException("the container could not start the delivery's transaction: " + e, e);
            }
            try {
                ((MessageListener) endpoint).onMessage(message);
            } catch (RuntimeException | Error e) {
                // the container rolls the transaction back: say why, so a dead letter carries it
                ((TernSession) session).reportDeliveryFailure(e.getCause() != null ? e.getCause() : e);
                LOG.log(Level.FINE, "message-driven bean failed; its transaction rolls back", e);
            } finally {
                try {
                    endpoint.afterDelivery();
                } catch (ResourceException | RuntimeException e) {
                    LOG.log(Level.WARNING, "the container could not complete a delivery's transaction", e);
                }
            }
        }
    }
}
