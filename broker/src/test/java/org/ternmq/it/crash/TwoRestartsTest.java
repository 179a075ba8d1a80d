package org.ternmq.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Issue 7 as a user met it: a broker started as {@code bin/tern} starts it, stopped gracefully (SIGTERM)
 * between the steps. A message sent and acknowledged after the first restart must still be there after the
 * second, whether it went to another queue or to the same one as the message consumed in between.
 *
 * <p>Before record ids were owned by the journal, the broker resumed its id counter from the highest live
 * id, so the first message sent after a restart got the id the consumed message had reserved for its
 * delivery state, and that delivery record overwrote it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoRestartsTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    private ChildBroker broker;

    @AfterEach
    void kill() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void messageSentAfterFirstRestartSurvivesSecondToAnotherQueue() throws Exception {
        run("qa", "qb");
    }

    @Test
    void messageSentAfterFirstRestartSurvivesSecondOnTheSameQueue() throws Exception {
        run("qa", "qa");
    }

    private void run(String first, String second) throws Exception {
        broker = new ChildBroker(dir.resolve("data"), dir.resolve("logs")).start();
        send(first, "A");
        broker.stop();

        broker.start();
        send(second, "B");
        assertThat(receive(first)).isEqualTo("A");
        broker.stop();

        broker.start();
        assertThat(receive(second)).as("B after the second restart").isEqualTo("B");
        assertThat(receive(first)).as("nothing else left").isNull();
        broker.stop();
        for (int g = 1; g <= 3; g++) {
            assertThat(Files.readString(broker.logDir().resolve("broker-" + g + ".log")))
                    .as("log of start %d", g).doesNotContain("left without their queue");
        }
    }

    private void send(String queue, String text) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage(text));
        }
    }

    private String receive(String queue) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            TextMessage m = (TextMessage) s.createConsumer(s.createQueue(queue)).receive(2000);
            return m == null ? null : m.getText();
        }
    }
}
