package org.ternmq.it.xa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;

import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import org.postgresql.xa.PGXADataSource;

/**
 * The machine's PostgreSQL ({@code 127.0.0.1:5432}, database {@code test}, trust authentication) through its XA
 * data source. XA needs {@code max_prepared_transactions > 0}, which {@code .ci/run} sets.
 */
final class Postgres {

    static final String URL = System.getProperty("tern.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("tern.test.postgres.user", "postgres");

    private Postgres() {
    }

    static PGXADataSource dataSource() {
        PGXADataSource ds = new PGXADataSource();
        ds.setUrl(URL);
        ds.setUser(USER);
        return ds;
    }

    /** Creates the tables the XA tests use, and checks the server can prepare transactions at all. */
    static void setUp() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS tern_xa_orders (id varchar(64) PRIMARY KEY, body text)");
            s.execute("CREATE TABLE IF NOT EXISTS tern_xa_deferred (k varchar(64), "
                    + "CONSTRAINT tern_xa_deferred_k UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)");
            try (ResultSet r = s.executeQuery("SHOW max_prepared_transactions")) {
                r.next();
                if (r.getInt(1) == 0) {
                    throw new IllegalStateException("PostgreSQL has max_prepared_transactions = 0: run .ci/run (it "
                            + "sets it and restarts PostgreSQL), or set it yourself");
                }
            }
        }
    }

    static int rows(String id) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM tern_xa_orders WHERE id = '" + id + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Transactions PostgreSQL holds prepared (all of them, whoever prepared them). */
    static int prepared() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_prepared_xacts")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** Inserts a row in the XA connection's current branch. */
    static void insert(XAConnection xa, String id, String body) throws SQLException {
        try (Connection c = xa.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO tern_xa_orders (id, body) VALUES ('" + id + "', '" + body + "')");
        }
    }

    /** A recovery helper over one open XA connection, for Narayana's recovery scans. */
    static XAResourceRecoveryHelper recoveryHelper() throws SQLException {
        XAConnection connection = dataSource().getXAConnection();
        return new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                try {
                    return new XAResource[] {connection.getXAResource()};
                } catch (SQLException e) {
                    return new XAResource[0];
                }
            }
        };
    }
}
