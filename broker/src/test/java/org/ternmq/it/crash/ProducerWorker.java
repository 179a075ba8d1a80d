package org.ternmq.it.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Sends persistent messages synchronously, each with a unique {@code uid} property, one at a time or (when
 * transacted) in committed batches of 1 to 5. Runs on its own thread.
 */
final class ProducerWorker extends LoadWorker {

    static final String UID = "uid";

    private final String queue;
    private final boolean transacted;
    private final Random random;
    private long sequence;

    ProducerWorker(String name, ChildBroker broker, DeliveryLedger ledger, String queue, boolean transacted, long seed) {
        super(name, broker, ledger);
        this.queue = queue;
        this.transacted = transacted;
        this.random = new Random(seed);
    }

    @Override
    protected void work(Connection connection) throws JMSException {
        Session session = transacted ? connection.createSession(Session.SESSION_TRANSACTED)
                : connection.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue(queue));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        while (!stopping()) {
            int batch = transacted ? 1 + random.nextInt(5) : 1;
            List<String> uids = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                String uid = name + "-" + sequence++;
                ledger.sending(uid);
                TextMessage m = session.createTextMessage(DeliveryLedger.body(uid));
                m.setStringProperty(UID, uid);
                producer.send(m);
                uids.add(uid);
            }
            if (transacted) {
                session.commit();
            }
            ledger.sent(uids);
        }
    }
}
