package org.ternmq.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import javax.naming.Context;
import javax.naming.InitialContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * Runs each sample's {@code run} against a broker of the test's own on a free TCP port, reached through
 * the samples' {@code jndi.properties} with only the connection factory's URL overridden in the JNDI
 * environment, as a user would point them at another broker.
 */
@Timeout(60)
class SamplesOverTcpTest {

    @TempDir
    static Path dataDirectory;
    private static EmbeddedBroker broker;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder()
                .name("samples-test")
                .host("127.0.0.1")
                .tcpPort(0)
                .dataDirectory(dataDirectory)
                .build());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Context jndi() throws Exception {
        Hashtable<String, Object> environment = new Hashtable<>();
        environment.put("connectionFactory.ConnectionFactory", broker.tcpUrl() + "?trustedPackages=org.ternmq.samples");
        return new InitialContext(environment);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyBodyTypeRoundTrips() throws Exception {
        List<String> kinds = BodyTypesSample.run(jndi(), out);

        assertThat(kinds).containsExactly("TextMessage", "BytesMessage", "MapMessage", "StreamMessage",
                "ObjectMessage", "Message");
        assertThat(printed())
                .contains("TextMessage    OK    hello, Tern")
                .contains("BytesMessage   OK    [0, 1, 2, -54, -2, 127, -128]")
                .contains("MapMessage     OK    ").contains("symbol=TRN").contains("price=12.5")
                .contains("StreamMessage  OK    [TRN, 12.5, 3, true]")
                .contains("ObjectMessage  OK    Order[item=tern feathers, quantity=42]")
                .contains("Message        OK    greeting=hi")
                .contains("all 6 message kinds round-tripped")
                .doesNotContain("WRONG");
    }

    @Test
    void repliesCorrelateWithTheirRequests() throws Exception {
        List<String> replies = RequestReplySample.run(jndi(), out, "ping", "hello tern", "bye");

        assertThat(replies).containsExactly("PING", "HELLO TERN", "BYE");
        assertThat(printed()).contains("request 'ping' -> reply 'PING' (correlation id ID:");
    }

    @Test
    void durableSubscriberGetsWhatWasPublishedWhileAwayAndIsRemovedAfterwards() throws Exception {
        List<String> received = TopicSample.run(jndi(), out);

        assertThat(received).containsExactly("TRN 12.50", "TRN 12.75", "TRN 12.60");
        assertThat(printed()).contains("durable subscriber received TRN 12.60", "unsubscribed price-watcher");
        // the sample removed its subscription: removing it again finds nothing
        ConnectionFactory factory = (ConnectionFactory) jndi().lookup("ConnectionFactory");
        try (JMSContext context = factory.createContext()) {
            context.setClientID(TopicSample.CLIENT_ID);
            assertThatThrownBy(() -> context.unsubscribe(TopicSample.SUBSCRIPTION))
                    .isInstanceOf(InvalidDestinationRuntimeException.class);
        }
    }

    @Test
    void rolledBackSendIsNeverDeliveredAndRolledBackReceivesAreRedelivered() throws Exception {
        Context jndi = jndi();
        List<String> log = TransactedSample.run(jndi, out);

        assertThat(log).containsExactly("kept-1 delivery 1", "kept-2 delivery 1", "kept-1 delivery 2",
                "kept-2 delivery 2");
        // the commit consumed both, and the rolled-back send never reached the queue
        assertThat(browse(jndi, "TransactedQueue")).isEmpty();
    }

    @Test
    void listenerReceivesEveryMessageInOrder() throws Exception {
        List<String> received = ListenerSample.run(jndi(), out);

        assertThat(received).containsExactly("event 1", "event 2", "event 3", "event 4", "event 5");
        assertThat(printed()).contains("listener received 5 messages");
    }

    @Test
    void mainTakesTheBrokerUrlFromASystemProperty() throws Exception {
        String property = "connectionFactory.ConnectionFactory";
        PrintStream originalOut = System.out;
        System.setProperty(property, broker.tcpUrl() + "?trustedPackages=org.ternmq.samples");
        System.setOut(out);
        try {
            BodyTypesSample.main(new String[0]);
        } finally {
            System.setOut(originalOut);
            System.clearProperty(property);
        }
        assertThat(printed()).contains("all 6 message kinds round-tripped");
    }

    @Test
    void aSampleFailsWhenNoBrokerAnswers() throws Exception {
        Hashtable<String, Object> environment = new Hashtable<>();
        // port 1 on the loopback: nothing listens there
        environment.put("connectionFactory.ConnectionFactory", "tern://127.0.0.1:1?connectTimeout=2000");

        assertThatThrownBy(() -> BodyTypesSample.run(new InitialContext(environment), out))
                .isInstanceOf(jakarta.jms.JMSException.class);
    }

    private static List<Object> browse(Context jndi, String queueName) throws Exception {
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("ConnectionFactory");
        Queue queue = (Queue) jndi.lookup(queueName);
        try (JMSContext context = factory.createContext()) {
            QueueBrowser browser = context.createBrowser(queue);
            return Collections.list(browser.getEnumeration());
        }
    }
}
