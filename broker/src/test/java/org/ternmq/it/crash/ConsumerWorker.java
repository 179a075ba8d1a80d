package org.ternmq.it.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Receives and consumes in batches of 1 to 10: with {@code Message.acknowledge()} in a client-acknowledge
 * session, or with {@code commit()} in a transacted one. Every message is checked by the ledger as it
 * arrives; a batch is recorded as consumed when its acknowledgement or commit returned and as in doubt when
 * it failed. Runs on its own thread.
 */
final class ConsumerWorker extends LoadWorker {

    private final String queue;
    private final boolean transacted;
    private final Random random;
    private final List<String> pending = new ArrayList<>();
    private Session session;
    private Message last;

    ConsumerWorker(String name, ChildBroker broker, DeliveryLedger ledger, String queue, boolean transacted, long seed) {
        super(name, broker, ledger);
        this.queue = queue;
        this.transacted = transacted;
        this.random = new Random(seed);
    }

    @Override
    protected void work(Connection connection) throws JMSException {
        pending.clear();
        session = transacted ? connection.createSession(Session.SESSION_TRANSACTED)
                : connection.createSession(Session.CLIENT_ACKNOWLEDGE);
        MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
        int batch = 1 + random.nextInt(10);
        while (!stopping()) {
            Message m = consumer.receive(100);
            if (m != null) {
                String uid = m.getStringProperty(ProducerWorker.UID);
                String body = m instanceof TextMessage t ? t.getText() : null;
                ledger.received(uid, body, m.getJMSRedelivered(), m.getIntProperty("JMSXDeliveryCount"));
                pending.add(uid);
                last = m;
            }
            if (pending.size() >= batch || (m == null && !pending.isEmpty())) {
                consumePending();
                batch = 1 + random.nextInt(10);
            }
        }
    }

    @Override
    protected void finish() throws JMSException {
        consumePending();
    }

    private void consumePending() throws JMSException {
        if (pending.isEmpty()) {
            return;
        }
        List<String> batch = List.copyOf(pending);
        pending.clear();
        try {
            if (transacted) {
                session.commit();
            } else {
                last.acknowledge();
            }
        } catch (JMSException e) {
            ledger.consumedInDoubt(batch);
            throw e;
        }
        ledger.consumed(batch);
    }
}
