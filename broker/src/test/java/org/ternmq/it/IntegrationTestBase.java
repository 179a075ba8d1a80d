package org.ternmq.it;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** Starts one broker per test class and closes every connection a test opened. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class IntegrationTestBase {

    static BrokerFixture fixture;

    @BeforeAll
    static void startBroker() throws Exception {
        fixture = new BrokerFixture();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        fixture.close();
    }

    @AfterEach
    void closeConnections() throws Exception {
        fixture.closeConnections();
    }
}
