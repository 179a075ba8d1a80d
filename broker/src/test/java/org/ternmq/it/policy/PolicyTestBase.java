package org.ternmq.it.policy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One {@link PolicyBroker} per test, configured by the test, always closed; helpers for JMS messages. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class PolicyTestBase {

    static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    @TempDir
    Path dir;
    PolicyBroker broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Starts the broker on a configuration file made of {@code lines}. */
    void start(String... lines) throws Exception {
        broker = PolicyBroker.start(dir, lines);
    }

    static String text(Message m) throws JMSException {
        return m == null ? null : ((TextMessage) m).getText();
    }

    /** Sends persistent text messages, one per text, synchronously. */
    static void send(Session session, Queue queue, String... texts) throws JMSException {
        MessageProducer producer = session.createProducer(queue);
        for (String t : texts) {
            producer.send(session.createTextMessage(t));
        }
        producer.close();
    }

    /** "text/count/redelivered", to assert a delivery's text, JMSXDeliveryCount and JMSRedelivered at once. */
    static String delivery(Message m) throws JMSException {
        return m == null ? null : text(m) + "/" + m.getIntProperty(DELIVERY_COUNT) + "/" + m.getJMSRedelivered();
    }
}
