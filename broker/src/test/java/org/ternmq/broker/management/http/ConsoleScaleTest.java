package org.ternmq.broker.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * The console with 10,000 queues: its destinations API pages and filters on the server, so each answer holds one
 * page (50 by default, 500 at most) whatever the number of queues, with the total count for the pager. No timing is
 * asserted: the size of what crosses the wire is what keeps the browser usable.
 */
@Timeout(180)
class ConsoleScaleTest {

    private static final int QUEUES = 10_000;

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("console-scale").tcpPort(-1).inVmName("console-scale")
                .dataDirectory(dir.resolve("data")).persistence(false).managementPort(0).build());
        for (int i = 0; i < QUEUES; i++) {
            broker.management().createQueue(String.format("scale.q%05d", i));
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void onePageOfTenThousandQueuesWithTheTotal() throws Exception {
        JsonNode first = get("api/destinations");
        assertThat(first.get("total").asInt()).isEqualTo(QUEUES);
        assertThat(first.get("items")).hasSize(50);
        assertThat(first.get("items").get(0).get("name").asText()).isEqualTo("scale.q00000");

        JsonNode last = get("api/destinations?offset=9990&limit=50");
        assertThat(last.get("total").asInt()).isEqualTo(QUEUES);
        assertThat(last.get("items")).hasSize(10);
        assertThat(last.get("items").get(9).get("name").asText()).isEqualTo("scale.q09999");

        JsonNode most = get("api/destinations?offset=0&limit=100000");
        assertThat(most.get("items")).as("a page is capped at 500").hasSize(500);
    }

    @Test
    void filteringHappensOnTheServer() throws Exception {
        JsonNode one = get("api/destinations?filter=q04242");
        assertThat(one.get("total").asInt()).isEqualTo(1);
        assertThat(one.get("items").get(0).get("name").asText()).isEqualTo("scale.q04242");
        JsonNode hundred = get("api/destinations?filter=scale.q012");
        assertThat(hundred.get("total").asInt()).isEqualTo(100);
        assertThat(hundred.get("items")).hasSize(50);
        assertThat(get("api/destinations?type=subscription").get("total").asInt()).isZero();
    }

    @Test
    void theOverviewAndTheMetricsStillAnswer() throws Exception {
        assertThat(get("api/overview").get("destinations").asInt()).isEqualTo(QUEUES);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl() + "metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tern_destinations " + QUEUES + ".0");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.managementUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
