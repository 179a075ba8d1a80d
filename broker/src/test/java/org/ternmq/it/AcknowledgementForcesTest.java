package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Which acknowledgements cost a journal force of their own, counted by the journal's own metric: auto-ack and
 * dups-ok acknowledgements are written and ride the next force (JMS lets such a message come back, with
 * {@code JMSRedelivered}, after a failure), while client acknowledgements and commits stay forced before their
 * answer. Each round sends one persistent message (one force) and consumes it, so the consumer has nothing more
 * buffered and acknowledges each message in a batch of its own.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcknowledgementForcesTest {

    private static final int MESSAGES = 40;

    @TempDir
    Path dir;
    private EmbeddedBroker broker;

    private EmbeddedBroker start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("ack-forces").tcpPort(0).inVmName("ack-forces")
                .dataDirectory(dir.resolve("data")).managementPort(0).build());
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void autoAcknowledgementsRideTheSendsForces() throws Exception {
        assertThat(forcesForRounds(Session.AUTO_ACKNOWLEDGE)).as("journal forces for %d sends and %d auto-acks",
                MESSAGES, MESSAGES).isLessThanOrEqualTo(MESSAGES + 3);
        assertQueueEmptyAfterRestart();
    }

    @Test
    void dupsOkAcknowledgementsRideTheSendsForces() throws Exception {
        assertThat(forcesForRounds(Session.DUPS_OK_ACKNOWLEDGE)).isLessThanOrEqualTo(MESSAGES + 3);
        assertQueueEmptyAfterRestart();
    }

    @Test
    void clientAcknowledgementsAreForcedBeforeTheirAnswer() throws Exception {
        assertThat(forcesForRounds(Session.CLIENT_ACKNOWLEDGE)).isGreaterThanOrEqualTo(2 * MESSAGES);
        assertQueueEmptyAfterRestart();
    }

    @Test
    void transactedAcknowledgementsAreForcedAtCommit() throws Exception {
        assertThat(forcesForRounds(Session.SESSION_TRANSACTED)).isGreaterThanOrEqualTo(2 * MESSAGES);
        assertQueueEmptyAfterRestart();
    }

    /** Journal forces while MESSAGES rounds of send-one, receive-one run in {@code mode}, acknowledgements included. */
    private long forcesForRounds(int mode) throws Exception {
        start();
        TernConnectionFactory cf = new TernConnectionFactory(broker.tcpUrl());
        try (Connection connection = cf.createConnection()) {
            connection.start();
            Session sending = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = sending.createQueue("acks");
            MessageProducer producer = sending.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            Session receiving = connection.createSession(mode);
            MessageConsumer consumer = receiving.createConsumer(queue);
            long before = broker.metrics().journalForces();
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(sending.createTextMessage("m" + i));
                Message m = consumer.receive(5000);
                assertThat(m).as("message %d", i).isNotNull();
                assertThat(((TextMessage) m).getText()).isEqualTo("m" + i);
                if (mode == Session.CLIENT_ACKNOWLEDGE) {
                    m.acknowledge();
                } else if (mode == Session.SESSION_TRANSACTED) {
                    receiving.commit();
                }
            }
            receiving.close(); // written after the batched acknowledgements, answered once they are handled
            return broker.metrics().journalForces() - before;
        }
    }

    /** Every acknowledgement reached the journal: a restarted broker has nothing left to deliver. */
    private void assertQueueEmptyAfterRestart() throws Exception {
        broker.close();
        start();
        try (Connection connection = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            connection.start();
            Session s = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThat(s.createConsumer(s.createQueue("acks")).receive(300)).isNull();
        }
    }
}
