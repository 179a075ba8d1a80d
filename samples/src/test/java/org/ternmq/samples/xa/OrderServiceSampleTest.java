package org.ternmq.samples.xa;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.InitialContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;

/**
 * The order service against a broker of the test's own and the machine's PostgreSQL (which needs
 * {@code max_prepared_transactions > 0}: {@code .ci/postgres-xa}): every order stored once and confirmed once,
 * the refused one after a rollback and a redelivery.
 */
@Timeout(120)
class OrderServiceSampleTest {

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("order-service-test").host("127.0.0.1").tcpPort(0)
                .dataDirectory(dir.resolve("broker")).build());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyOrderIsStoredAndConfirmedOnceTheRefusedOneAfterARollback() throws Exception {
        Hashtable<String, Object> environment = new Hashtable<>();
        environment.put("xaConnectionFactory.XAConnectionFactory", broker.tcpUrl());
        Context jndi = new InitialContext(environment);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        OrderServiceSample.Outcome outcome = OrderServiceSample.run(jndi,
                OrderServiceSample.OrderDatabase.fromSystemProperties(), dir.resolve("tx"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(outcome.stored()).containsExactly("BAD:coffee", "cake", "tea");
        assertThat(outcome.confirmations()).containsExactlyInAnyOrder("confirmed tea", "confirmed BAD:coffee",
                "confirmed cake");
        assertThat(outcome.rolledBack()).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("order 'BAD:coffee' refused by the database (23514)")
                .contains("order 'BAD:coffee' stored and confirmed (attempt 2)");
    }
}
