package org.ternmq.it.glassfish;

import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ternmq.it.app.Deployments;
import org.ternmq.it.app.Names;
import org.ternmq.it.app.ServerScenarioTests;

/**
 * Tern's resource adapter in GlassFish (the domain configured by {@code src/test/glassfish/tern.asadmin}), with the
 * machine's PostgreSQL as an XA data source and a broker in a child process: the tests of {@link ServerScenarioTests}.
 */
@ExtendWith(ArquillianExtension.class)
class GlassFishTest extends ServerScenarioTests {

    private static final String CF = "jms/ternCF";
    private static final String DS = "jdbc/ternXA";

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        return Deployments.app(CF, DS, Map.of("destination", Names.ORDERS), ternAdapterFor("OrderMdb"));
    }

    @Deployment(name = "durable", managed = false, testable = false, order = 2)
    static WebArchive durable() {
        return Deployments.durableApp(DS, Map.of("destination", Names.EVENTS), ternAdapterFor("DurableEventMdb"));
    }

    /**
     * GlassFish gives a message-driven bean to its own JMS adapter (jmsra) unless the bean's vendor descriptor
     * names another: this one names Tern's, deployed as "tern".
     */
    static Map<String, String> ternAdapterFor(String mdb) {
        return Map.of("WEB-INF/glassfish-ejb-jar.xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE glassfish-ejb-jar PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 EJB 3.1//EN"
                    "http://glassfish.org/dtds/glassfish-ejb-jar_3_1-1.dtd">
                <glassfish-ejb-jar>
                  <enterprise-beans>
                    <ejb>
                      <ejb-name>%s</ejb-name>
                      <mdb-resource-adapter>
                        <resource-adapter-mid>tern</resource-adapter-mid>
                      </mdb-resource-adapter>
                    </ejb>
                  </enterprise-beans>
                </glassfish-ejb-jar>
                """.formatted(mdb));
    }
}
