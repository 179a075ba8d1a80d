// What a /metrics scrape and the console API cost with many queues: docs/performance.md, "Operating".
// java -Xmx1g -cp broker/target/tern-broker-*-all.jar docs/bench/ScrapeBench.java 10000
import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import org.ternmq.broker.*;

public class ScrapeBench {
    public static void main(String[] a) throws Exception {
        int queues = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("tern-scrape-bench");
        try (EmbeddedBroker b = EmbeddedBroker.start(BrokerConfig.builder().name("bench").tcpPort(-1).inVmName("bench")
                .dataDirectory(dir).managementPort(0).build())) {
            for (int i = 0; i < queues; i++) b.management().createQueue("bench.q" + i);
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"metrics", "api/destinations?offset=5000&limit=50&filter=q5", "api/overview"}) {
                long[] t = new long[20]; int bytes = 0;
                for (int i = 0; i < 22; i++) {
                    Thread.sleep(300); // past the 250 ms snapshot cache: every call takes a new snapshot
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(b.managementUrl() + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (i >= 2) t[i - 2] = System.nanoTime() - s;
                    bytes = r.body().length();
                    if (r.statusCode() != 200) throw new IllegalStateException(path + " " + r.statusCode());
                }
                java.util.Arrays.sort(t);
                System.out.printf("%s: median %.1f ms, max %.1f ms, %d bytes%n", path, t[10] / 1e6, t[19] / 1e6, bytes);
            }
        }
    }
}
