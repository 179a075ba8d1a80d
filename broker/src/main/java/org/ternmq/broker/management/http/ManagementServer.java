package org.ternmq.broker.management.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.ternmq.broker.management.BrokerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's management port: an HTTP server (the JDK's) serving {@code /metrics} in the Prometheus text
 * format, and whatever else is added with {@link #handle} (the web console). Off unless the broker's
 * {@code management-port} is set.
 *
 * <p>Requests run on a small pool of daemon threads; {@link #close} may be called from any thread.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves {@code /metrics} from {@code metrics}.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ManagementServer start(String host, int port, BrokerMetrics metrics) throws IOException {
        return start(host, port, metrics::scrape);
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves {@code /metrics} from {@code scrape} (a backup's
     * metrics, say), which may throw {@link IllegalStateException} when its source does not answer.
     *
     * @throws IOException when the port cannot be bound
     */
    public static ManagementServer start(String host, int port, java.util.function.Supplier<String> scrape)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "tern-management-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ManagementServer m = new ManagementServer(server, executor);
        m.handle("/metrics", exchange -> {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
                return;
            }
            String text;
            try {
                text = scrape.get();
            } catch (IllegalStateException e) {
                send(exchange, 503, "text/plain; charset=utf-8", "the broker did not answer: " + e.getMessage() + "\n");
                return;
            }
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text);
        });
        server.start();
        LOG.info("management port listening on http://{}:{}/ (metrics at /metrics)", host, m.port());
        return m;
    }

    /** Serves {@code path} (and everything under it) with {@code handler}; failures answer 500 and are logged. */
    public void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                handler.handle(exchange);
            } catch (IOException e) {
                LOG.debug("management request {} failed: {}", exchange.getRequestURI(), e.toString());
            } catch (RuntimeException e) {
                LOG.warn("management request {} failed", exchange.getRequestURI(), e);
                try {
                    send(exchange, 500, "text/plain; charset=utf-8", "internal error: " + e + "\n");
                } catch (IOException | RuntimeException ignored) {
                    // the response had started already
                }
            }
        });
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Sends a complete response. */
    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
