package org.ternmq.it.wildfly;

import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ternmq.it.app.Deployments;
import org.ternmq.it.app.ServerScenarioTests;

/**
 * Tern's resource adapter in WildFly ({@code src/test/wildfly/tern.cli} applied to standalone-full.xml), with the
 * machine's PostgreSQL as an XA data source and a broker in a child process: the tests of {@link ServerScenarioTests}.
 */
@ExtendWith(ArquillianExtension.class)
class WildFlyTest extends ServerScenarioTests {

    private static final String CF = "java:/jms/ternCF";
    private static final String DS = "java:jboss/datasources/ternXA";

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        // WildFly hands activation properties to the adapter as they are: "destination" is the broker's name
        return Deployments.app(CF, DS, Map.of("destination", "it.orders"), Map.of());
    }

    @Deployment(name = "durable", managed = false, testable = false, order = 2)
    static WebArchive durable() {
        return Deployments.durableApp(DS, Map.of("destination", "it.events"), Map.of());
    }
}
