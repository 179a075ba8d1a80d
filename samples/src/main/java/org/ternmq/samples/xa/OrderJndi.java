package org.ternmq.samples.xa;

import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** The order service's JNDI context: {@code jndi.properties}, where a system property of the same name wins. */
final class OrderJndi {

    private OrderJndi() {
    }

    static Context open() throws NamingException {
        Hashtable<String, Object> environment = new Hashtable<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("xaConnectionFactory.") || name.startsWith("queue.")) {
                environment.put(name, System.getProperty(name));
            }
        }
        return new InitialContext(environment);
    }
}
