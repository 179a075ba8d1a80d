package org.ternmq.it.wildfly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ternmq.it.app.Deployments;
import org.ternmq.it.app.Names;
import org.ternmq.it.app.Scenarios;
import org.ternmq.it.app.TestBroker;
import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Not part of the regular run (run it with {@code -Dtest=InDoubtExperiment}): the in-doubt cases scenario (d)
 * meets only when its kill happens to land in them, made on purpose, to show WildFly's recovery finishes them.
 * A deferred PostgreSQL trigger makes the prepare of rows whose id starts with {@code slow} take 4 s; the broker
 * is SIGKILLed 2 s into it, while the transaction's Tern branches enlisted before PostgreSQL are prepared.
 * <ul>
 * <li>the bean (reply sent, then row inserted): every branch is prepared, the transaction manager decides commit,
 * the reply's commit fails; its recovery must commit it once the broker is back: the reply arrives, once;
 * <li>the MDB (message acknowledged, row inserted, reply sent): the reply's branch cannot prepare, the transaction
 * rolls back, but the acknowledgement's branch stays prepared at the broker, holding the order, with no record
 * in the transaction log; recovery must roll it back as an orphan, and the MDB then gets the order again: one row,
 * one reply.
 * </ul>
 * Each case checks that the restarted broker did find a prepared branch, so it cannot pass by luck.
 *
 * <p>The trigger lives on the shared table {@code it_rows} only while the class runs; its DDL waits for the table's
 * lock at most 2 s at a time (other tests' transactions, prepared ones too, hold it), so it never holds up theirs.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InDoubtExperiment {

    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final Path BROKER_DIR = Path.of("target", "it-broker");
    private static final ChildBroker BROKER = TestBroker.start(BROKER_DIR);

    private final Map<String, Integer> replies = new HashMap<>();

    @ArquillianResource
    @OperateOnDeployment("app")
    private URL app;

    @Deployment(name = "app", testable = false)
    static WebArchive app() {
        return Deployments.app("java:/jms/ternCF", "java:jboss/datasources/ternXA",
                Map.of("destination", Names.ORDERS), Map.of());
    }

    @BeforeAll
    static void slowPrepare() throws Exception {
        Scenarios.prepareDatabase();
        sql("CREATE OR REPLACE FUNCTION it_slow_prepare() RETURNS trigger AS $$ BEGIN "
                + "IF NEW.id LIKE 'slow%' THEN PERFORM pg_sleep(4); END IF; RETURN NULL; END $$ LANGUAGE plpgsql");
        sql("DROP TRIGGER IF EXISTS it_slow ON it_rows");
        sql("CREATE CONSTRAINT TRIGGER it_slow AFTER INSERT ON it_rows DEFERRABLE INITIALLY DEFERRED "
                + "FOR EACH ROW EXECUTE FUNCTION it_slow_prepare()");
    }

    @AfterAll
    static void after() throws Exception {
        try {
            sql("DROP TRIGGER IF EXISTS it_slow ON it_rows");
            sql("DROP FUNCTION IF EXISTS it_slow_prepare()");
        } finally {
            BROKER.close();
        }
    }

    @Test
    @Order(1)
    void beanTransactionDecidedCommitWhenTheBrokerDied() throws Exception {
        drainReplies();
        String id = "slow-bean-" + UUID.randomUUID();
        CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> get("control?op=send&id=" + id));
        Thread.sleep(2000);
        long killed = System.currentTimeMillis();
        BROKER.kill();
        System.out.println("bean: the call gave " + call.get());
        BROKER.start();
        assertThat(preparedAtRestart()).as("branches the restarted broker found prepared").isPositive();
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(id) == 1);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            drainReplies();
            return replies.containsKey("bean:" + id);
        });
        System.out.println("bean: reply committed by recovery " + (System.currentTimeMillis() - killed) + " ms after the kill");
        Thread.sleep(2000);
        drainReplies();
        assertThat(replies.get("bean:" + id)).isEqualTo(1);
        assertThat(rows(id)).isEqualTo(1);
    }

    @Test
    @Order(2)
    void mdbTransactionAbandonedWithItsAcknowledgementPrepared() throws Exception {
        drainReplies();
        String id = "slow-mdb-" + UUID.randomUUID();
        try (jakarta.jms.Connection c = new TernConnectionFactory(BROKER.url()).createConnection()) {
            Session s = c.createSession();
            s.createProducer(s.createQueue(Names.ORDERS)).send(s.createTextMessage(id));
        }
        Thread.sleep(2000);
        long killed = System.currentTimeMillis();
        BROKER.kill();
        Thread.sleep(3000);
        BROKER.start();
        assertThat(preparedAtRestart()).as("branches the restarted broker found prepared").isPositive();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> rows(id) == 1);
        System.out.println("mdb: orphan rolled back and order consumed " + (System.currentTimeMillis() - killed)
                + " ms after the kill");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            drainReplies();
            return replies.containsKey("reply:" + id);
        });
        Thread.sleep(6000); // a second delivery would take 4 s to prepare
        drainReplies();
        assertThat(replies.get("reply:" + id)).isEqualTo(1);
        assertThat(rows(id)).isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String get(String path) {
        try {
            HttpURLConnection http = (HttpURLConnection) new URL(app, path).openConnection();
            int status = http.getResponseCode();
            try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
                return status + " " + (in == null ? "" : new String(in.readAllBytes()));
            }
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** "XA branch ... is prepared" lines in the log of the broker's latest start. */
    private static long preparedAtRestart() throws Exception {
        Path latest;
        try (Stream<Path> logs = Files.list(BROKER_DIR.resolve("logs"))) {
            latest = logs.max((a, b) -> Long.compare(generation(a), generation(b))).orElseThrow();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(latest).contains("started"));
        return Files.readAllLines(latest).stream().filter(l -> l.contains("is prepared")).count();
    }

    private static long generation(Path log) {
        String name = log.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }

    /** DDL that gives way: 2 s at most in the table's lock queue at a time, for 2 minutes. */
    private static void sql(String statement) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(JDBC, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '2s'");
                s.execute(statement);
                return;
            } catch (SQLException e) {
                if (!"55P03".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static int rows(String id) throws Exception {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM it_rows WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private void drainReplies() throws Exception {
        try (jakarta.jms.Connection c = new TernConnectionFactory(BROKER.url()).createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue(Names.REPLIES));
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                replies.merge(((TextMessage) m).getText(), 1, Integer::sum);
            }
        }
    }
}
