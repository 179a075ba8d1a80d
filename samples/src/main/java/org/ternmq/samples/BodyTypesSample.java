package org.ternmq.samples;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageProducer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Sends one message of each kind (text, bytes, map, stream, object, and a plain {@link Message} with only
 * properties) to a queue with the classic API, receives them back and checks that every body arrived
 * unchanged. Fails (non-zero exit) when one did not.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.BodyTypesSample</pre>
 */
public final class BodyTypesSample {

    /**
     * The object body: a {@link Serializable} class the receiver can load, in a package its connection trusts
     * (the URL's trustedPackages option in jndi.properties names this one).
     */
    public record Order(String item, int quantity) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private static final String TEXT = "hello, Tern";
    private static final byte[] BYTES = {0, 1, 2, (byte) 0xCA, (byte) 0xFE, 127, -128};
    private static final Map<String, Object> MAP = map("symbol", "TRN", "price", 12.5, "lots", 3, "open", true);
    private static final List<Object> STREAM = List.of("TRN", 12.5, 3, true);
    private static final Order ORDER = new Order("tern feathers", 42);
    private static final String PROPERTY_ONLY = "greeting=hi";

    private BodyTypesSample() {
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out);
    }

    /**
     * Runs the sample with the objects bound in {@code jndi}, printing a line per message to {@code out}.
     *
     * @return the kinds of message that round-tripped, in the order sent
     * @throws IllegalStateException if a message is missing or its body changed
     */
    public static List<String> run(Context jndi, PrintStream out) throws NamingException, JMSException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue queue = (Queue) jndi.lookup("BodyTypesQueue");

        // Each run tags its messages and receives only its own, so messages left on the queue by an
        // interrupted earlier run cannot be mistaken for this run's.
        String run = UUID.randomUUID().toString();

        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(queue, "run = '" + run + "'");
            connection.start();

            MessageProducer producer = session.createProducer(queue);
            for (Message message : messagesToSend(session)) {
                message.setStringProperty("run", run);
                producer.send(message);
            }

            // One producer, one queue, one priority: JMS delivers in the order sent.
            List<String> expectedKinds = List.of("TextMessage", "BytesMessage", "MapMessage", "StreamMessage",
                    "ObjectMessage", "Message");
            List<Object> expectedBodies = Arrays.asList(TEXT, BYTES, MAP, STREAM, ORDER, PROPERTY_ONLY);
            List<String> roundTripped = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < expectedKinds.size(); i++) {
                String expectedKind = expectedKinds.get(i);
                Message received = consumer.receive(5_000);
                if (received == null) {
                    failures.add(expectedKind + ": not received within 5 s");
                    break;
                }
                String kind = kindOf(received);
                Object body = bodyOf(received);
                boolean same = kind.equals(expectedKind) && Objects.deepEquals(body, expectedBodies.get(i));
                out.printf("%-14s %-5s %s%n", kind, same ? "OK" : "WRONG", printable(body));
                if (same) {
                    roundTripped.add(kind);
                } else {
                    failures.add("expected " + expectedKind + " " + printable(expectedBodies.get(i)) + ", got "
                            + kind + " " + printable(body));
                }
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("bodies did not round-trip: " + failures);
            }
            out.println("all " + roundTripped.size() + " message kinds round-tripped");
            return roundTripped;
        }
    }

    private static List<Message> messagesToSend(Session session) throws JMSException {
        TextMessage text = session.createTextMessage(TEXT);

        BytesMessage bytes = session.createBytesMessage();
        bytes.writeBytes(BYTES);

        MapMessage map = session.createMapMessage();
        for (Map.Entry<String, Object> e : MAP.entrySet()) {
            map.setObject(e.getKey(), e.getValue());
        }

        StreamMessage stream = session.createStreamMessage();
        for (Object value : STREAM) {
            stream.writeObject(value);
        }

        ObjectMessage object = session.createObjectMessage(ORDER);

        // A message without a body still carries headers and properties.
        Message plain = session.createMessage();
        plain.setStringProperty("greeting", "hi");

        return List.of(text, bytes, map, stream, object, plain);
    }

    private static String kindOf(Message m) {
        if (m instanceof TextMessage) {
            return "TextMessage";
        } else if (m instanceof BytesMessage) {
            return "BytesMessage";
        } else if (m instanceof MapMessage) {
            return "MapMessage";
        } else if (m instanceof StreamMessage) {
            return "StreamMessage";
        } else if (m instanceof ObjectMessage) {
            return "ObjectMessage";
        }
        return "Message";
    }

    /** What arrived, in the same form as the expected bodies above. */
    private static Object bodyOf(Message m) throws JMSException {
        if (m instanceof StreamMessage stream) {
            // A stream has no getBody: read its values in order until the end.
            List<Object> values = new ArrayList<>();
            try {
                while (true) {
                    values.add(stream.readObject());
                }
            } catch (MessageEOFException end) {
                return values;
            }
        }
        if (m instanceof TextMessage || m instanceof BytesMessage || m instanceof MapMessage
                || m instanceof ObjectMessage) {
            return m.getBody(Object.class); // String, byte[], Map or the deserialized object
        }
        return "greeting=" + m.getStringProperty("greeting");
    }

    private static String printable(Object body) {
        return body instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(body);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
