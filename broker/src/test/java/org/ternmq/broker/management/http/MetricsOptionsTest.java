package org.ternmq.broker.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * {@code metrics-per-destination=false} keeps the broker's series and drops every per-destination one; and every
 * metric the README's "Metrics" tables name exists in a scrape (replication's are checked by the replication test).
 */
@Timeout(60)
public class MetricsOptionsTest {

    private static final Path README = Path.of("../README.md");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void perDestinationSeriesCanBeTurnedOff() throws Exception {
        try (EmbeddedBroker broker = start("no-per-destination", false)) {
            sendTo(broker, "a", "b", "c");
            String text = scrape(broker);
            assertThat(text).contains("\ntern_connections ").contains("\ntern_journal_forces_total ")
                    .contains("jvm_memory_used_bytes");
            assertThat(value(text, "tern_destinations")).isEqualTo(3);
            assertThat(text).doesNotContain("tern_destination_").doesNotContain("destination=\"");
            // the console's API (server-side) still has each destination
            assertThat(broker.management().statistics().destinations()).hasSize(3);
        }
    }

    @Test
    void perDestinationSeriesAreThereByDefault() throws Exception {
        try (EmbeddedBroker broker = start("per-destination", true)) {
            sendTo(broker, "a");
            assertThat(value(scrape(broker), "tern_destination_messages_enqueued_total{destination=\"a\",type=\"queue\"}"))
                    .isEqualTo(1);
        }
    }

    @Test
    void everyMetricTheReadmeNamesExists() throws Exception {
        List<String> names = readmeMetricNames();
        assertThat(names).contains("tern_connections", "tern_destination_messages_waiting", "tern_journal_force_seconds");
        try (EmbeddedBroker broker = start("readme-names", true)) {
            sendTo(broker, "a");
            String text = scrape(broker);
            for (String name : names) {
                if (!name.startsWith("tern_replication_")) {
                    assertThat(text).as("README metric %s", name).containsPattern("(?m)^# TYPE " + Pattern.quote(name) + " ");
                }
            }
        }
    }

    /** The {@code tern_*} names in the first column of the README's metric tables. */
    public static List<String> readmeMetricNames() throws Exception {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf("\n## Metrics");
        String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
        List<String> names = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| (`tern_[^|]*?)\\|").matcher(section);
        while (row.find()) {
            Matcher name = Pattern.compile("`(tern_[a-z_]+)").matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    private EmbeddedBroker start(String name, boolean perDestination) throws Exception {
        return EmbeddedBroker.start(BrokerConfig.builder().name(name).tcpPort(-1).inVmName("metrics-options-" + name)
                .dataDirectory(dir.resolve(name)).managementPort(0).metricsPerDestination(perDestination).build());
    }

    private static void sendTo(EmbeddedBroker broker, String... queues) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.vmUrl()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(null);
            for (String q : queues) {
                p.send(s.createQueue(q), s.createTextMessage("to " + q));
            }
        }
    }

    private String scrape(EmbeddedBroker broker) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
