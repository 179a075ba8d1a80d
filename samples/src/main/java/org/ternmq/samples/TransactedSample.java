package org.ternmq.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Local transactions with the classic API. On the sending side, a rolled-back send is never delivered and
 * committed sends are delivered together. On the receiving side, receives that are rolled back are
 * delivered again (with {@code JMSRedelivered} set and {@code JMSXDeliveryCount} 2) and are gone for good
 * once committed.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.TransactedSample</pre>
 */
public final class TransactedSample {

    private TransactedSample() {
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out);
    }

    /**
     * @return one line per message received, {@code "<body> delivery <n>"}, in the order received
     * @throws IllegalStateException if the transactions did not behave as described above
     */
    public static List<String> run(Context jndi, PrintStream out) throws NamingException, JMSException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue queue = (Queue) jndi.lookup("TransactedQueue");
        // Only this run's messages, whatever an interrupted earlier run left on the queue.
        String run = UUID.randomUUID().toString();

        try (Connection connection = factory.createConnection()) {
            // A transacted session: its sends and receives take effect together at commit, or not at all.
            Session sending = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = sending.createProducer(queue);
            producer.send(tagged(sending.createTextMessage("discarded"), run));
            sending.rollback();
            out.println("sent 'discarded', rolled back");
            producer.send(tagged(sending.createTextMessage("kept-1"), run));
            producer.send(tagged(sending.createTextMessage("kept-2"), run));
            sending.commit();
            out.println("sent 'kept-1' and 'kept-2', committed");

            Session receiving = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = receiving.createConsumer(queue, "run = '" + run + "'");
            connection.start();

            List<String> log = new ArrayList<>();
            // Had 'discarded' been delivered, it would come first: a queue keeps a producer's order.
            receiveTwo(consumer, log, out, 1);
            receiving.rollback();
            out.println("rolled back the receives: both messages go back to the queue");
            receiveTwo(consumer, log, out, 2);
            receiving.commit();
            out.println("committed the receives: both messages are consumed");
            return log;
        }
    }

    private static Message tagged(Message message, String run) throws JMSException {
        message.setStringProperty("run", run);
        return message;
    }

    private static void receiveTwo(MessageConsumer consumer, List<String> log, PrintStream out, int delivery)
            throws JMSException {
        for (String expected : List.of("kept-1", "kept-2")) {
            Message m = consumer.receive(5_000);
            if (m == null) {
                throw new IllegalStateException("'" + expected + "' (delivery " + delivery + ") not received in 5 s");
            }
            String body = m.getBody(String.class);
            int deliveryCount = m.getIntProperty("JMSXDeliveryCount");
            if (!body.equals(expected) || deliveryCount != delivery || m.getJMSRedelivered() != (delivery > 1)) {
                throw new IllegalStateException("expected '" + expected + "' delivery " + delivery + ", got '" + body
                        + "' delivery " + deliveryCount + " redelivered=" + m.getJMSRedelivered());
            }
            out.printf("received '%s' (JMSXDeliveryCount %d, JMSRedelivered %b)%n", body, deliveryCount,
                    m.getJMSRedelivered());
            log.add(body + " delivery " + deliveryCount);
        }
    }
}
