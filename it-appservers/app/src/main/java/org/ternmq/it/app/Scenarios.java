package org.ternmq.it.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The scenarios the resource adapter issue asks for, run from the test JVM against the application deployed in a
 * server and a broker in a child process: (a) an MDB consumes, inserts and replies in one transaction; (b) an MDB
 * that throws leaves no row and no reply, and its message ends in the dead-letter queue with the exception; (c) a
 * bean's transaction rolled back leaves neither message nor row; (d) the broker killed and restarted while the
 * application runs: the MDB resumes and no acknowledged message is lost or doubled; (e) a durable-subscription
 * MDB undeployed and redeployed receives what was published meanwhile; (f) {@code @Inject JMSContext} sends inside
 * a transaction.
 *
 * <p>The broker's policy for the orders queue: three delivery attempts, then the dead-letter queue
 * ({@link #brokerConfig}).
 */
public final class Scenarios {

    static final String JDBC_URL = System.getProperty("tern.it.jdbc", "jdbc:postgresql://127.0.0.1:5432/test");
    static final Duration PATIENCE = Duration.ofSeconds(Long.getLong("tern.it.patience", 120));

    private final ChildBroker broker;
    private final URL app;

    /**
     * @param broker the broker the server's resource adapter is configured to reach
     * @param app    the base URL of {@value Names#APP} in the server
     */
    public Scenarios(ChildBroker broker, URL app) {
        this.broker = broker;
        this.app = app;
    }

    /** The broker's configuration file: the orders queue gives up after three attempts. */
    public static Path brokerConfig(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("tern-it.properties");
        Files.writeString(file, String.join("\n",
                "policy.orders.match=" + Names.ORDERS,
                "policy.orders.max-delivery-attempts=3",
                "policy.orders.redelivery-delay=100", ""));
        return file;
    }

    /** Creates the table the application writes to. */
    public static void prepareDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS it_rows (id varchar(80) PRIMARY KEY, source varchar(16))");
        }
    }

    // ---- the scenarios ----------------------------------------------------------------------------

    /** (a) */
    public void mdbConsumesInsertsAndRepliesInOneTransaction() throws Exception {
        String id = id("order");
        sendOrder(id);
        await().atMost(PATIENCE).until(() -> rows(id) == 1);
        assertThat(replies("reply:" + id, 1)).isEqualTo(1);
        assertThat(rows(id)).isEqualTo(1);
        assertThat(leftIn(Names.ORDERS)).as("orders left").isZero();
    }

    /** (b) */
    public void throwingMdbRollsBackAndItsMessageEndsDeadLettered() throws Exception {
        String id = id("fail");
        sendOrder(id);
        Message dead = awaitDeadLetter(id);
        assertThat(dead.getIntProperty("JMS_TERN_DeliveryAttempts")).isEqualTo(3);
        assertThat(dead.getStringProperty("JMS_TERN_DeadLetterException")).contains("refused by the bean");
        assertThat(rows(id)).as("rows of a rolled-back order").isZero();
        assertThat(replies("reply:" + id, 0)).as("replies of a rolled-back order").isZero();
    }

    /** (c) */
    public void beanTransactionRolledBackLeavesNeitherMessageNorRow() throws Exception {
        String kept = id("bean");
        String dropped = id("bean-rb");
        call("send", kept);
        call("rollback", dropped);
        assertThat(rows(kept)).isEqualTo(1);
        assertThat(rows(dropped)).isZero();
        assertThat(replies("bean:" + kept, 1)).isEqualTo(1);
        assertThat(replies("bean:" + dropped, 0)).isZero();
    }

    /** (d) */
    public void mdbResumesAfterTheBrokerIsKilledAndNothingIsLostOrDoubled() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = id("kill" + i);
            ids.add(id);
            sendOrder(id);
        }
        await().atMost(PATIENCE).until(() -> count(ids) >= 5);
        broker.kill();
        broker.start();
        for (int i = 0; i < 10; i++) {
            String id = id("after" + i);
            ids.add(id);
            sendOrder(id);
        }
        await().atMost(PATIENCE.multipliedBy(2)).until(() -> count(ids) == ids.size());
        await().atMost(PATIENCE).until(() -> leftIn(Names.ORDERS) == 0);
        // replies of a transaction the kill left in doubt appear once the server's recovery commits it
        Map<String, Integer> replies = new HashMap<>();
        await().atMost(PATIENCE).until(() -> {
            allReplies().forEach((k, v) -> replies.merge(k, v, Integer::sum));
            return ids.stream().allMatch(id -> replies.containsKey("reply:" + id));
        });
        Thread.sleep(1000);
        allReplies().forEach((k, v) -> replies.merge(k, v, Integer::sum));
        for (String id : ids) {
            assertThat(rows(id)).as("rows of %s", id).isEqualTo(1);
            assertThat(replies.getOrDefault("reply:" + id, 0)).as("replies to %s", id).isEqualTo(1);
        }
    }

    /** (e) */
    public void durableMdbRedeployedReceivesWhatWasPublishedMeanwhile(Runnable undeploy, Runnable deploy)
            throws Exception {
        String first = id("event");
        String meanwhile = id("event-meanwhile");
        awaitDurableSubscription(); // an activation connects in the background after the deployment
        publish(first);
        await().atMost(PATIENCE).until(() -> rows(first) == 1);
        undeploy.run();
        publish(meanwhile);
        Thread.sleep(500);
        assertThat(rows(meanwhile)).as("nobody consumes while undeployed").isZero();
        deploy.run();
        await().atMost(PATIENCE).until(() -> rows(meanwhile) == 1);
    }

    private void awaitDurableSubscription() {
        String name = Names.EVENTS + "::" + Names.DURABLE_CLIENT_ID + "." + Names.DURABLE_SUBSCRIPTION;
        await().atMost(PATIENCE).until(() -> consumers(name) > 0);
    }

    /** (f) */
    public void injectedContextSendsInsideATransaction() throws Exception {
        String id = id("inject");
        call("inject", id);
        assertThat(rows(id)).isEqualTo(1);
        assertThat(replies("inject:" + id, 1)).isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String id(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    private TernConnectionFactory cf() {
        return new TernConnectionFactory(broker.url());
    }

    private void sendOrder(String id) throws JMSException {
        try (jakarta.jms.Connection c = cf().createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createQueue(Names.ORDERS)).send(s.createTextMessage(id));
        }
    }

    private void publish(String id) throws JMSException {
        try (jakarta.jms.Connection c = cf().createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createTopic(Names.EVENTS)).send(s.createTextMessage(id));
        }
    }

    private void call(String op, String id) throws IOException {
        URL url = new URL(app, "control?op=" + op + "&id=" + id);
        HttpURLConnection http = (HttpURLConnection) url.openConnection();
        int status = http.getResponseCode();
        String body;
        try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
            body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(status).as("GET %s: %s", url, body).isEqualTo(200);
    }

    private static int rows(String id) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM it_rows WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static int count(List<String> ids) throws SQLException {
        int n = 0;
        for (String id : ids) {
            n += rows(id);
        }
        return n;
    }

    /**
     * How many replies with {@code text} arrive, waiting for {@code expected} of them (and a little longer, so
     * a duplicate would show), consuming every reply on the way.
     */
    private int replies(String text, int expected) throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        long deadline = System.nanoTime() + (expected == 0 ? Duration.ofSeconds(2) : PATIENCE).toNanos();
        while (System.nanoTime() < deadline && seen.getOrDefault(text, 0) < expected) {
            allReplies().forEach((k, v) -> seen.merge(k, v, Integer::sum));
        }
        allReplies().forEach((k, v) -> seen.merge(k, v, Integer::sum));
        return seen.getOrDefault(text, 0);
    }

    /** Every reply waiting now, consumed, counted by text. */
    private Map<String, Integer> allReplies() throws JMSException {
        Map<String, Integer> texts = new HashMap<>();
        try (jakarta.jms.Connection c = cf().createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue(Names.REPLIES));
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                texts.merge(((TextMessage) m).getText(), 1, Integer::sum);
            }
        }
        return texts;
    }

    private Message awaitDeadLetter(String id) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try (jakarta.jms.Connection c = cf().createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue("DLQ"));
            while (System.nanoTime() < deadline) {
                Message m = consumer.receive(1000);
                if (m instanceof TextMessage t && t.getText().equals(id)) {
                    return m;
                }
            }
        }
        throw new AssertionError("order " + id + " did not reach the dead-letter queue within " + PATIENCE);
    }

    /** Messages waiting in {@code queue} (management's count, paged ones included). */
    private int leftIn(String queue) throws Exception {
        return listQueues(queue, 1);
    }

    /** Consumers of a queue or durable subscription, as management lists it. */
    private int consumers(String queue) throws Exception {
        return listQueues(queue, 2);
    }

    private int listQueues(String queue, int column) throws Exception {
        try (org.ternmq.client.ClientConnection admin = org.ternmq.client.ClientConnection.connect(
                org.ternmq.client.ConnectionUrl.parse(broker.url()), null, null)) {
            for (String line : admin.manage("list-queues", null, null, null).text().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[0].equals(queue)) {
                    return Integer.parseInt(f[column]);
                }
            }
        }
        return 0;
    }
}
