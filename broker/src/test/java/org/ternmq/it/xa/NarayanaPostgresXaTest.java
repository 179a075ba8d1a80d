package org.ternmq.it.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XASession;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.jboss.narayana.jta.jms.JmsXAResourceRecoveryHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;

/**
 * Tern and PostgreSQL in one global transaction coordinated by a standalone Narayana: both commit or neither
 * does, also when the broker (a child process, SIGKILLed) or the transaction manager (a child JVM, halted) dies
 * half-way, and when the database fails its prepare. The broker runs as {@code bin/tern} runs it; the
 * transaction manager reaches it over TCP through {@link TernXAConnectionFactory}; recovery goes through
 * Narayana's own {@link JmsXAResourceRecoveryHelper}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NarayanaPostgresXaTest {

    private static Path dir;
    private static ChildBroker broker;
    private static TransactionManager tm;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tern-narayana");
        Postgres.setUp();
        broker = new ChildBroker(dir.resolve("broker"), dir.resolve("logs")).start();
        tm = Narayana.configure(dir.resolve("tm"), "tern-tm-test");
        Narayana.recoveryHelpers(new JmsXAResourceRecoveryHelper(new TernXAConnectionFactory(broker.url())),
                Postgres.recoveryHelper());
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void brokerUp() throws Exception {
        if (!broker.isAlive()) {
            broker.start();
        }
    }

    @AfterEach
    void close() throws Exception {
        if (tm.getTransaction() != null) {
            tm.rollback();
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // the broker may have been killed
            }
        }
        resources.clear();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private XASession xaSession() throws Exception {
        jakarta.jms.XAConnection c = new TernXAConnectionFactory(broker.url()).createXAConnection();
        resources.add(c);
        c.start();
        return c.createXASession();
    }

    private XAConnection database() throws Exception {
        XAConnection c = Postgres.dataSource().getXAConnection();
        resources.add(c::close);
        return c;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static void send(String queue, String text) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            TextMessage m = s.createTextMessage(text);
            m.setStringProperty("order", text);
            s.createProducer(s.createQueue(queue)).send(m);
        }
    }

    /** The messages of {@code queue} whose text is {@code text}, consumed. */
    private static List<Message> take(String queue, String text) throws Exception {
        List<Message> got = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue), "order = '" + text + "'");
            for (Message m = consumer.receive(1000); m != null; m = consumer.receive(300)) {
                got.add(m);
            }
        }
        return got;
    }

    private static String admin(String operation) throws Exception {
        try (ClientConnection c = ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null)) {
            return c.manage(operation, null, null, null).text();
        }
    }

    /** Sends {@code text} (with its order property) to {@code queue} in the session's current branch. */
    /** Begins a Narayana transaction with Tern's and PostgreSQL's resources enlisted, in that order. */
    private void begin(XASession jms, XAConnection db) throws Exception {
        tm.begin();
        tm.getTransaction().enlistResource(jms.getXAResource());
        tm.getTransaction().enlistResource(db.getXAResource());
    }

    /** Receives, in the XA session's transaction, the message of {@code queue} whose "order" is {@code id}. */
    private static Message receiveIn(XASession s, String queue, String id) throws Exception {
        return s.createConsumer(s.createQueue(queue), "order = '" + id + "'").receive(5000);
    }

    private static void sendIn(XASession s, String queue, String text) throws Exception {
        TextMessage m = s.createTextMessage(text);
        m.setStringProperty("order", text);
        s.createProducer(s.createQueue(queue)).send(m);
    }

    // ---- both commit or neither ------------------------------------------------------------------

    @Test
    void aSendAndAnInsertCommitTogether() throws Exception {
        String id = id();
        XASession jms = xaSession();
        XAConnection db = database();
        begin(jms, db);
        sendIn(jms, "xa.nar.send", id);
        Postgres.insert(db, id, "sent");
        assertThat(take("xa.nar.send", id)).as("before commit").isEmpty();
        tm.commit();
        assertThat(take("xa.nar.send", id)).hasSize(1);
        assertThat(Postgres.rows(id)).isEqualTo(1);
    }

    @Test
    void aSendAndAnInsertRollBackTogether() throws Exception {
        String id = id();
        XASession jms = xaSession();
        XAConnection db = database();
        begin(jms, db);
        sendIn(jms, "xa.nar.send", id);
        Postgres.insert(db, id, "sent");
        tm.rollback();
        assertThat(take("xa.nar.send", id)).isEmpty();
        assertThat(Postgres.rows(id)).isZero();
    }

    @Test
    void aReceiveAndAnInsertCommitTogether() throws Exception {
        String id = id();
        send("xa.nar.recv", id);
        XASession jms = xaSession();
        XAConnection db = database();
        begin(jms, db);
        assertThat(receiveIn(jms, "xa.nar.recv", id)).isNotNull();
        Postgres.insert(db, id, "received");
        tm.commit();
        close(); // the XA connection, so nothing it buffered hides a message
        assertThat(take("xa.nar.recv", id)).as("consumed").isEmpty();
        assertThat(Postgres.rows(id)).isEqualTo(1);
    }

    @Test
    void aReceiveAndAnInsertRolledBackLeaveTheMessageRedelivered() throws Exception {
        String id = id();
        send("xa.nar.recv", id);
        XASession jms = xaSession();
        XAConnection db = database();
        begin(jms, db);
        assertThat(receiveIn(jms, "xa.nar.recv", id)).isNotNull();
        Postgres.insert(db, id, "received");
        tm.rollback();
        close();
        List<Message> back = take("xa.nar.recv", id);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        assertThat(back.get(0).getJMSRedelivered()).isTrue();
        assertThat(Postgres.rows(id)).isZero();
    }

    @Test
    void theDatabaseFailingItsPrepareRollsTernBack() throws Exception {
        String id = id();
        send("xa.nar.fail", id);
        XASession jms = xaSession();
        XAConnection db = database();
        begin(jms, db);
        assertThat(receiveIn(jms, "xa.nar.fail", id)).isNotNull();
        sendIn(jms, "xa.nar.fail.out", id);
        try (java.sql.Connection c = db.getConnection(); Statement s = c.createStatement()) {
            // a deferred unique constraint is checked when the transaction prepares: it fails there
            s.executeUpdate("INSERT INTO tern_xa_deferred (k) VALUES ('" + id + "')");
            s.executeUpdate("INSERT INTO tern_xa_deferred (k) VALUES ('" + id + "')");
        }
        assertThatThrownBy(tm::commit).isInstanceOf(RollbackException.class);
        close();
        assertThat(take("xa.nar.fail.out", id)).isEmpty();
        assertThat(take("xa.nar.fail", id)).as("the received message is back").hasSize(1);
    }

    // ---- association ----------------------------------------------------------------------------

    @Test
    void aBranchSuspendedAndResumedKeepsOnlyItsOwnWork() throws Exception {
        String id = id();
        XASession jms = xaSession();
        XAResource r = jms.getXAResource();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(r);
        sendIn(jms, "xa.nar.suspend", id + "-a");
        tx.delistResource(r, XAResource.TMSUSPEND);
        sendIn(jms, "xa.nar.suspend", id + "-b"); // outside the transaction: visible at once
        assertThat(take("xa.nar.suspend", id + "-b")).hasSize(1);
        tx.enlistResource(r); // TMRESUME
        sendIn(jms, "xa.nar.suspend", id + "-c");
        assertThat(take("xa.nar.suspend", id + "-a")).isEmpty();
        tm.commit();
        assertThat(take("xa.nar.suspend", id + "-a")).hasSize(1);
        assertThat(take("xa.nar.suspend", id + "-c")).hasSize(1);
    }

    @Test
    void twoSessionsOfOneGlobalTransactionJoinOneBranch() throws Exception {
        String id = id();
        XASession first = xaSession();
        XASession second = xaSession();
        assertThat(first.getXAResource().isSameRM(second.getXAResource())).isTrue();
        XAConnection db = database();
        AtomicReference<String> prepared = new AtomicReference<>();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(new CrashPoint(CrashPoint.When.COMMIT, () -> {
            try {
                prepared.set(admin("list-prepared"));
            } catch (Exception e) {
                prepared.set(e.toString());
            }
        }));
        tx.enlistResource(first.getXAResource());
        tx.enlistResource(second.getXAResource()); // same resource manager: TMJOIN
        tx.enlistResource(db.getXAResource());
        sendIn(first, "xa.nar.join", id + "-1");
        sendIn(second, "xa.nar.join", id + "-2");
        Postgres.insert(db, id, "joined");
        tm.commit();
        assertThat(prepared.get()).as("Tern's branches while the transaction committed").hasLineCount(1)
                .contains("xa.nar.join=2");
        assertThat(take("xa.nar.join", id + "-1")).hasSize(1);
        assertThat(take("xa.nar.join", id + "-2")).hasSize(1);
    }

    // ---- crashes ----------------------------------------------------------------------------------

    @Test
    void theBrokerKilledBetweenPrepareAndCommitIsCommittedByRecovery() throws Exception {
        String id = id();
        XASession jms = xaSession();
        XAConnection db = database();
        tm.begin();
        Transaction tx = tm.getTransaction();
        tx.enlistResource(new CrashPoint(CrashPoint.When.COMMIT, () -> {
            try {
                broker.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        tx.enlistResource(jms.getXAResource());
        tx.enlistResource(db.getXAResource());
        sendIn(jms, "xa.nar.kill", id);
        Postgres.insert(db, id, "kill");
        tm.commit(); // Tern's commit fails (XAER_RMFAIL): Narayana keeps it for recovery
        assertThat(Postgres.rows(id)).isEqualTo(1);
        broker.start();
        assertThat(admin("list-prepared")).contains("xa.nar.kill=1");
        assertThat(take("xa.nar.kill", id)).as("still in doubt").isEmpty();
        Narayana.recover();
        assertThat(take("xa.nar.kill", id)).hasSize(1);
        assertThat(admin("list-prepared")).isEqualTo("no prepared XA branches");
        assertThat(Postgres.rows(id)).isEqualTo(1);
    }

    @Test
    void aTransactionManagerKilledAfterTheDecisionIsCompletedByANewOne() throws Exception {
        String id = id();
        send("xa.tm.in", id);
        Path store = dir.resolve("tm-child-" + id);
        assertThat(runTm("halt-in-commit", store, id)).as("the TM halted").isEqualTo(TmChild.HALTED);
        assertThat(admin("list-prepared")).contains("xa.tm.out=1").contains("xa.tm.in=1");
        assertThat(Postgres.rows(id)).isZero();
        assertThat(runTm("recover", store, id)).isZero();
        assertThat(takeConfirmation(id)).hasSize(1);
        assertThat(take("xa.tm.in", id)).as("the order was consumed").isEmpty();
        assertThat(Postgres.rows(id)).isEqualTo(1);
        assertThat(admin("list-prepared")).isEqualTo("no prepared XA branches");
    }

    @Test
    void aTransactionManagerKilledBeforeTheDecisionIsRolledBackByANewOne() throws Exception {
        String id = id();
        send("xa.tm.in", id);
        Path store = dir.resolve("tm-child-" + id);
        assertThat(runTm("halt-in-prepare", store, id)).as("the TM halted").isEqualTo(TmChild.HALTED);
        assertThat(admin("list-prepared")).contains("xa.tm.in=1");
        assertThat(runTm("recover", store, id)).isZero();
        assertThat(takeConfirmation(id)).isEmpty();
        assertThat(take("xa.tm.in", id)).as("the order is back").hasSize(1);
        assertThat(Postgres.rows(id)).isZero();
        assertThat(admin("list-prepared")).isEqualTo("no prepared XA branches");
    }

    /** The confirmations the TM child sent for {@code id} (text "confirmed id", no order property), consumed. */
    private static List<Message> takeConfirmation(String id) throws Exception {
        List<Message> got = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("xa.tm.out"));
            for (Message m = consumer.receive(1000); m != null; m = consumer.receive(300)) {
                if (((TextMessage) m).getText().equals("confirmed " + id)) {
                    got.add(m);
                }
            }
        }
        return got;
    }

    private int runTm(String mode, Path store, String id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("logs").resolve("tm-" + mode + "-" + id + ".log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TmChild.class.getName(), mode, store.toString(), broker.url(), id)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the TM child (" + mode + ") did not end; see " + log);
        }
        if (p.exitValue() != 0 && p.exitValue() != TmChild.HALTED) {
            throw new AssertionError("the TM child (" + mode + ") failed with " + p.exitValue() + ": "
                    + Files.readString(log));
        }
        return p.exitValue();
    }
}
