package org.ternmq.samples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import javax.naming.Context;
import javax.naming.InitialContext;

import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * Runs a broker inside this JVM and talks to it over the in-VM transport ({@code vm://}), which skips
 * sockets altogether. It needs no broker started beforehand. The broker is the one Tern class the sample
 * names; the client side is still plain JMS found through JNDI, with the connection URL given in the
 * JNDI environment instead of {@code jndi.properties}.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.EmbeddedBrokerSample</pre>
 */
public final class EmbeddedBrokerSample {

    /** The in-VM name: clients of this JVM connect with {@code vm://samples}. */
    static final String IN_VM_NAME = "samples";

    private EmbeddedBrokerSample() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** @return the body received back from the embedded broker */
    public static String run(PrintStream out) throws Exception {
        Path dataDirectory = Files.createTempDirectory("tern-embedded-sample");
        BrokerConfig config = BrokerConfig.builder()
                .name("embedded-sample")
                .tcpPort(-1)              // no TCP acceptor: only this JVM can reach the broker
                .inVmName(IN_VM_NAME)
                .dataDirectory(dataDirectory)
                .persistence(false)       // keep messages in memory: nothing to clean up afterwards
                .build();
        try (EmbeddedBroker broker = EmbeddedBroker.start(config)) {
            out.println("broker started at " + broker.vmUrl());

            // The environment wins over jndi.properties: the same lookup now finds an in-VM factory.
            Hashtable<String, Object> environment = new Hashtable<>();
            environment.put(Context.INITIAL_CONTEXT_FACTORY, "org.ternmq.jndi.TernInitialContextFactory");
            environment.put("connectionFactory.ConnectionFactory", broker.vmUrl());
            environment.put("queue.EmbeddedQueue", "samples.embedded");
            Context jndi = new InitialContext(environment);
            ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
            Queue queue = (Queue) jndi.lookup("EmbeddedQueue");

            try (JMSContext context = factory.createContext()) {
                context.createProducer().send(queue, "hello over vm://");
                String body = context.createConsumer(queue).receiveBody(String.class, 5_000);
                if (body == null) {
                    throw new IllegalStateException("nothing received from the embedded broker within 5 s");
                }
                out.println("received '" + body + "'");
                return body;
            }
        } finally {
            Files.deleteIfExists(dataDirectory);
        }
    }
}
