package org.ternmq.it.wildfly;

import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ternmq.it.app.Deployments;
import org.ternmq.it.app.Scenarios;
import org.ternmq.it.crash.ChildBroker;

/**
 * Tern's resource adapter in WildFly ({@code src/test/wildfly/tern.cli} applied to standalone-full.xml), with the
 * machine's PostgreSQL as an XA data source and a broker in a child process: the scenarios of {@link Scenarios}.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WildFlyTest {

    private static final String CF = "java:/jms/ternCF";
    private static final String DS = "java:jboss/datasources/ternXA";

    /** Started as the class loads, before Arquillian starts the server, so the adapter finds it at once. */
    private static final ChildBroker BROKER = Brokers.start(Path.of("target", "it-broker"));

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    @OperateOnDeployment("app")
    private URL app;

    @Deployment(name = "app", testable = false, order = 1)
    static WebArchive app() {
        // WildFly hands activation properties to the adapter as they are: "destination" is the broker's name
        return Deployments.app(CF, DS, Map.of("destination", "it.orders"), Map.of());
    }

    @Deployment(name = "durable", managed = false, testable = false, order = 2)
    static WebArchive durable() {
        return Deployments.durableApp(DS, Map.of("destination", "it.events"), Map.of());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BROKER.close();
    }

    private Scenarios scenarios() {
        return new Scenarios(BROKER, app);
    }

    @Test
    @Order(1)
    void mdbConsumesInsertsAndReplies() throws Exception {
        scenarios().mdbConsumesInsertsAndRepliesInOneTransaction();
    }

    @Test
    @Order(2)
    void throwingMdbEndsInTheDeadLetterQueue() throws Exception {
        scenarios().throwingMdbRollsBackAndItsMessageEndsDeadLettered();
    }

    @Test
    @Order(3)
    void beanRollbackLeavesNothing() throws Exception {
        scenarios().beanTransactionRolledBackLeavesNeitherMessageNorRow();
    }

    @Test
    @Order(4)
    void injectedContextSendsInATransaction() throws Exception {
        scenarios().injectedContextSendsInsideATransaction();
    }

    @Test
    @Order(5)
    void durableMdbRedeployed() throws Exception {
        deployer.deploy("durable");
        scenarios().durableMdbRedeployedReceivesWhatWasPublishedMeanwhile(() -> deployer.undeploy("durable"),
                () -> deployer.deploy("durable"));
        deployer.undeploy("durable");
    }

    @Test
    @Order(6)
    void mdbResumesAfterABrokerKill() throws Exception {
        scenarios().mdbResumesAfterTheBrokerIsKilledAndNothingIsLostOrDoubled();
    }
}
