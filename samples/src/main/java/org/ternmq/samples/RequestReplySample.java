package org.ternmq.samples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import javax.naming.Context;
import javax.naming.NamingException;

/**
 * Request/reply with the simplified API: a responder listens on a queue and answers each request on the
 * destination named by its {@code JMSReplyTo}, copying the request's {@code JMSMessageID} into the reply's
 * {@code JMSCorrelationID}; the requester sends its requests with a temporary queue as reply-to and matches
 * each reply to its request by that id.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.RequestReplySample</pre>
 */
public final class RequestReplySample {

    private RequestReplySample() {
    }

    public static void main(String[] args) throws Exception {
        run(SampleJndi.open(), System.out);
    }

    /**
     * Sends each of {@code requests} and waits for its reply.
     *
     * @return the replies, in the order of the requests
     * @throws IllegalStateException if a reply is missing or does not correlate with its request
     */
    public static List<String> run(Context jndi, PrintStream out, String... requests)
            throws NamingException, JMSException {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue requestQueue = (Queue) jndi.lookup("RequestQueue");
        // Only this run's requests, so that requests left by an interrupted earlier run are not answered
        // to temporary queues that no longer exist.
        String run = UUID.randomUUID().toString();

        try (JMSContext responder = factory.createContext();
             JMSContext requester = factory.createContext()) {
            startResponder(responder, requestQueue, "run = '" + run + "'");

            // A temporary queue lives as long as the connection that made it; only that connection may
            // consume from it, which makes it a private reply address.
            TemporaryQueue replyQueue = requester.createTemporaryQueue();
            JMSConsumer replies = requester.createConsumer(replyQueue);
            List<String> answers = new ArrayList<>();
            for (String request : requests.length > 0 ? requests : new String[] {"ping", "what time is it?"}) {
                TextMessage message = requester.createTextMessage(request);
                message.setStringProperty("run", run);
                message.setJMSReplyTo(replyQueue);
                requester.createProducer().send(requestQueue, message);
                // The provider sets JMSMessageID when the message is sent.
                String requestId = message.getJMSMessageID();

                Message reply = replies.receive(5_000);
                if (reply == null) {
                    throw new IllegalStateException("no reply to '" + request + "' within 5 s");
                }
                if (!requestId.equals(reply.getJMSCorrelationID())) {
                    throw new IllegalStateException("reply correlates with " + reply.getJMSCorrelationID()
                            + ", expected " + requestId);
                }
                String answer = reply.getBody(String.class);
                out.printf("request '%s' -> reply '%s' (correlation id %s)%n", request, answer, requestId);
                answers.add(answer);
            }
            return answers;
        }
    }

    /**
     * The service side: answers each request by shouting it back. The listener runs on the provider's
     * thread for {@code context}, the only thread that uses that context once the listener is set.
     */
    private static void startResponder(JMSContext context, Queue requestQueue, String selector) {
        JMSConsumer requests = context.createConsumer(requestQueue, selector);
        requests.setMessageListener(request -> {
            try {
                String answer = request.getBody(String.class).toUpperCase(Locale.ROOT);
                context.createProducer()
                        .setJMSCorrelationID(request.getJMSMessageID())
                        .send(request.getJMSReplyTo(), answer);
            } catch (JMSException e) {
                // The requester times out and reports the missing reply.
                e.printStackTrace();
            }
        });
    }
}
