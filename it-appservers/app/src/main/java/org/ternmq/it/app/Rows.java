package org.ternmq.it.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/** Inserts the application's rows, through the container's (XA) data source, in the caller's transaction. */
public final class Rows {

    private Rows() {
    }

    public static void insert(String id, String source) {
        try {
            DataSource ds = (DataSource) new InitialContext().lookup(Names.DS);
            try (Connection c = ds.getConnection();
                 PreparedStatement s = c.prepareStatement("INSERT INTO it_rows (id, source) VALUES (?, ?)")) {
                s.setString(1, id);
                s.setString(2, source);
                s.executeUpdate();
            }
        } catch (NamingException | SQLException e) {
            throw new IllegalStateException("cannot insert row " + id + ": " + e.getMessage(), e);
        }
    }
}
