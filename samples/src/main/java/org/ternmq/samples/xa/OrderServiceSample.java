package org.ternmq.samples.xa;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XASession;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import javax.naming.Context;
import javax.sql.XADataSource;

import org.jboss.narayana.jta.jms.JmsXAResourceRecoveryHelper;
import org.ternmq.samples.SampleJndi;

/**
 * An order service: each order is taken from a queue, stored in PostgreSQL and confirmed on another queue in
 * one XA transaction coordinated by Narayana, so an order is never stored without being consumed and
 * confirmed, nor consumed without being stored. One order is made to fail on its first attempt (the
 * database refuses it): its transaction rolls back, the order comes back (redelivered) and succeeds on the
 * second attempt, stored once.
 *
 * <pre>mvn -q -pl samples compile exec:java -Dexec.mainClass=org.ternmq.samples.xa.OrderServiceSample</pre>
 *
 * It needs {@code bin/tern} running and PostgreSQL on 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}; {@code -Dsamples.jdbc.url=...} and {@code -Dsamples.jdbc.user=...} to change them) with
 * {@code max_prepared_transactions > 0} ({@code .ci/postgres-xa} sets it). Narayana keeps its log in
 * {@code target/order-service-tx} ({@code -Dsamples.tx.dir=...}).
 */
public final class OrderServiceSample {

    /** What one run did. */
    public record Outcome(String run, List<String> stored, List<String> confirmations, int rolledBack) {
    }

    private OrderServiceSample() {
    }

    public static void main(String[] args) throws Exception {
        Path txLog = Path.of(System.getProperty("samples.tx.dir", "target/order-service-tx"));
        run(SampleJndi.open(), OrderDatabase.fromSystemProperties(), txLog, System.out);
    }

    /**
     * Sends three orders, then serves them.
     *
     * @throws IllegalStateException if the orders did not end stored once and confirmed once each
     */
    public static Outcome run(Context jndi, XADataSource database, Path txLog, PrintStream out) throws Exception {
        XAConnectionFactory factory = (XAConnectionFactory) jndi.lookup("XAConnectionFactory");
        Queue orders = (Queue) jndi.lookup("OrderQueue");
        Queue confirmations = (Queue) jndi.lookup("ConfirmationQueue");
        TransactionManager tm = TransactionManagerSetup.narayana(txLog, "order-service");
        TransactionManagerSetup.recoverWith(new JmsXAResourceRecoveryHelper(factory), database);
        OrderDatabase.createTable(database);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> items = List.of("tea", "BAD:coffee", "cake");

        try (XAConnection connection = factory.createXAConnection()) {
            XASession session = connection.createXASession();
            MessageProducer producer = session.createProducer(orders);
            for (String item : items) { // outside a transaction an XA session sends at once
                TextMessage m = session.createTextMessage(item);
                m.setStringProperty("run", run);
                producer.send(m);
            }
            out.println("sent " + items.size() + " orders");
            connection.start();
            MessageConsumer consumer = session.createConsumer(orders, "run = '" + run + "'");
            MessageProducer confirm = session.createProducer(confirmations);
            int rolledBack = 0;
            for (int handled = 0; handled < items.size(); ) {
                if (serveOne(tm, session, consumer, confirm, database, run, out)) {
                    handled++;
                } else {
                    rolledBack++;
                }
            }
            List<String> confirmed = drainConfirmations(session, connection, confirmations, run);
            Outcome outcome = new Outcome(run, OrderDatabase.items(database, run), confirmed, rolledBack);
            out.println("stored " + outcome.stored() + ", confirmed " + outcome.confirmations() + ", rolled back "
                    + rolledBack + " time(s)");
            if (outcome.stored().size() != items.size() || outcome.confirmations().size() != items.size()) {
                throw new IllegalStateException("every order must be stored and confirmed exactly once: " + outcome);
            }
            return outcome;
        }
    }

    /** One order in one XA transaction; returns false when the transaction rolled back. */
    private static boolean serveOne(TransactionManager tm, XASession session, MessageConsumer consumer,
            MessageProducer confirm, XADataSource database, String run, PrintStream out) throws Exception {
        javax.sql.XAConnection db = database.getXAConnection();
        try {
            tm.begin();
            Transaction tx = tm.getTransaction();
            tx.enlistResource(session.getXAResource());
            tx.enlistResource(db.getXAResource());
            TextMessage order = (TextMessage) consumer.receive(10_000);
            if (order == null) {
                throw new IllegalStateException("an order did not come back");
            }
            String item = order.getText();
            try (Connection c = db.getConnection()) {
                if (item.startsWith("BAD:") && !order.getJMSRedelivered()) {
                    // the database refuses the first attempt (a negative quantity breaks a CHECK constraint)
                    insert(c, run, item, -1);
                } else {
                    insert(c, run, item, 1);
                }
            } catch (SQLException refused) {
                tm.rollback();
                out.println("order '" + item + "' refused by the database (" + refused.getSQLState()
                        + "): rolled back, it will come again");
                return false;
            }
            TextMessage confirmation = session.createTextMessage("confirmed " + item);
            confirmation.setStringProperty("run", run);
            confirm.send(confirmation);
            tm.commit();
            out.println("order '" + item + "' stored and confirmed" + (order.getJMSRedelivered()
                    ? " (attempt " + order.getIntProperty("JMSXDeliveryCount") + ")" : ""));
            return true;
        } finally {
            db.close();
        }
    }

    private static void insert(Connection c, String run, String item, int quantity) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sample_orders (run, item, quantity) VALUES (?, ?, ?)")) {
            s.setString(1, run);
            s.setString(2, item);
            s.setInt(3, quantity);
            s.executeUpdate();
        }
    }

    private static List<String> drainConfirmations(XASession session, XAConnection connection, Queue confirmations,
            String run) throws JMSException {
        List<String> texts = new ArrayList<>();
        MessageConsumer consumer = session.createConsumer(confirmations, "run = '" + run + "'");
        for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
            texts.add(((TextMessage) m).getText());
        }
        consumer.close();
        return texts;
    }

    /** The sample's table, and what a run stored in it. */
    static final class OrderDatabase {

        private OrderDatabase() {
        }

        static XADataSource fromSystemProperties() {
            org.postgresql.xa.PGXADataSource ds = new org.postgresql.xa.PGXADataSource();
            ds.setUrl(System.getProperty("samples.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test"));
            ds.setUser(System.getProperty("samples.jdbc.user", "postgres"));
            return ds;
        }

        static void createTable(XADataSource database) throws SQLException {
            javax.sql.XAConnection xa = database.getXAConnection();
            try (Connection c = xa.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS sample_orders (run varchar(16), item varchar(64), "
                        + "quantity int CHECK (quantity > 0), PRIMARY KEY (run, item))");
            } finally {
                xa.close();
            }
        }

        static List<String> items(XADataSource database, String run) throws SQLException {
            List<String> items = new ArrayList<>();
            javax.sql.XAConnection xa = database.getXAConnection();
            try (Connection c = xa.getConnection();
                 PreparedStatement s = c.prepareStatement("SELECT item FROM sample_orders WHERE run = ? ORDER BY item")) {
                s.setString(1, run);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        items.add(r.getString(1));
                    }
                }
            } finally {
                xa.close();
            }
            return items;
        }
    }
}
