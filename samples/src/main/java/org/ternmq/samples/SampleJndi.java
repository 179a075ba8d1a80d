package org.ternmq.samples;

import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Opens the samples' JNDI context: {@code jndi.properties} from the class path, where any system property
 * named {@code connectionFactory.*}, {@code xaConnectionFactory.*}, {@code queue.*} or {@code topic.*} replaces
 * the entry of the same name.
 * So {@code -DconnectionFactory.ConnectionFactory=tern://otherhost:61617} points every sample at another
 * broker without touching the file. Plain {@code javax.naming}: an {@link InitialContext} with an
 * environment, which the naming provider reads before the file.
 */
public final class SampleJndi {

    private static final String[] OVERRIDABLE = {"connectionFactory.", "xaConnectionFactory.", "queue.", "topic."};

    private SampleJndi() {
    }

    /** The context a sample's {@code main} uses. */
    public static Context open() throws NamingException {
        return new InitialContext(overridesFromSystemProperties());
    }

    static Hashtable<String, Object> overridesFromSystemProperties() {
        Hashtable<String, Object> environment = new Hashtable<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            for (String prefix : OVERRIDABLE) {
                if (name.startsWith(prefix)) {
                    environment.put(name, System.getProperty(name));
                }
            }
        }
        return environment;
    }
}
