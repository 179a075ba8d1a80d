package org.ternmq.it.app;

import java.net.URL;
import java.nio.file.Path;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ternmq.it.crash.ChildBroker;

/**
 * The tests every server runs, in this order, against the application of {@link Deployments}: a server's test
 * class extends it and declares the two deployments ({@code "app"}, managed, and {@code "durable"}, deployed by
 * the test) with the server's own names. Arquillian injects the deployer and the application's address into this
 * class's fields.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServerScenarioTests {

    /**
     * The broker the server's adapter is configured for: started as the test class loads (this class's static
     * state is set up before the subclass's), before Arquillian starts the server, so the adapter finds it at once.
     */
    private static final ChildBroker BROKER = TestBroker.start(Path.of("target", "it-broker"));

    @AfterAll
    static void stopBroker() throws Exception {
        BROKER.close();
    }

    protected ChildBroker broker() {
        return BROKER;
    }

    @ArquillianResource
    private Deployer deployer;

    @ArquillianResource
    @OperateOnDeployment("app")
    private URL app;

    private Deployer deployer() {
        return deployer;
    }

    private Scenarios scenarios() {
        return new Scenarios(broker(), app);
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
        deployer().deploy("durable");
        scenarios().durableMdbRedeployedReceivesWhatWasPublishedMeanwhile(() -> deployer().undeploy("durable"),
                () -> deployer().deploy("durable"));
        deployer().undeploy("durable");
    }

    @Test
    @Order(6)
    void mdbResumesAfterABrokerKill() throws Exception {
        scenarios().mdbResumesAfterTheBrokerIsKilledAndNothingIsLostOrDoubled();
    }
}
