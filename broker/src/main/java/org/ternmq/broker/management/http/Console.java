package org.ternmq.broker.management.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ternmq.broker.core.BrokerStatistics;
import org.ternmq.broker.management.BrokerManagement;
import org.ternmq.broker.management.BrokerMetrics;
import org.ternmq.broker.security.Authenticator;

/**
 * The web console on the management port: static pages (plain HTML, CSS and JavaScript from
 * {@code /console/} on the class path, no CDN) and a JSON API under {@code /api/}. Every decision is made here,
 * the browser only shows what the API returns and posts what the operator asks for.
 *
 * <p>Access: with users, a login by a user with the {@code admin} role (a session cookie, 8 hours); without users,
 * no login, but only from loopback addresses. Changes need a POST with the header {@code X-Tern-Console}, which
 * a cross-site form cannot send. Thread-safe.
 */
public final class Console {

    private static final String COOKIE = "tern_console";
    private static final long SESSION_MILLIS = 8 * 3600 * 1000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final BrokerManagement management;
    private final BrokerMetrics metrics;
    private final Authenticator authenticator;
    private final boolean hasUsers;
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public Console(BrokerManagement management, BrokerMetrics metrics, Authenticator authenticator, boolean hasUsers) {
        this.management = management;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.hasUsers = hasUsers;
    }

    /** Serves the console at {@code /} and its API at {@code /api/} on {@code server}. */
    public void install(ManagementServer server) {
        server.handle("/", this::page);
        server.handle("/session", this::login);
        server.handle("/api/", this::api);
    }

    // ---- access

    private boolean loopback(HttpExchange x) {
        InetAddress a = x.getRemoteAddress().getAddress();
        return a != null && a.isLoopbackAddress();
    }

    /** Whether the request may use the console; answers 401/403 itself when not. */
    private boolean allowed(HttpExchange x, boolean api) throws IOException {
        if (!hasUsers) {
            if (loopback(x)) {
                return true;
            }
            ManagementServer.send(x, 403, "text/plain; charset=utf-8", "This broker has no users, so its console is "
                    + "open only to loopback addresses (127.0.0.1, ::1). Give the broker a users file (--users) with an "
                    + "admin user to use the console from elsewhere.\n");
            return false;
        }
        String token = cookie(x);
        Long expires = token == null ? null : sessions.get(token);
        if (expires != null && expires > System.currentTimeMillis()) {
            return true;
        }
        if (api) {
            json(x, 401, Map.of("error", "log in first"));
        } else {
            x.getResponseHeaders().set("Location", "/login.html");
            x.sendResponseHeaders(303, -1);
        }
        return false;
    }

    private static String cookie(HttpExchange x) {
        for (String header : x.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    return p.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /**
     * A console login is a broker login (the login module, the slowing of failures per address, the audit log)
     * by a user with the admin role.
     */
    private boolean administratorLogin(String user, String password, HttpExchange x) {
        java.util.concurrent.CompletableFuture<Authenticator.Outcome> outcome = new java.util.concurrent.CompletableFuture<>();
        authenticator.login(new org.ternmq.broker.security.LoginRequest(user, password, null, x.getRemoteAddress()),
                "console", outcome::complete);
        try {
            Authenticator.Outcome o = outcome.get(60, java.util.concurrent.TimeUnit.SECONDS);
            return o.succeeded() && authenticator.isAdministrator(o.user());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private void login(HttpExchange x) throws IOException {
        if (!x.getRequestMethod().equals("POST")) {
            ManagementServer.send(x, 405, "text/plain; charset=utf-8", "POST the form of /login.html\n");
            return;
        }
        Map<String, String> form = form(x);
        String user = form.getOrDefault("user", "");
        boolean ok = hasUsers ? administratorLogin(user, form.getOrDefault("password", ""), x) : loopback(x);
        if (!ok) {
            x.getResponseHeaders().set("Location", "/login.html?failed");
            x.sendResponseHeaders(303, -1);
            return;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        long now = System.currentTimeMillis();
        sessions.values().removeIf(expiry -> expiry < now);
        sessions.put(token, now + SESSION_MILLIS);
        x.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        x.getResponseHeaders().set("Location", "/");
        x.sendResponseHeaders(303, -1);
    }

    // ---- pages

    private void page(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (path.equals("/")) {
            path = "/index.html";
        }
        boolean loginPage = path.equals("/login.html") || path.equals("/console.css");
        if (!loginPage && !allowed(x, false)) {
            return;
        }
        if (path.contains("..") || !path.matches("/[a-z.-]+")) {
            ManagementServer.send(x, 404, "text/plain; charset=utf-8", "not found\n");
            return;
        }
        try (InputStream in = Console.class.getResourceAsStream("/console" + path)) {
            if (in == null) {
                ManagementServer.send(x, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            String ext = path.substring(path.lastIndexOf('.') + 1);
            ManagementServer.send(x, 200, TYPES.getOrDefault(ext, "application/octet-stream"),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    // ---- API

    private void api(HttpExchange x) throws IOException {
        if (!allowed(x, true)) {
            return;
        }
        String op = x.getRequestURI().getPath().substring("/api/".length());
        Map<String, String> q = query(x);
        boolean post = x.getRequestMethod().equals("POST");
        if (post && !x.getRequestHeaders().containsKey("X-Tern-Console")) {
            json(x, 403, Map.of("error", "changes need the X-Tern-Console header"));
            return;
        }
        if (post) {
            q.putAll(form(x));
        }
        try {
            Object result = post ? change(op, q) : read(op, q);
            if (result == null) {
                json(x, 404, Map.of("error", "no such API call: " + op));
            } else {
                json(x, 200, result);
            }
        } catch (IllegalArgumentException e) {
            json(x, 400, Map.of("error", e.getMessage()));
        } catch (IllegalStateException e) {
            json(x, 503, Map.of("error", e.getMessage()));
        }
    }

    private Object read(String op, Map<String, String> q) {
        switch (op) {
            case "overview": {
                BrokerStatistics s = metrics.refresh();
                long enqueued = 0;
                long acknowledged = 0;
                long waiting = 0;
                for (BrokerStatistics.Destination d : s.destinations()) {
                    enqueued += d.enqueued();
                    acknowledged += d.acknowledged();
                    waiting += d.waiting();
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("time", s.takenAt());
                o.put("uptimeMillis", s.takenAt() - s.startedAt());
                o.put("connections", s.connections());
                o.put("sessions", s.sessions());
                o.put("destinations", s.destinations().size());
                o.put("memoryBytes", s.memoryBytes());
                o.put("maxMemory", s.maxMemory());
                o.put("producersHeldBack", s.producersHeldBack());
                o.put("preparedBranches", s.preparedBranches());
                o.put("storeFenced", s.storeFenced());
                o.put("enqueued", enqueued);
                o.put("acknowledged", acknowledged);
                o.put("waiting", waiting);
                o.put("journalForces", metrics.journalForces());
                return o;
            }
            case "destinations": {
                String filter = q.getOrDefault("filter", "").toLowerCase(Locale.ROOT);
                String type = q.getOrDefault("type", "");
                int offset = Math.max(0, intParam(q, "offset", 0));
                int limit = Math.min(500, Math.max(1, intParam(q, "limit", 50)));
                List<BrokerStatistics.Destination> matching = new ArrayList<>();
                for (BrokerStatistics.Destination d : metrics.refresh().destinations()) {
                    if ((filter.isEmpty() || d.name().toLowerCase(Locale.ROOT).contains(filter))
                            && (type.isEmpty() || d.type().equals(type))) {
                        matching.add(d);
                    }
                }
                return Map.of("total", matching.size(), "offset", offset,
                        "items", matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size())));
            }
            case "destination": {
                String name = required(q, "name");
                BrokerStatistics.Destination d = metrics.refresh().destination(name);
                if (d == null) {
                    throw new IllegalArgumentException("no queue or durable subscription '" + name + "'");
                }
                return Map.of("destination", d, "consumers", management.consumers(name));
            }
            case "messages":
                return management.browse(required(q, "name"), q.get("selector"), Math.max(0, intParam(q, "offset", 0)),
                        Math.min(200, Math.max(1, intParam(q, "limit", 20))));
            case "connections":
                return metrics.refresh().connectionList();
            case "xa":
                return Map.of("prepared", lines(management.listPrepared()), "heuristic", lines(management.listHeuristic()));
            default:
                return null;
        }
    }

    private Object change(String op, Map<String, String> q) {
        switch (op) {
            case "redrive":
                return Map.of("count", management.moveMessages(required(q, "name"), null, blank(q.get("selector"))));
            case "move":
                return Map.of("count", management.moveMessages(required(q, "name"), required(q, "to"),
                        blank(q.get("selector"))));
            case "delete-messages":
                return Map.of("count", management.purge(required(q, "name"), required(q, "selector")));
            case "purge":
                return Map.of("count", management.purge(required(q, "name"), null));
            case "pause":
                management.setPaused(required(q, "name"), true);
                return Map.of("paused", true);
            case "resume":
                management.setPaused(required(q, "name"), false);
                return Map.of("paused", false);
            case "xa-commit":
                return Map.of("result", management.commitPrepared(required(q, "xid")));
            case "xa-rollback":
                return Map.of("result", management.rollbackPrepared(required(q, "xid")));
            default:
                return null;
        }
    }

    private static List<String> lines(String text) {
        return text.startsWith("no ") ? List.of() : List.of(text.split("\n"));
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("'" + name + "' is needed");
        }
        return v;
    }

    private static int intParam(Map<String, String> q, String name, int dflt) {
        try {
            return q.containsKey(name) ? Integer.parseInt(q.get(name)) : dflt;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be a whole number");
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        return decode(x.getRequestURI().getRawQuery());
    }

    private static Map<String, String> form(HttpExchange x) throws IOException {
        try (InputStream in = x.getRequestBody()) {
            return decode(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
        }
    }

    private static Map<String, String> decode(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            m.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void json(HttpExchange x, int status, Object body) throws IOException {
        ManagementServer.send(x, status, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    }
}
