package org.ternmq.samples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.TransactionRolledBackException;
import javax.naming.Context;
import javax.naming.InitialContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.crash.ChildBroker;

/**
 * Spring's {@code JmsTemplate} and {@code DefaultMessageListenerContainer} over Tern, configured through the
 * samples' {@code jndi.properties} with only the factory's URL replaced: plainly, and through a broker killed
 * (SIGKILL) and stopped under them with {@code failover=true}.
 */
@Timeout(120)
class SpringSampleTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ChildBroker broker;

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private Context jndi(String url) throws Exception {
        Hashtable<String, Object> environment = new Hashtable<>();
        environment.put("connectionFactory.ConnectionFactory", url);
        return new InitialContext(environment);
    }

    @Test
    void templateSendsAndTheListenerContainerReceives() throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        List<String> received = SpringSample.run(jndi(broker.url()), new PrintStream(printed, true,
                StandardCharsets.UTF_8), 5);

        assertThat(received).containsExactly("spring 1", "spring 2", "spring 3", "spring 4", "spring 5");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("JmsTemplate sent 5 messages", "listener container received 5 messages");
    }

    /**
     * The template sends 300 persistent messages without pause while another thread kills the broker after the
     * 100th and stops it gracefully after the 200th, each time starting it again on the same port and data. No
     * send fails, every message arrives, a message that arrives twice was flagged redelivered the second time,
     * and the container's exception listener hears of nothing but transactions under way when the connection
     * failed over, rolled back as JMS says: failover hid both outages.
     */
    @Test
    void templateAndContainerCarryOnThroughAKillAndAStop() throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).start();
        String url = broker.url() + "?failover=true&reconnectDelay=50&maxReconnectDelay=500&reconnectAttempts=400";
        int total = 300;
        AtomicInteger sent = new AtomicInteger();

        try (SpringSample sample = new SpringSample(jndi(url))) {
            CompletableFuture<Void> outages = CompletableFuture.runAsync(() -> {
                try {
                    awaitAtLeast(sent, 100);
                    broker.kill();
                    broker.start();
                    awaitAtLeast(sent, 200);
                    broker.stop();
                    broker.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 1; i <= total; i++) {
                sample.send("spring " + i);
                sent.incrementAndGet();
                Thread.sleep(2);
            }
            outages.get(60, TimeUnit.SECONDS);

            assertThat(sample.awaitReceived(total, 60, TimeUnit.SECONDS))
                    .as("all %d messages received; missing from %s", total, sample.deliveries().keySet()).isTrue();
            Map<String, Integer> deliveries = sample.deliveries();
            for (int i = 1; i <= total; i++) {
                assertThat(deliveries).containsKey("spring " + i);
            }
            deliveries.forEach((body, times) -> {
                if (times > 1) {
                    assertThat(sample.redelivered()).as("a second delivery of %s is flagged", body).contains(body);
                }
            });
            // failover hid both outages from the connection; only transactions under way when the connection
            // failed over were rolled back, and said so at their commit (an outage may take more than one
            // failover while the broker comes back; failover giving up would be another JMSException)
            assertThat(sample.problems())
                    .allSatisfy(e -> assertThat(e).isInstanceOf(TransactionRolledBackException.class));
            assertThat(broker.generation()).isEqualTo(3);
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, int value) throws InterruptedException {
        while (counter.get() < value) {
            Thread.sleep(5);
        }
    }
}
