package org.ternmq.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * A durable subscription keeps a topic's messages for a subscriber that is not connected: the sample
 * subscribes, goes away, publishes prices, comes back and receives every price published meanwhile. Then it
 * removes the subscription, which would otherwise keep collecting prices.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.TopicSample</pre>
 */
public final class TopicSample {

    /** A durable subscription is named by client id + subscription name. */
    static final String CLIENT_ID = "tern-samples";
    static final String SUBSCRIPTION = "price-watcher";

    private TopicSample() {
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out);
    }

    /**
     * @return the prices the durable subscriber received after coming back, in publishing order
     * @throws IllegalStateException if one is missing
     */
    public static List<String> run(Context jndi, PrintStream out) throws NamingException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Topic prices = (Topic) jndi.lookup("PriceTopic");
        List<String> published = List.of("TRN 12.50", "TRN 12.75", "TRN 12.60");

        try (JMSContext subscriberSide = factory.createContext()) {
            subscriberSide.setClientID(CLIENT_ID);
            removeLeftOverSubscription(subscriberSide);

            // Subscribing creates the subscription; a topic keeps nothing for subscriptions made later.
            subscriberSide.createDurableConsumer(prices, SUBSCRIPTION).close();
            out.println("subscribed as " + CLIENT_ID + "/" + SUBSCRIPTION + ", then went away");

            try (JMSContext publisherSide = factory.createContext()) {
                JMSProducer publisher = publisherSide.createProducer();
                for (String price : published) {
                    publisher.send(prices, price);
                    out.println("published " + price);
                }
            }

            // Coming back under the same name resumes the same subscription with what it kept.
            List<String> received = new ArrayList<>();
            try (JMSConsumer subscriber = subscriberSide.createDurableConsumer(prices, SUBSCRIPTION)) {
                for (int i = 0; i < published.size(); i++) {
                    String price = subscriber.receiveBody(String.class, 5_000);
                    if (price == null) {
                        throw new IllegalStateException("durable subscriber got " + received + ", expected "
                                + published);
                    }
                    out.println("durable subscriber received " + price);
                    received.add(price);
                }
            }
            if (!received.equals(published)) {
                throw new IllegalStateException("received " + received + ", expected " + published);
            }

            // A subscription outlives its consumers until it is removed, and keeps messages until then.
            subscriberSide.unsubscribe(SUBSCRIPTION);
            out.println("unsubscribed " + SUBSCRIPTION);
            return received;
        }
    }

    /** An interrupted earlier run may have left the subscription with old prices in it. */
    private static void removeLeftOverSubscription(JMSContext context) {
        try {
            context.unsubscribe(SUBSCRIPTION);
        } catch (InvalidDestinationRuntimeException none) {
            // the usual case: there was no such subscription
        }
    }
}
