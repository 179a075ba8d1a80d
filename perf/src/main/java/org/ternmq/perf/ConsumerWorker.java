package org.ternmq.perf;

import java.util.concurrent.atomic.LongAdder;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

/**
 * One consumer: receives on its own session until stopped, and records each message in the received
 * {@link Meter}. In a roundtrip ({@code runId} set) it counts only this run's messages, measures them by
 * when they were sent and records their end-to-end latency (sender and receiver share this JVM's
 * {@code nanoTime}); otherwise it measures by when they arrive, and knows no latency. Runs on one thread of
 * its own.
 */
final class ConsumerWorker implements Runnable {
    // short, so a stop is seen promptly; a receive that times out costs nothing
    private static final long RECEIVE_TIMEOUT_MILLIS = 100;

    private final Session session;
    private final MessageConsumer consumer;
    private final PerfSettings settings;
    private final RunClock clock;
    private final Quota quota;
    private final Meter received;
    private final LongAdder stale;
    private final RunControl control;
    private final String runId;
    private int uncommitted;

    /** A consumer's session and consumer, created (its connection started) before the run starts. */
    record Client(Session session, MessageConsumer consumer) {
    }

    /**
     * @param runId this roundtrip's id, or null to count every message (consume)
     * @param stale counts messages of other runs, left on the destination earlier
     */
    ConsumerWorker(Client client, PerfSettings settings, RunClock clock, Quota quota, Meter received,
            LongAdder stale, RunControl control, String runId) {
        this.session = client.session();
        this.consumer = client.consumer();
        this.settings = settings;
        this.clock = clock;
        this.quota = quota;
        this.received = received;
        this.stale = stale;
        this.control = control;
        this.runId = runId;
    }

    @Override
    public void run() {
        try {
            receiveUntilStopped();
            if (uncommitted > 0) {
                session.commit();
            }
        } catch (JMSException | RuntimeException e) {
            control.fail(e);
        }
    }

    private void receiveUntilStopped() throws JMSException {
        while (!control.consumersStopped()) {
            Message message = consumer.receive(RECEIVE_TIMEOUT_MILLIS);
            long now = System.nanoTime();
            if (message != null) {
                count(message, now);
                if (settings.transacted() > 0 && ++uncommitted == settings.transacted()) {
                    session.commit();
                    uncommitted = 0;
                }
            }
            if (runId == null && clock.pastDeadline(now)) {
                control.stopConsumers();
            }
        }
    }

    private void count(Message message, long now) throws JMSException {
        if (runId == null) {
            if (!clock.measuring(now)) {
                received.recordWarmup(-1);
                return;
            }
            received.recordMeasured(now, -1);
            if (quota.countReceived()) {
                control.stopConsumers();
            }
            return;
        }
        if (!runId.equals(message.getStringProperty(ProducerWorker.RUN_ID))) {
            stale.increment();
            return;
        }
        long sentNanos = message.getLongProperty(ProducerWorker.SENT_NANOS);
        boolean measured = clock.measuring(message.getLongProperty(ProducerWorker.SEND_NANOS));
        if (measured) {
            received.recordMeasured(now, now - sentNanos);
        } else {
            received.recordWarmup(now - sentNanos);
        }
    }
}
