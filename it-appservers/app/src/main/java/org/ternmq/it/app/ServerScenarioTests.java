package org.ternmq.it.app;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ternmq.it.crash.ChildBroker;

/**
 * The tests every server runs, in this order, against the application of {@link Deployments}: a server's test
 * class extends it, declares the two deployments ({@code "app"}, managed, and {@code "durable"}, deployed by
 * the test) with the server's own names, and gives the broker, the deployer and the application's address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServerScenarioTests {

    /** The broker the server's adapter is configured for. */
    protected abstract ChildBroker broker();

    /** Arquillian's deployer, injected into the server's test class. */
    protected abstract Deployer deployer();

    /** The address of the deployment {@code "app"}. */
    protected abstract URL appUrl();

    private Scenarios scenarios() {
        return new Scenarios(broker(), appUrl());
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
