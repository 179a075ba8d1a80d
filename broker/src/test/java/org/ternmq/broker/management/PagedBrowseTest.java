package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.broker.server.TernServerAccess;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Browsing a queue paged past its heap limit (40 messages on the heap, 260 on disk) through every operator's door:
 * JMS, JMX {@code browse}, the console's API and {@code tern browse}. Each sees the paged messages too, in arrival
 * order after the heap ones, and none of them consumes or pages anything in.
 */
@Timeout(120)
class PagedBrowseTest {

    private static final int LIMIT = 40;
    private static final int TOTAL = 300;
    private static final String QUEUE = "paged.browse";

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("policy.default.max-memory-messages", String.valueOf(LIMIT));
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("paged-browse").tcpPort(0).inVmName("paged-browse")
                .dataDirectory(dir.resolve("data")).managementPort(0)
                .policies(ConfigFile.parse(p, "test").policies()).build());
        try (Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < TOTAL; i++) {
                Message m = s.createTextMessage("message " + i);
                m.setIntProperty("n", i);
                m.setIntProperty("parity", i % 2);
                producer.send(m);
            }
        }
        assertPagedAndUntouched();
    }

    /** Consuming after all the browsing: each message once, in order (the browsers took nothing). */
    @AfterAll
    static void consumeAllThenStop() throws Exception {
        if (broker == null) {
            return;
        }
        try (Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(QUEUE);
            try (MessageConsumer consumer = s.createConsumer(q)) {
                for (int i = 0; i < TOTAL; i++) {
                    Message m = consumer.receive(10_000);
                    assertThat(m).isNotNull();
                    assertThat(m.getIntProperty("n")).isEqualTo(i);
                }
                assertThat(consumer.receive(200)).isNull();
            }
        } finally {
            broker.close();
        }
    }

    /** The queue holds LIMIT on the heap and the rest paged out, all TOTAL waiting, none delivered. */
    private static void assertPagedAndUntouched() {
        BrokerStatistics.Destination d = broker.management().statistics().destination(QUEUE);
        assertThat(d.heap()).isEqualTo(LIMIT);
        assertThat(d.paged()).isEqualTo(TOTAL - LIMIT);
        assertThat(d.delivered()).isZero();
    }

    @Test
    void jmsBrowserSeesPagedMessagesInOrder() throws Exception {
        try (Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            assertThat(numbers(s.createBrowser(s.createQueue(QUEUE)))).isEqualTo(range(0, TOTAL, 1));
            assertThat(numbers(s.createBrowser(s.createQueue(QUEUE), "parity = 1"))).isEqualTo(range(1, TOTAL, 2));
            assertThat(numbers(s.createBrowser(s.createQueue(QUEUE), "n > 1000"))).isEmpty();
        }
        assertPagedAndUntouched();
    }

    @Test
    void jmxBrowseSeesPagedMessages() throws Exception {
        broker.jmxDestinations().sync();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = JmxRegistrar.objectName("paged-browse", "queue", QUEUE);
        String[] lines = (String[]) server.invoke(name, "browse", new Object[] {TOTAL + 10}, new String[] {"int"});
        assertThat(lines).hasSize(TOTAL);
        for (int i = 0; i < TOTAL; i++) {
            assertThat(lines[i]).containsPattern("\\bn=" + i + "\\b").endsWith("message " + i);
        }
        assertPagedAndUntouched();
    }

    @Test
    void consolePagesAcrossTheHeapAndTheDisk() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Integer> seen = new ArrayList<>();
        for (int offset = 0; offset < TOTAL + 20; offset += 20) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl()
                    + "api/messages?name=" + QUEUE + "&offset=" + offset + "&limit=20")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            for (JsonNode m : new ObjectMapper().readTree(r.body())) {
                seen.add(m.get("properties").get("n").asInt());
            }
        }
        assertThat(seen).isEqualTo(range(0, TOTAL, 1));
        HttpResponse<String> odd = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl()
                + "api/messages?name=" + QUEUE + "&selector=parity%3D1&offset=100&limit=5")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<Integer> odds = new ArrayList<>();
        new ObjectMapper().readTree(odd.body()).forEach(m -> odds.add(m.get("properties").get("n").asInt()));
        assertThat(odds).containsExactly(201, 203, 205, 207, 209);
        assertPagedAndUntouched();
    }

    @Test
    void cliBrowseSeesPagedMessages() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TernServerAccess.run(new String[] {"browse", QUEUE, "--url", broker.tcpUrl(), "--json", "-n", "1000"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        assertThat(status).isZero();
        List<Integer> seen = new ArrayList<>();
        new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8))
                .forEach(m -> seen.add(m.get("properties").get("n").asInt()));
        assertThat(seen).isEqualTo(range(0, TOTAL, 1));
        assertPagedAndUntouched();
    }

    private static List<Integer> numbers(QueueBrowser browser) throws Exception {
        List<Integer> n = new ArrayList<>();
        for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
            n.add(((Message) e.nextElement()).getIntProperty("n"));
        }
        browser.close();
        return n;
    }

    private static List<Integer> range(int from, int to, int step) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i += step) {
            r.add(i);
        }
        return r;
    }
}
