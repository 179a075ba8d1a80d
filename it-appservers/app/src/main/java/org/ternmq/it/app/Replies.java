package org.ternmq.it.app;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/**
 * Sends a reply through the container's Tern connection factory, the classic way (connection, session,
 * producer, close): inside a transaction the send is the transaction's.
 */
public final class Replies {

    private Replies() {
    }

    public static void send(String text) {
        try {
            ConnectionFactory cf = (ConnectionFactory) new InitialContext().lookup(Names.CF);
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession();
                s.createProducer(s.createQueue(Names.REPLIES)).send(s.createTextMessage(text));
            }
        } catch (NamingException | JMSException e) {
            throw new IllegalStateException("cannot send " + text + ": " + e.getMessage(), e);
        }
    }
}
