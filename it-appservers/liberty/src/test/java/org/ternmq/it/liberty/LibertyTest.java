package org.ternmq.it.liberty;

import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ternmq.it.app.Deployments;
import org.ternmq.it.app.ServerScenarioTests;

/**
 * Tern's resource adapter in Open Liberty ({@code src/test/liberty/server.xml}), with the machine's PostgreSQL
 * as an XA data source and a broker in a child process: the tests of {@link ServerScenarioTests}.
 */
@ExtendWith(ArquillianExtension.class)
class LibertyTest extends ServerScenarioTests {

    private static final String CF = "jms/ternCF";
    private static final String DS = "jdbc/ternXA";

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        // Liberty takes an activation property named "destination" for a JNDI name: look the queue up instead
        return Deployments.app(CF, DS, Map.of("destinationLookup", "jms/orders"), Map.of());
    }

    @Deployment(name = "durable", managed = false, testable = false, order = 2)
    static WebArchive durable() {
        return Deployments.durableApp(DS, Map.of("destinationLookup", "jms/events"), Map.of());
    }
}
