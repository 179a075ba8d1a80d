package org.ternmq.perf;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * One producer: sends BytesMessages on its own session until the quota, the deadline or a stop, and
 * records each one in the sent {@link Meter} when it is done: when {@code send} returns (sync), when the
 * completion listener fires (async), or when its transaction commits (transacted). Runs on one thread of
 * its own; completion listeners run on the provider's threads and touch only thread-safe state.
 */
final class ProducerWorker implements Runnable {
    /** Message properties the consumers of a roundtrip read; plain JMS identifiers, so any provider keeps them. */
    static final String RUN_ID = "perfRunId";
    static final String SENT_NANOS = "perfSentNanos";
    /**
     * When the producer began the send (a paced one's due time, {@link #SENT_NANOS}, may be earlier): the message
     * belongs to the measured part when this is in it. A time, not a flag: a flag that flips from false to true
     * when measuring starts made both JVMs' compilers throw away code compiled during the warm-up (the message
     * codecs of the provider under test too) and compile it again in the first seconds of the measured part.
     */
    static final String SEND_NANOS = "perfSendNanos";

    private final Session session;
    private final MessageProducer producer;
    private final PerfSettings settings;
    private final RunClock clock;
    private final Quota quota;
    private final Meter sent;
    private final RunControl control;
    private final byte[] payload;
    private final String runId;
    private final Semaphore inFlight;
    // the open transaction's sends: when each started and whether it counts as measured
    private final long[] batchStarts;
    private final boolean[] batchMeasured;
    private int batchSize;

    /** A producer's session and producer, created (with the delivery mode set) before the run starts. */
    record Client(Session session, MessageProducer producer) {
    }

    ProducerWorker(Client client, PerfSettings settings, RunClock clock, Quota quota, Meter sent, RunControl control,
            byte[] payload, String runId) {
        this.session = client.session();
        this.producer = client.producer();
        this.settings = settings;
        this.clock = clock;
        this.quota = quota;
        this.sent = sent;
        this.control = control;
        this.payload = payload;
        this.runId = runId;
        this.inFlight = new Semaphore(settings.inFlight());
        this.batchStarts = new long[Math.max(1, settings.transacted())];
        this.batchMeasured = new boolean[batchStarts.length];
    }

    @Override
    public void run() {
        try {
            sendUntilDone();
            if (settings.transacted() > 0) {
                commit();
            }
            if (settings.async()) {
                awaitCompletions();
            }
        } catch (JMSException | RuntimeException e) {
            control.fail(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            control.fail(e);
        }
    }

    private void sendUntilDone() throws JMSException, InterruptedException {
        long interval = settings.rate() > 0 ? 1_000_000_000L / settings.rate() : 0;
        long due = clock.startNanos();
        while (!control.producersStopped()) {
            long now = System.nanoTime();
            long start = now;
            if (interval > 0) {
                // paced: latency counts from when the send was due, so a stall that delays later sends
                // shows in their latency instead of hiding in fewer samples (coordinated omission)
                waitUntil(due);
                start = due;
                due += interval;
            }
            // measured by when it is sent, latency from when it was due: a paced producer that cannot keep its rate
            // still reports (large, honest) latencies instead of a measured part its schedule never reaches
            boolean measured = clock.measuring(now);
            if (measured && (clock.pastDeadline(now) || !quota.tryTake())) {
                return;
            }
            Message message = newMessage(start);
            message.setLongProperty(SEND_NANOS, now);
            if (settings.async()) {
                inFlight.acquire();
                producer.send(message, new Completion(start, measured));
            } else {
                producer.send(message);
            }
            if (settings.transacted() > 0) {
                batchStarts[batchSize] = start;
                batchMeasured[batchSize++] = measured;
                if (batchSize == batchStarts.length) {
                    commit();
                }
            } else if (!settings.async()) {
                record(measured, start, System.nanoTime());
            }
        }
    }

    private void waitUntil(long due) {
        for (long wait = due - System.nanoTime(); wait > 0 && !control.producersStopped();
                wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    private Message newMessage(long sentNanos) throws JMSException {
        // a new message per send: an async send's message must not be touched until it completes
        BytesMessage message = session.createBytesMessage();
        message.writeBytes(payload);
        message.setStringProperty(RUN_ID, runId);
        message.setLongProperty(SENT_NANOS, sentNanos);
        return message;
    }

    /** Commits the open transaction; its sends are done (durable, if persistent) when it returns. */
    private void commit() throws JMSException {
        if (batchSize == 0) {
            return;
        }
        session.commit();
        long now = System.nanoTime();
        for (int i = 0; i < batchSize; i++) {
            record(batchMeasured[i], batchStarts[i], now);
        }
        batchSize = 0;
    }

    private void record(boolean measured, long start, long end) {
        if (measured) {
            sent.recordMeasured(end, end - start);
        } else {
            sent.recordWarmup(end - start);
        }
    }

    private void awaitCompletions() throws InterruptedException {
        long timeoutNanos = (long) (settings.drainTimeoutSeconds() * 1e9);
        if (!inFlight.tryAcquire(settings.inFlight(), timeoutNanos, TimeUnit.NANOSECONDS)) {
            control.fail(new IllegalStateException((settings.inFlight() - inFlight.availablePermits())
                    + " asynchronous sends had no completion after " + settings.drainTimeoutSeconds() + " s"));
        }
    }

    /** Completes one asynchronous send; called on a provider thread. */
    private final class Completion implements CompletionListener {
        private final long start;
        private final boolean measured;

        Completion(long start, boolean measured) {
            this.start = start;
            this.measured = measured;
        }

        @Override
        public void onCompletion(Message message) {
            // in a transaction the send is only done at commit, where it is recorded
            if (settings.transacted() == 0) {
                record(measured, start, System.nanoTime());
            }
            inFlight.release();
        }

        @Override
        public void onException(Message message, Exception exception) {
            control.fail(exception);
            inFlight.release();
        }
    }
}
