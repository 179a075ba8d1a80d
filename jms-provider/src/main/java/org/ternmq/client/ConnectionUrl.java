package org.ternmq.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ternmq.transport.TransportAddress;

/**
 * A parsed connection URL: {@code tern://host[:port][,host2[:port2]...][?options]} for TCP (default port
 * {@value TransportAddress#DEFAULT_PORT}) or {@code vm://name[?options]} for the in-VM acceptor of that name.
 *
 * <p>Options, each {@code name=value} separated by {@code &}:
 * <ul>
 *   <li>{@code clientId}: the administratively configured client id (none by default)</li>
 *   <li>{@code user}, {@code password}: credentials (anonymous by default)</li>
 *   <li>{@code prefetch}: messages a consumer may hold unconsumed, at least 1 (default {@value #DEFAULT_PREFETCH})</li>
 *   <li>{@code connectTimeout}: milliseconds to wait for the TCP connection and handshake, at least 1
 *       (default {@value #DEFAULT_CONNECT_TIMEOUT_MS})</li>
 *   <li>{@code trustedPackages}: comma-separated packages whose classes an ObjectMessage may deserialize,
 *       besides java.lang, java.util, java.time and java.math ({@code org.ternmq.jms.message.TrustedPackages})</li>
 *   <li>{@code requestTimeout}: milliseconds to wait for a broker's answer to a request, at least 1
 *       (default {@value #DEFAULT_REQUEST_TIMEOUT_MS})</li>
 *   <li>{@code maxMessageSize}: the largest message (body, headers and properties) a send may carry, in
 *       bytes, up to 2^62; a larger one fails on the client and the connection stays usable (default
 *       {@value #DEFAULT_MAX_MESSAGE_SIZE}: what fits in the broker's default frame limit, 8 MiB, with room for
 *       the frame's own header). Raise it to send large messages bigger than that: they travel in chunks</li>
 *   <li>{@code largeMessageSize}: a message whose encoded size is above this many bytes, or whose body is given
 *       as a stream ({@code JMS_TERN_InputStream}), is sent as a large message, in chunks of this size, and the
 *       broker never holds its body whole; 1024 to {@value #DEFAULT_MAX_MESSAGE_SIZE} (default
 *       {@value #DEFAULT_LARGE_MESSAGE_SIZE})</li>
 *   <li>{@code spoolDirectory}: with {@code failover=true}, where a body streamed from the application
 *       ({@code JMS_TERN_InputStream}) is kept, in a temporary file readable by its owner only, while its message is
 *       sent, so that an upload a failover cuts short can be sent again (default: {@code java.io.tmpdir})</li>
 *   <li>{@code failover}: {@code true} to reconnect transparently after a lost connection, trying the hosts in
 *       turn (default {@code false}: a lost connection ends the JMS connection)</li>
 *   <li>{@code reconnectAttempts}: passes over the host list before failover gives up, -1 for ever
 *       (default {@value #DEFAULT_RECONNECT_ATTEMPTS})</li>
 *   <li>{@code reconnectDelay}: milliseconds before the second pass, doubling each pass (default
 *       {@value #DEFAULT_RECONNECT_DELAY_MS})</li>
 *   <li>{@code maxReconnectDelay}: upper bound of that delay, in milliseconds (default
 *       {@value #DEFAULT_MAX_RECONNECT_DELAY_MS})</li>
 *   <li>{@code heartbeat}: over TCP, milliseconds of silence in either direction after which the client sends the
 *       broker a ping, 0 for none (default {@value #DEFAULT_HEARTBEAT_MS})</li>
 *   <li>{@code connectionTtl}: milliseconds without a byte from the other side after which a TCP connection is
 *       taken for dead, by the client (it fails over, or reports the loss) and by the broker (it closes the
 *       connection and gives its unacknowledged messages to other consumers); above {@code heartbeat} (default
 *       three heartbeats; none when {@code heartbeat=0})</li>
 *   <li>{@code directIo}: {@code true} (default) for a plain TCP connection without failover to do its I/O on the
 *       application's threads: the thread that waits for an answer or a message reads the socket itself, and a
 *       thread that sends writes it, so a synchronous send costs no wake-up of another thread; {@code false} for a
 *       Netty event-loop thread per connection, as TLS, in-VM and failover connections always have</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ConnectionUrl {

    public static final int DEFAULT_PREFETCH = 1000;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024 - 1024;
    public static final int DEFAULT_LARGE_MESSAGE_SIZE = 1024 * 1024;
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 60;
    public static final int DEFAULT_RECONNECT_DELAY_MS = 100;
    public static final int DEFAULT_MAX_RECONNECT_DELAY_MS = 2_000;
    public static final int DEFAULT_HEARTBEAT_MS = 5_000;

    private static final Set<String> OPTIONS = Set.of("clientId", "user", "password", "prefetch", "connectTimeout",
            "requestTimeout", "maxMessageSize", "trustedPackages", "ssl", "trustStore", "trustStorePassword",
            "keyStore", "keyStorePassword", "verifyHost", "failover", "reconnectAttempts", "reconnectDelay",
            "maxReconnectDelay", "largeMessageSize", "heartbeat", "connectionTtl", "spoolDirectory", "directIo");

    private final String text;
    private final List<TransportAddress> addresses;
    private final Map<String, String> options;
    private final boolean sslScheme;

    private ConnectionUrl(String text, List<TransportAddress> addresses, Map<String, String> options, boolean sslScheme) {
        this.sslScheme = sslScheme;
        this.text = text;
        this.addresses = List.copyOf(addresses);
        this.options = Collections.unmodifiableMap(options);
    }

    /**
     * @throws IllegalArgumentException naming what is wrong: scheme, host, port or option
     */
    public static ConnectionUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("connection URL is empty");
        }
        String trimmed = url.trim();
        int q = trimmed.indexOf('?');
        String location = q < 0 ? trimmed : trimmed.substring(0, q);
        Map<String, String> options = q < 0 ? new LinkedHashMap<>() : parseOptions(url, trimmed.substring(q + 1));
        List<TransportAddress> addresses;
        boolean ssl = false;
        if (location.startsWith("tern://")) {
            addresses = parseHosts(url, location.substring("tern://".length()));
        } else if (location.startsWith("tern+ssl://")) {
            addresses = parseHosts(url, location.substring("tern+ssl://".length()));
            ssl = true;
        } else if (location.startsWith("vm://")) {
            String name = location.substring("vm://".length());
            if (name.isEmpty() || name.contains("/") || name.contains(",")) {
                throw new IllegalArgumentException("bad in-VM name '" + name + "' in URL " + url);
            }
            addresses = List.of(TransportAddress.vm(name));
        } else {
            throw new IllegalArgumentException("URL must start with tern://, tern+ssl:// or vm://: " + url);
        }
        ConnectionUrl parsed = new ConnectionUrl(trimmed, addresses, options, ssl);
        for (String flag : List.of("ssl", "verifyHost")) {
            String v = options.get(flag);
            if (v != null && !v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("option " + flag + " must be true or false, not '" + v + "', in URL " + url);
            }
        }
        if (parsed.ssl() && addresses.get(0).type() != TransportAddress.Type.TCP) {
            throw new IllegalArgumentException("TLS is for tern:// URLs, not in-VM ones: " + url);
        }
        // validate numeric options now, so a bad URL fails where it is given
        parsed.prefetch();
        parsed.connectTimeoutMillis();
        parsed.requestTimeoutMillis();
        parsed.maxMessageSize();
        parsed.largeMessageSize();
        parsed.failover();
        parsed.directIo();
        parsed.spoolDirectory();
        parsed.reconnectAttempts();
        parsed.reconnectDelayMillis();
        if (parsed.maxReconnectDelayMillis() < parsed.reconnectDelayMillis()) {
            throw new IllegalArgumentException("option maxReconnectDelay (" + parsed.maxReconnectDelayMillis()
                    + ") must not be below reconnectDelay (" + parsed.reconnectDelayMillis() + "), in URL " + url);
        }
        parsed.connectionTtlMillis();
        return parsed;
    }

    private static List<TransportAddress> parseHosts(String url, String hosts) {
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        List<TransportAddress> result = new ArrayList<>();
        for (String hostPort : hosts.split(",", -1)) {
            result.add(parseHost(url, hostPort.trim()));
        }
        return result;
    }

    private static TransportAddress parseHost(String url, String hostPort) {
        String host = hostPort;
        int port = TransportAddress.DEFAULT_PORT;
        int colon = hostPort.lastIndexOf(':');
        boolean ipv6 = hostPort.startsWith("[");
        if (ipv6) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 address '" + hostPort + "' in URL " + url);
            }
            host = hostPort.substring(1, close);
            colon = hostPort.indexOf(':', close);
            if (colon >= 0 && colon != close + 1) {
                throw new IllegalArgumentException("bad host '" + hostPort + "' in URL " + url);
            }
        } else if (colon >= 0) {
            host = hostPort.substring(0, colon);
        }
        if (colon >= 0) {
            port = parsePort(url, hostPort.substring(colon + 1));
        }
        if (host.isEmpty() || host.contains("/")) {
            throw new IllegalArgumentException("empty or bad host '" + hostPort + "' in URL " + url);
        }
        return TransportAddress.tcp(host, port);
    }

    private static int parsePort(String url, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the URL
        }
        throw new IllegalArgumentException("bad port '" + text + "' in URL " + url + " (must be 1..65535)");
    }

    private static Map<String, String> parseOptions(String url, String query) {
        Map<String, String> options = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return options;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option '" + pair + "' is not name=value in URL " + url);
            }
            String name = pair.substring(0, eq);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "' in URL " + url + "; known: "
                        + OPTIONS.stream().sorted().toList());
            }
            if (options.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new IllegalArgumentException("option '" + name + "' given twice in URL " + url);
            }
        }
        return options;
    }

    /** @return the brokers to try, in order (one for in-VM) */
    public List<TransportAddress> addresses() {
        return addresses;
    }

    /** @return the administratively configured client id, or null */
    public String clientId() {
        return options.get("clientId");
    }

    /** @return the user, or null for anonymous */
    public String user() {
        return options.get("user");
    }

    /** @return the password, or null */
    public String password() {
        return options.get("password");
    }

    /** @return whether to connect with TLS: a tern+ssl:// URL or the option ssl=true */
    public boolean ssl() {
        return sslScheme || "true".equals(options.get("ssl"));
    }

    /** @return the trust store (PKCS12, JKS, or PEM certificates) that verifies the broker, or null for the JDK's */
    public String trustStore() {
        return options.get("trustStore");
    }

    public String trustStorePassword() {
        return options.get("trustStorePassword");
    }

    /** @return the key store with the client's certificate, for brokers that want one, or null */
    public String keyStore() {
        return options.get("keyStore");
    }

    public String keyStorePassword() {
        return options.get("keyStorePassword");
    }

    /** @return whether the broker's certificate must name the host connected to (default true) */
    public boolean verifyHost() {
        return !"false".equals(options.get("verifyHost"));
    }

    /** @return the packages named by the trustedPackages option (comma-separated), or null */
    public String trustedPackages() {
        return options.get("trustedPackages");
    }

    public int prefetch() {
        return positiveInt("prefetch", DEFAULT_PREFETCH);
    }

    public int connectTimeoutMillis() {
        return positiveInt("connectTimeout", DEFAULT_CONNECT_TIMEOUT_MS);
    }

    public int requestTimeoutMillis() {
        return positiveInt("requestTimeout", DEFAULT_REQUEST_TIMEOUT_MS);
    }

    /** The largest message a send may carry, in bytes (encoded headers and properties plus the body). */
    public long maxMessageSize() {
        String value = options.get("maxMessageSize");
        if (value == null) {
            return DEFAULT_MAX_MESSAGE_SIZE;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 1 && n <= 1L << 62) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option maxMessageSize must be a positive integer up to 2^62, not '"
                + value + "', in URL " + text);
    }

    /** Above this encoded size a message is sent as a large one; also the size of its chunks. */
    public int largeMessageSize() {
        int n = positiveInt("largeMessageSize", DEFAULT_LARGE_MESSAGE_SIZE);
        if (n < 1024 || n > DEFAULT_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("option largeMessageSize must be between 1024 and "
                    + DEFAULT_MAX_MESSAGE_SIZE + " (chunks must fit the broker's default frame limit), not " + n
                    + ", in URL " + text);
        }
        return n;
    }

    /** Where a streamed body is kept while a failing-over connection sends it ({@code spoolDirectory}). */
    public java.nio.file.Path spoolDirectory() {
        String value = options.get("spoolDirectory");
        return java.nio.file.Path.of(value == null || value.isBlank() ? System.getProperty("java.io.tmpdir") : value);
    }

    /** Whether a lost connection is re-established transparently ({@code failover=true}). */
    public boolean failover() {
        return flag("failover", false);
    }

    /**
     * Whether a plain TCP connection without failover does its I/O on the application's threads ({@code directIo},
     * true by default; {@code org.ternmq.client.DirectLink}) instead of a Netty event loop.
     */
    public boolean directIo() {
        return flag("directIo", true);
    }

    private boolean flag(String option, boolean byDefault) {
        String value = options.get(option);
        if (value == null) {
            return byDefault;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("option " + option + " must be true or false, not '" + value + "', in URL "
                + text);
    }

    /** Passes over the host list before failover gives up; -1 for ever. */
    public int reconnectAttempts() {
        String value = options.get("reconnectAttempts");
        if (value != null && value.trim().equals("-1")) {
            return -1;
        }
        if (value != null && value.trim().equals("0")) {
            return 0;
        }
        return positiveInt("reconnectAttempts", DEFAULT_RECONNECT_ATTEMPTS);
    }

    public int reconnectDelayMillis() {
        return positiveInt("reconnectDelay", DEFAULT_RECONNECT_DELAY_MS);
    }

    public int maxReconnectDelayMillis() {
        return positiveInt("maxReconnectDelay", DEFAULT_MAX_RECONNECT_DELAY_MS);
    }

    /** Milliseconds of silence after which a ping goes to the broker; 0 for none. */
    public int heartbeatMillis() {
        String value = options.get("heartbeat");
        return value != null && value.trim().equals("0") ? 0 : positiveInt("heartbeat", DEFAULT_HEARTBEAT_MS);
    }

    /** Milliseconds without a byte from the other side after which a connection is taken for dead; 0 for never. */
    public int connectionTtlMillis() {
        int heartbeat = heartbeatMillis();
        if (heartbeat == 0) {
            if (options.containsKey("connectionTtl")) {
                throw new IllegalArgumentException("option connectionTtl needs heartbeats (heartbeat=0 turns them off),"
                        + " in URL " + text);
            }
            return 0;
        }
        int ttl = positiveInt("connectionTtl", (int) Math.min(Integer.MAX_VALUE, 3L * heartbeat));
        if (ttl <= heartbeat) {
            throw new IllegalArgumentException("option connectionTtl (" + ttl + ") must be above heartbeat ("
                    + heartbeat + "): a connection would be taken for dead before its ping is answered, in URL " + text);
        }
        return ttl;
    }

    private int positiveInt(String name, int defaultValue) {
        String value = options.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("option " + name + " must be a positive integer, not '" + value
                + "', in URL " + text);
    }

    @Override
    public String toString() {
        return text.replaceAll("(?i)password=[^&]*", "password=***");
    }
}
