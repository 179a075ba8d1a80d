package org.ternmq.samples.spring;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import javax.naming.Context;
import javax.naming.NamingException;

import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.ternmq.samples.SampleJndi;

/**
 * Tern under Spring, unchanged: a {@link JmsTemplate} sends (over a {@link CachingConnectionFactory}, as Spring
 * advises) and a {@link DefaultMessageListenerContainer} with transacted sessions consumes, both from the
 * connection factory and queue in {@code jndi.properties}. With {@code failover=true} in the factory's URL
 * both carry on through a broker restart without Spring's own recovery being needed (the failover test kills
 * the broker under them).
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.spring.SpringSample</pre>
 */
public final class SpringSample implements AutoCloseable {

    private final CachingConnectionFactory sending;
    private final JmsTemplate template;
    private final DefaultMessageListenerContainer container;
    /** Body to the number of times the listener got it. */
    private final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    /** Bodies the listener got with {@code JMSRedelivered} set. */
    private final List<String> redelivered = new CopyOnWriteArrayList<>();
    /**
     * What the container's exception listener heard: Spring passes it both a connection that failed for good and
     * a {@code JMSException} of the listener's transaction (a commit under way while the connection failed over
     * ends in {@code TransactionRolledBackException}, and its message comes again).
     */
    private final List<Throwable> problems = new CopyOnWriteArrayList<>();

    public SpringSample(Context jndi) throws NamingException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue queue = (Queue) jndi.lookup("SpringQueue");

        sending = new CachingConnectionFactory(factory);
        template = new JmsTemplate(sending);
        template.setDefaultDestination(queue);

        container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.setDestination(queue);
        // each message is received and acknowledged in a local transaction that commits when the listener returns
        container.setSessionTransacted(true);
        container.setMessageListener((jakarta.jms.MessageListener) message -> {
            try {
                String body = ((TextMessage) message).getText();
                deliveries.merge(body, 1, Integer::sum);
                if (message.getJMSRedelivered()) {
                    redelivered.add(body);
                }
            } catch (JMSException e) {
                problems.add(e);
            }
        });
        container.setExceptionListener(problems::add);
        container.afterPropertiesSet();
        container.start();
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out, 5);
    }

    /**
     * Sends {@code count} messages through the template and waits until the container has consumed them.
     *
     * @return the bodies received
     */
    public static List<String> run(Context jndi, PrintStream out, int count) throws Exception {
        try (SpringSample sample = new SpringSample(jndi)) {
            for (int i = 1; i <= count; i++) {
                sample.send("spring " + i);
            }
            out.println("JmsTemplate sent " + count + " messages");
            if (!sample.awaitReceived(count, 10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the container got only " + sample.deliveries().keySet() + " in 10 s");
            }
            List<String> bodies = new ArrayList<>(sample.deliveries().keySet());
            bodies.sort(null);
            out.println("listener container received " + bodies.size() + " messages");
            return bodies;
        }
    }

    /** Sends a persistent text message to the queue through the template. */
    public void send(String body) {
        template.convertAndSend(body);
    }

    /** Waits until {@code distinct} different bodies have arrived. */
    public boolean awaitReceived(int distinct, long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        while (deliveries.size() < distinct) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public Map<String, Integer> deliveries() {
        return Map.copyOf(deliveries);
    }

    public List<String> redelivered() {
        return List.copyOf(redelivered);
    }

    public List<Throwable> problems() {
        return List.copyOf(problems);
    }

    @Override
    public void close() {
        container.shutdown();
        sending.destroy();
    }
}
