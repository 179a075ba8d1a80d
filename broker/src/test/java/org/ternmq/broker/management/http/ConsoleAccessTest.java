package org.ternmq.broker.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/** Who may use the console and its API, over plain HTTP: logins, the loopback rule, the header on changes. */
@Timeout(60)
class ConsoleAccessTest {

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String form, String cookie, boolean consoleHeader) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(form))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (consoleHeader) {
            b.header("X-Tern-Console", "1");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withUsersOnlyAnAdministratorLogsIn() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().name("console-access").tcpPort(-1)
                .inVmName("console-access").dataDirectory(dir).managementPort(0).user("root", "secret", "admin")
                .user("app", "app").allowAnonymous(false).build())) {
            String base = broker.managementUrl();
            assertThat(get(base, null).statusCode()).isEqualTo(303);
            assertThat(get(base + "api/overview", null).statusCode()).isEqualTo(401);
            assertThat(get(base + "login.html", null).body()).contains("Log in");
            HttpResponse<String> refused = post(base + "session", "user=app&password=app", null, false);
            assertThat(refused.headers().firstValue("Location")).hasValue("/login.html?failed");
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(post(base + "session", "user=root&password=wrong", null, false).headers().firstValue("Set-Cookie"))
                    .isEmpty();
            HttpResponse<String> ok = post(base + "session", "user=root&password=secret", null, false);
            String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            assertThat(get(base + "api/overview", cookie).body()).contains("\"connections\":0");
            assertThat(get(base + "api/overview", "tern_console=forged").statusCode()).isEqualTo(401);

            assertThat(broker.management().createQueue("access.q")).isTrue();
            assertThat(post(base + "api/purge", "name=access.q", cookie, false).statusCode()).isEqualTo(403);
            assertThat(post(base + "api/purge", "name=access.q", cookie, true).body()).isEqualTo("{\"count\":0}");
            HttpResponse<String> bad = post(base + "api/purge", "name=nowhere", cookie, true);
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("nowhere");
            assertThat(get(base + "api/destinations?limit=x", cookie).statusCode()).isEqualTo(400);
            assertThat(get(base + "api/nothing", cookie).statusCode()).isEqualTo(404);
            assertThat(get(base + "api/destinations?filter=ACCESS", cookie).body()).contains("\"total\":1")
                    .contains("\"name\":\"access.q\"").contains("\"waiting\":0");
        }
    }

    @Test
    void withoutUsersOnlyLoopbackMayUseIt() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "no non-loopback address on this machine");
        try (EmbeddedBroker loopback = EmbeddedBroker.start(BrokerConfig.builder().name("console-loopback").tcpPort(-1)
                .inVmName("console-loopback").dataDirectory(dir.resolve("a")).managementPort(0).build())) {
            assertThat(get(loopback.managementUrl() + "api/overview", null).statusCode()).isEqualTo(200);
        }
        try (EmbeddedBroker open = EmbeddedBroker.start(BrokerConfig.builder().name("console-open").tcpPort(-1)
                .inVmName("console-open").dataDirectory(dir.resolve("b")).managementPort(0)
                .managementHost(external.get().getHostAddress()).build())) {
            HttpResponse<String> r = get(open.managementUrl() + "api/overview", null);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("no users, so its console is open only to loopback addresses");
            // metrics stay open to whoever reaches the port
            assertThat(get(open.managementUrl() + "metrics", null).statusCode()).isEqualTo(200);
        }
    }
}
