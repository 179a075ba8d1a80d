package org.ternmq.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Asynchronous delivery: a {@link MessageListener} is called on a provider thread for each message, while
 * the main thread goes on sending. The listener only records what it got and counts down a latch that the
 * main thread waits on.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.ListenerSample</pre>
 */
public final class ListenerSample {

    private static final int COUNT = 5;

    private ListenerSample() {
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out);
    }

    /**
     * @return the bodies the listener received, in the order it received them
     * @throws IllegalStateException if not all arrived within 10 seconds
     */
    public static List<String> run(Context jndi, PrintStream out) throws NamingException, InterruptedException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue queue = (Queue) jndi.lookup("ListenerQueue");
        // Only this run's messages, whatever an interrupted earlier run left on the queue.
        String run = UUID.randomUUID().toString();

        // Written by the listener's thread, read by this one after the latch: the latch orders the two.
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch allArrived = new CountDownLatch(COUNT);

        try (JMSContext consuming = factory.createContext();
             JMSContext producing = factory.createContext()) {
            JMSConsumer consumer = consuming.createConsumer(queue, "run = '" + run + "'");
            consumer.setMessageListener(message -> {
                // A listener must not throw: catch everything it could throw here.
                try {
                    String body = message.getBody(String.class);
                    out.printf("listener on %s received '%s'%n", Thread.currentThread().getName(), body);
                    received.add(body);
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    allArrived.countDown();
                }
            });

            JMSProducer producer = producing.createProducer().setProperty("run", run);
            for (int i = 1; i <= COUNT; i++) {
                producer.send(queue, "event " + i);
            }
            out.println("main thread sent " + COUNT + " messages and waits");

            if (!allArrived.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("listener got only " + received + " in 10 s");
            }
        } // closing the context waits for a listener that is still running
        synchronized (received) {
            out.println("listener received " + received.size() + " messages");
            return List.copyOf(received);
        }
    }
}
