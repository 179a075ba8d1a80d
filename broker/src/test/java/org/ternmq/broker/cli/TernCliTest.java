package org.ternmq.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.broker.server.TernServerAccess;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The {@code tern} subcommands against a real broker (in this JVM, over TCP, as the CLI reaches any broker):
 * what they print, their exit status, and what they did to the broker.
 */
@Timeout(60)
class TernCliTest {

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;
    private static String url;
    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("policy.retry.match", "retry.#");
        p.setProperty("policy.retry.max-delivery-attempts", "1");
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("cli-test").tcpPort(0).dataDirectory(dir.resolve("data"))
                .policies(ConfigFile.parse(p, "test").policies()).build());
        url = broker.tcpUrl();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void restore() {
        BrokerOptions.environment = System::getenv;
        MessagingCommands.Send.stdin = System.in;
    }

    /** Runs {@code tern args...} as bin/tern would (through the server's dispatch), against the test broker. */
    private int tern(String... args) throws Exception {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return TernServerAccess.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JsonNode json() throws Exception {
        return Output.JSON.readTree(out());
    }

    @Test
    void sendsFromAnArgumentAFileAndStandardInputThenReceives() throws Exception {
        assertThat(tern("send", "cli.in", "from an argument", "--url", url, "-p", "region=eu", "-n", "2")).isZero();
        assertThat(out()).contains("sent 2 message(s) to queue cli.in");
        Path file = dir.resolve("body.txt");
        Files.writeString(file, "from a file");
        assertThat(tern("send", "cli.in", "--file", file.toString(), "--url", url)).isZero();
        MessagingCommands.Send.stdin = new ByteArrayInputStream("from stdin".getBytes(StandardCharsets.UTF_8));
        assertThat(tern("send", "cli.in", "--url", url, "--non-persistent", "--json")).isZero();
        assertThat(json().get("sent").asInt()).isEqualTo(1);
        assertThat(json().get("messageIds").get(0).asText()).startsWith("ID:");

        assertThat(tern("browse", "cli.in", "--url", url, "--json")).isZero();
        assertThat(json()).hasSize(4);
        assertThat(json().get(0).get("properties").get("region").asText()).isEqualTo("eu");
        assertThat(json().get(3).get("deliveryMode").asText()).isEqualTo("NON_PERSISTENT");

        assertThat(tern("receive", "cli.in", "-n", "3", "--url", url)).isZero();
        assertThat(out()).isEqualTo("from an argument\nfrom an argument\nfrom a file\n");
        assertThat(tern("receive", "cli.in", "--url", url, "--json", "--selector", "region IS NULL")).isZero();
        assertThat(json().get(0).get("body").asText()).isEqualTo("from stdin");
        assertThat(json().get(0).get("bodyType").asText()).isEqualTo("TEXT");

        assertThat(tern("receive", "cli.in", "--url", url, "--timeout", "200")).isEqualTo(1);
        assertThat(err()).contains("tern: received 0 of 1 message(s) from queue cli.in within 200 ms each");
    }

    @Test
    void queuesAreCreatedListedCountedAndDeleted() throws Exception {
        assertThat(tern("queue", "create", "cli.q", "--url", url)).isZero();
        assertThat(out()).contains("created queue cli.q");
        assertThat(tern("send", "cli.q", "x", "-n", "3", "--url", url)).isZero();
        assertThat(tern("queue", "list", "--url", url, "--filter", "CLI.Q")).isZero();
        assertThat(out()).containsPattern("(?m)^NAME +WAITING").containsPattern("(?m)^cli\\.q +3 +0 +0");
        assertThat(tern("queue", "stat", "cli.q", "--url", url, "--json")).isZero();
        assertThat(json().get("heap").asInt()).isEqualTo(3);
        assertThat(json().get("enqueued").asLong()).isEqualTo(3);
        assertThat(tern("queue", "delete", "cli.q", "--url", url)).isZero();
        assertThat(out()).contains("deleted queue cli.q with 3 message(s)");
        assertThat(tern("queue", "list", "--url", url)).isZero();
        assertThat(out()).doesNotContain("cli.q");
    }

    @Test
    void unknownQueuesAreRefusedWithStatusOne() throws Exception {
        assertThat(tern("queue", "stat", "nosuch", "--url", url)).isEqualTo(1);
        assertThat(err()).isEqualTo("tern: no queue or durable subscription 'nosuch'\n");
        assertThat(tern("queue", "delete", "nosuch", "--url", url)).isEqualTo(1);
        assertThat(err()).contains("no queue 'nosuch'");
        assertThat(tern("browse", "nosuch", "--url", url)).isEqualTo(1);
        assertThat(err()).contains("no queue 'nosuch'");
        assertThat(tern("purge", "nosuch", "--url", url)).isEqualTo(1);
        assertThat(tern("move", "--from", "nosuch", "--to", "x", "--url", url)).isEqualTo(1);
        assertThat(tern("subscription", "delete", "t::c.none", "--url", url)).isEqualTo(1);
        assertThat(err()).contains("no durable subscription 't::c.none'");
        assertThat(tern("queue", "list", "--url", url)).isZero();
        assertThat(out()).doesNotContain("nosuch");
    }

    @Test
    void aQueueWithAConsumerIsNotDeleted() throws Exception {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("cli.busy"));
            assertThat(tern("queue", "delete", "cli.busy", "--url", url)).isEqualTo(1);
            assertThat(err()).contains("queue 'cli.busy' has 1 consumer(s); close them first");
            consumer.close();
        }
    }

    @Test
    void cannotConnectSaysSoInOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThat(tern("queue", "list", "--url", "tern://127.0.0.1:" + port)).isEqualTo(3);
        assertThat(err()).isEqualTo("tern: cannot connect to 127.0.0.1:" + port
                + ": connection refused (is a broker running?)\n");
        assertThat(tern("send", "q", "x", "--url", "tern://127.0.0.1:" + port)).isEqualTo(3);
        assertThat(err()).isEqualTo("tern: cannot connect to 127.0.0.1:" + port
                + ": connection refused (is a broker running?)\n");
    }

    @Test
    void badUsageIsStatusTwo() throws Exception {
        assertThat(tern("send", "--url", url)).isEqualTo(2);
        assertThat(err()).contains("Missing required parameter: 'DESTINATION'");
        assertThat(tern("queue", "list", "--colour", "blue")).isEqualTo(2);
        assertThat(err()).contains("Unknown options: '--colour'");
        assertThat(tern("receive", "q", "--count", "many")).isEqualTo(2);
        assertThat(err()).contains("Invalid value for option '--count'");
        assertThat(tern("send", "q", "x", "--count", "0", "--url", url)).isEqualTo(2);
        assertThat(err()).contains("--count must be at least 1, was 0");
        assertThat(tern("queue", "list", "--url", "http://x")).isEqualTo(2);
        assertThat(err()).contains("bad --url 'http://x'");
        assertThat(tern("xa", "commit", "not-an-xid", "--url", url)).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        String[][] commands = {{"send"}, {"receive"}, {"browse"}, {"queue", "create"}, {"queue", "delete"},
                {"queue", "list"}, {"queue", "stat"}, {"topic", "list"}, {"subscription", "list"},
                {"subscription", "delete"}, {"connection", "list"}, {"move"}, {"purge"}, {"dlq", "redrive"}, {"stat"},
                {"xa", "list"}, {"half", "list"}, {"find-messages"}, {"trace-message"}, {"replay"}};
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            assertThat(tern(args)).as(String.join(" ", args)).isZero();
            assertThat(out()).startsWith("Usage: tern " + String.join(" ", c)).contains("--url").contains("--json");
        }
        assertThat(tern("--version")).isZero();
        assertThat(out()).startsWith("tern 0.1.0");
    }

    @Test
    void deadLettersAreRedrivenAndQueuesMovedAndPurged() throws Exception {
        assertThat(tern("send", "retry.orders", "poison", "--url", url)).isZero();
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session tx = c.createSession(Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(tx.createQueue("retry.orders"));
            assertThat(consumer.receive(5000)).isNotNull();
            tx.rollback();
            consumer.close();
        }
        assertThat(tern("queue", "stat", "DLQ", "--url", url, "--json")).isZero();
        int dead = json().get("heap").asInt();
        assertThat(dead).isGreaterThanOrEqualTo(1);
        assertThat(tern("dlq", "redrive", "--url", url, "--selector", "JMS_TERN_OriginalDestination = 'retry.orders'"))
                .isZero();
        assertThat(out()).contains("moved 1 message(s) from DLQ to their original destinations");
        assertThat(tern("queue", "stat", "retry.orders", "--url", url, "--json")).isZero();
        assertThat(json().get("heap").asInt()).isEqualTo(1);

        assertThat(tern("move", "--from", "retry.orders", "--to", "cli.parked", "--url", url)).isZero();
        assertThat(out()).contains("moved 1 message(s) from retry.orders to cli.parked");
        assertThat(tern("purge", "cli.parked", "--url", url, "--json")).isZero();
        assertThat(json().get("count").asInt()).isEqualTo(1);
        assertThat(tern("queue", "stat", "cli.parked", "--url", url, "--json")).isZero();
        assertThat(json().get("heap").asInt()).isZero();
    }

    @Test
    void topicsSubscriptionsAndConnectionsAreListed() throws Exception {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.setClientID("cli-client");
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic("cli.prices"), "audit").close();
            assertThat(tern("connection", "list", "--url", url, "--json")).isZero();
            assertThat(json().findValuesAsText("clientId")).contains("cli-client");
            assertThat(tern("topic", "list", "--url", url)).isZero();
            assertThat(out()).containsPattern("(?m)^cli\\.prices +1 +1 +0");
            assertThat(tern("send", "cli.prices", "p1", "--topic", "--url", url)).isZero();
            assertThat(tern("subscription", "list", "--url", url)).isZero();
            assertThat(out()).containsPattern("(?m)^cli\\.prices::cli-client\\.audit +1");
            assertThat(tern("subscription", "delete", "cli.prices::cli-client.audit", "--url", url)).isZero();
            assertThat(out()).contains("deleted subscription cli.prices::cli-client.audit with 1 message(s)");
            assertThat(tern("subscription", "list", "--url", url, "--json")).isZero();
            assertThat(out()).doesNotContain("audit");
        }
    }

    @Test
    void statShowsRates() throws Exception {
        assertThat(tern("send", "cli.rates", "x", "--url", url)).isZero();
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(100);
                new TernCliTest().tern("send", "cli.rates", "y", "-n", "50", "--url", url, "--non-persistent");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();
        assertThat(tern("stat", "--url", url, "--interval", "1500", "-n", "1", "--json")).isZero();
        sender.join();
        JsonNode view = json();
        assertThat(view.get("inPerSecond").asDouble()).isPositive();
        assertThat(view.get("destinations").get(0).get("name").asText()).isEqualTo("cli.rates");
        assertThat(tern("stat", "--url", url, "--interval", "100", "-n", "1")).isZero();
        assertThat(out()).startsWith("tern stat").contains("DESTINATION").contains("cli.rates");
    }

    @Test
    void operatorOperationsAreThere() throws Exception {
        assertThat(tern("xa", "list", "--url", url)).isZero();
        assertThat(out()).contains("no prepared XA branches");
        assertThat(tern("half", "list", "--url", url)).isZero();
        assertThat(out()).contains("no half-messages waiting");
        assertThat(tern("half", "commit", "ID:none", "--url", url)).isEqualTo(1);
        assertThat(tern("trace-message", "ID:none", "--url", url)).isEqualTo(1);
        assertThat(err()).contains("no trace of message 'ID:none'");
        assertThat(tern("find-messages", "--key", "k", "--url", url)).isZero();
        assertThat(out()).contains("no retained message matches");
    }

    @Test
    void theUserAndThePasswordFromTheEnvironment() throws Exception {
        try (EmbeddedBroker secured = EmbeddedBroker.start(BrokerConfig.builder().name("cli-secured").tcpPort(0)
                .dataDirectory(dir.resolve("secured")).user("root", "secret", "admin").user("app", "app")
                .allowAnonymous(false).build())) {
            String securedUrl = secured.tcpUrl();
            BrokerOptions.environment = name -> name.equals("TERN_PASSWORD") ? "secret" : null;
            assertThat(tern("queue", "list", "--url", securedUrl, "--user", "root")).isZero();
            BrokerOptions.environment = name -> name.equals("TERN_PASSWORD") ? "wrong" : null;
            assertThat(tern("queue", "list", "--url", securedUrl, "--user", "root")).isEqualTo(1);
            assertThat(err()).contains("invalid user name or password");
            BrokerOptions.environment = name -> name.equals("TERN_PASSWORD") ? "app" : null;
            assertThat(tern("queue", "list", "--url", securedUrl, "--user", "app")).isEqualTo(1);
            assertThat(err()).contains("lacks permission 'manage'");
            assertThat(tern("send", "q", "x", "--url", securedUrl, "--user", "app")).isZero();
            BrokerOptions.environment = name -> null;
            // no terminal in a test: no prompt either
            assertThat(tern("queue", "list", "--url", securedUrl, "--user", "root")).isEqualTo(2);
            assertThat(err()).contains("--user root needs a password: set TERN_PASSWORD or run in a terminal");
            assertThat(tern("queue", "list", "--url", securedUrl)).isEqualTo(1);
            assertThat(err()).contains("anonymous connections are not allowed");
        }
    }
}
