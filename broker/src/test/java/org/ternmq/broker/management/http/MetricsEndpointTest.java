package org.ternmq.broker.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.transaction.xa.XAResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.protocol.XidValue;

/** Scrapes {@code /metrics} over HTTP after real traffic and checks the values, not just the names. */
@Timeout(60)
class MetricsEndpointTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("policy.orders.match", "orders.#");
        p.setProperty("policy.orders.max-delivery-attempts", "2");
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("metrics-test").tcpPort(0).inVmName("metrics-test")
                .dataDirectory(dir.resolve("data")).managementPort(0)
                .policies(ConfigFile.parse(p, "test").policies()).build());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void offByDefault() throws Exception {
        try (EmbeddedBroker plain = EmbeddedBroker.start(BrokerConfig.builder().name("plain").tcpPort(-1)
                .inVmName("metrics-plain").dataDirectory(dir.resolve("plain")).build())) {
            assertThat(plain.managementUrl()).isNull();
            assertThat(plain.metrics()).isNull();
        }
    }

    @Test
    void countsWhatHappenedToMessages() throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory(broker.tcpUrl());
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            // orders: 4 sent and 1 dropped as a duplicate, all 4 received (auto-acknowledged)
            Queue orders = s.createQueue("orders");
            MessageProducer producer = s.createProducer(null);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 3; i++) {
                producer.send(orders, s.createTextMessage("order " + i));
            }
            Message dup = s.createTextMessage("once");
            dup.setStringProperty("JMS_TERN_DuplicateID", "d-1");
            producer.send(orders, dup);
            Message again = s.createTextMessage("twice");
            again.setStringProperty("JMS_TERN_DuplicateID", "d-1");
            producer.send(orders, again);
            try (MessageConsumer consumer = s.createConsumer(orders)) {
                for (int i = 0; i < 4; i++) {
                    assertThat(consumer.receive(5000)).isNotNull();
                }
            }
            // orders.retry: delivered twice and rolled back twice: redelivered once, then dead-lettered
            Queue retry = s.createQueue("orders.retry");
            producer.send(retry, s.createTextMessage("fails"));
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            try (MessageConsumer consumer = tx.createConsumer(retry)) {
                assertThat(consumer.receive(5000)).isNotNull();
                tx.rollback();
                assertThat(consumer.receive(5000)).isNotNull();
                tx.rollback();
            }
            // orders.held: received and not acknowledged: in flight while the scrape runs; one more waits
            Queue held = s.createQueue("orders.held");
            producer.send(held, s.createTextMessage("held"));
            Session client = c.createSession(Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer holder = client.createConsumer(held);
            assertThat(holder.receive(5000)).isNotNull();
            producer.send(held, s.createTextMessage("waits"), DeliveryMode.PERSISTENT, 4, 0);
            holder.close();

            String text = scrape();
            String q = "{destination=\"orders\",type=\"queue\"}";
            assertThat(value(text, "tern_destination_messages_enqueued_total" + q)).isEqualTo(4);
            assertThat(value(text, "tern_destination_duplicates_dropped_total" + q)).isEqualTo(1);
            assertThat(value(text, "tern_destination_messages_delivered_total" + q)).isEqualTo(4);
            assertThat(value(text, "tern_destination_messages_acknowledged_total" + q)).isEqualTo(4);
            assertThat(value(text, "tern_destination_producers" + q)).isEqualTo(1);
            assertThat(value(text, "tern_destination_consumers" + q)).isZero();
            String r = "{destination=\"orders.retry\",type=\"queue\"}";
            assertThat(value(text, "tern_destination_messages_delivered_total" + r)).isEqualTo(2);
            assertThat(value(text, "tern_destination_messages_redelivered_total" + r)).isEqualTo(1);
            assertThat(value(text, "tern_destination_messages_dead_lettered_total" + r)).isEqualTo(1);
            assertThat(value(text, "tern_destination_messages_acknowledged_total" + r)).isZero();
            assertThat(value(text, "tern_destination_messages_waiting{destination=\"DLQ\",storage=\"heap\",type=\"queue\"}"))
                    .isEqualTo(1);
            String h = "{destination=\"orders.held\",type=\"queue\"}";
            assertThat(value(text, "tern_destination_messages_in_flight" + h)).isEqualTo(1);
            assertThat(value(text, "tern_destination_messages_waiting{destination=\"orders.held\",storage=\"heap\",type=\"queue\"}"))
                    .isEqualTo(1);
            assertThat(value(text, "tern_connections")).isEqualTo(1);
            assertThat(value(text, "tern_sessions")).isEqualTo(3);
            assertThat(value(text, "tern_journal_appends_total")).isGreaterThan(6);
            assertThat(value(text, "tern_journal_file_writes_total")).isPositive()
                    .isLessThanOrEqualTo(value(text, "tern_journal_appends_total"));
            assertThat(value(text, "tern_journal_forces_total")).isGreaterThan(0);
            assertThat(value(text, "tern_journal_force_seconds_count")).isEqualTo(value(text, "tern_journal_forces_total"));
            assertThat(value(text, "tern_store_fenced")).isZero();
            assertThat(value(text, "tern_memory_waiting_bytes")).isPositive();
            assertThat(text).contains("# TYPE tern_journal_force_seconds histogram").contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void countsPreparedXaBranches() throws Exception {
        assertThat(value(scrape(), "tern_xa_prepared_branches")).isZero();
        try (XAConnection c = new TernXAConnectionFactory(broker.tcpUrl()).createXAConnection()) {
            XASession s = c.createXASession();
            XAResource xa = s.getXAResource();
            XidValue xid = new XidValue(0x7E24, "metrics-1".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
            xa.start(xid, XAResource.TMNOFLAGS);
            s.createProducer(s.createQueue("xa.metrics")).send(s.createTextMessage("x"));
            xa.end(xid, XAResource.TMSUCCESS);
            xa.prepare(xid);
            // a scrape reuses a snapshot younger than 250 ms
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> value(scrape(), "tern_xa_prepared_branches") == 1);
            xa.commit(xid, false);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> value(scrape(), "tern_xa_prepared_branches") == 0);
        String text = scrape();
        assertThat(value(text, "tern_destination_messages_enqueued_total{destination=\"xa.metrics\",type=\"queue\"}"))
                .isEqualTo(1);
    }

    @Test
    void aDeletedDestinationsMetersGoAway() throws Exception {
        TernConnectionFactory cf = new TernConnectionFactory(broker.tcpUrl());
        try (Connection c = cf.createConnection()) {
            c.setClientID("metrics-client");
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic("prices"), "sub").close();
            assertThat(scrape()).contains("destination=\"prices::metrics-client.sub\",type=\"subscription\"");
            s.unsubscribe("sub");
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !scrape().contains("prices::metrics-client.sub"));
    }

    @Test
    void onlyGet() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl() + "metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        Files.writeString(dir.resolve("last-scrape.txt"), r.body());
        return r.body();
    }

    /** The value of the sample named exactly {@code series} (name and labels as Prometheus prints them). */
    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
