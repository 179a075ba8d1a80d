package org.ternmq.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.ternmq.perf.JmsEndpoint.EndpointException;

/**
 * One produce, consume or roundtrip run: opens every connection first (so a bad URL fails before any
 * timing), starts one thread per producer and consumer, waits for them, closes everything and returns what
 * was measured. {@link #run} is called once, by one thread; {@link #stop} may be called from any thread
 * (a shutdown hook) to end the run early with a summary.
 */
final class LoadRun {
    // a worker that does not end this long after a failure is left behind (its connection is closed under it)
    private static final long STUCK_WORKER_MILLIS = 10_000;

    private final PerfSettings settings;
    private final PrintStream progressOut;
    private final RunControl control = new RunControl();
    private final List<Connection> connections = new ArrayList<>();
    private final List<Thread> producerThreads = new ArrayList<>();
    private final List<Thread> consumerThreads = new ArrayList<>();
    private volatile boolean interrupted;
    private final List<ConsumerWorker.Client> durables = new ArrayList<>();
    /** The durable subscription name of each subscriber (unique by its connection's client id). */
    static final String DURABLE_NAME = "perf";

    LoadRun(PerfSettings settings, PrintStream progressOut) {
        this.settings = settings;
        this.progressOut = progressOut;
    }

    /** Ends the run early: producers and consumers stop, the summary covers what was done. */
    void stop() {
        interrupted = true;
        control.stopProducers();
        control.stopConsumers();
    }

    /**
     * Runs the load.
     *
     * @throws EndpointException if the endpoint cannot be set up or a connection, session, producer or
     *     consumer cannot be created; nothing was measured then
     */
    RunResult run() throws EndpointException, InterruptedException {
        JmsEndpoint endpoint = JmsEndpoint.resolve(settings);
        boolean sends = settings.mode() != Mode.CONSUME;
        boolean receives = settings.mode() != Mode.PRODUCE;
        boolean roundtrip = settings.mode() == Mode.ROUNDTRIP;
        Meter sent = sends ? new Meter() : null;
        Meter received = receives ? new Meter() : null;
        LongAdder stale = new LongAdder();
        String runId = UUID.randomUUID().toString();
        try {
            List<ConsumerWorker.Client> consumers = receives ? createConsumers(endpoint) : List.of();
            List<ProducerWorker.Client> producers = sends ? createProducers(endpoint) : List.of();
            // the clock starts once every client is ready, so connecting is never timed
            RunClock clock = RunClock.start(settings.warmupSeconds(), settings.durationSeconds());
            UsageMeter usage = new UsageMeter(clock);
            Quota receiveQuota = new Quota(settings.mode() == Mode.CONSUME ? settings.messages() : 0);
            for (ConsumerWorker.Client c : consumers) {
                startThread(new ConsumerWorker(c, settings, clock, receiveQuota, received, stale, control,
                        roundtrip ? runId : null), "perf-consumer-", consumerThreads);
            }
            Progress progress = Progress.start(progressOut, clock, sent, received);
            long expected = -1;
            try {
                Quota sendQuota = new Quota(settings.messages());
                byte[] payload = payload(settings.size());
                for (ProducerWorker.Client p : producers) {
                    startThread(new ProducerWorker(p, settings, clock, sendQuota, sent, control, payload, runId),
                            "perf-producer-", producerThreads);
                }
                join(producerThreads);
                if (roundtrip) {
                    expected = sent.total() * (settings.topic() ? settings.consumers() : 1);
                    drain(received, expected);
                }
                if (settings.mode() != Mode.CONSUME) {
                    // a consume run's consumers end by themselves, at the quota or the deadline
                    control.stopConsumers();
                }
                join(consumerThreads);
            } finally {
                progress.stop();
            }
            return new RunResult(settings, endpoint.description(), sent, seconds(sent, clock), received,
                    seconds(received, clock), expected, stale.sum(), control.failure(), interrupted, usage.end());
        } finally {
            closeConnections();
        }
    }

    /** CPU and disk from the end of the warm-up (read by a short-lived thread) to {@link #end}. */
    private final class UsageMeter {
        private volatile Resources.Snapshot begin;

        UsageMeter(RunClock clock) {
            begin = Resources.snapshot(settings.brokerPid(), settings.disk());
            if (settings.warmupSeconds() > 0) {
                Thread t = new Thread(() -> {
                    long wait = clock.measureFromNanos() - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    begin = Resources.snapshot(settings.brokerPid(), settings.disk());
                }, "perf-usage");
                t.setDaemon(true);
                t.start();
            }
        }

        Resources.Usage end() {
            return Resources.between(begin, Resources.snapshot(settings.brokerPid(), settings.disk()),
                    settings.brokerPid());
        }
    }

    private static void startThread(Runnable worker, String prefix, List<Thread> threads) {
        Thread t = new Thread(worker, prefix + (threads.size() + 1));
        threads.add(t);
        t.start();
    }

    private static byte[] payload(int size) {
        byte[] payload = new byte[size];
        // random bytes, so a provider that compresses gains nothing another one does not
        new SplittableRandom(42).nextBytes(payload);
        return payload;
    }

    private List<ConsumerWorker.Client> createConsumers(JmsEndpoint endpoint) throws EndpointException {
        List<ConsumerWorker.Client> clients = new ArrayList<>();
        String clientIds = "tern-perf-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        for (int i = 1; i <= settings.consumers(); i++) {
            Connection connection = open(endpoint);
            try {
                if (settings.durable()) {
                    connection.setClientID(clientIds + i);
                }
                Session session = newSession(connection);
                jakarta.jms.MessageConsumer consumer = settings.durable()
                        ? session.createDurableConsumer((jakarta.jms.Topic) endpoint.destination(session), DURABLE_NAME)
                        : session.createConsumer(endpoint.destination(session));
                if (settings.durable()) {
                    durables.add(new ConsumerWorker.Client(session, consumer));
                }
                clients.add(new ConsumerWorker.Client(session, consumer));
                connection.start();
            } catch (JMSException | RuntimeException e) {
                throw new EndpointException("cannot create consumer " + i + " on " + settings.destination() + ": "
                        + describe(e), e);
            }
        }
        return clients;
    }

    private List<ProducerWorker.Client> createProducers(JmsEndpoint endpoint) throws EndpointException {
        List<ProducerWorker.Client> clients = new ArrayList<>();
        for (int i = 1; i <= settings.producers(); i++) {
            Connection connection = open(endpoint);
            try {
                Session session = newSession(connection);
                MessageProducer producer = session.createProducer(endpoint.destination(session));
                producer.setDeliveryMode(settings.persistent() ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
                clients.add(new ProducerWorker.Client(session, producer));
            } catch (JMSException | RuntimeException e) {
                throw new EndpointException("cannot create producer " + i + " on " + settings.destination() + ": "
                        + describe(e), e);
            }
        }
        return clients;
    }

    private Connection open(JmsEndpoint endpoint) throws EndpointException {
        try {
            Connection connection = endpoint.connect();
            connections.add(connection);
            return connection;
        } catch (JMSException | RuntimeException e) {
            throw new EndpointException("cannot connect to " + endpoint.description() + ": " + describe(e), e);
        }
    }

    private Session newSession(Connection connection) throws JMSException {
        return settings.transacted() > 0
                ? connection.createSession(true, Session.SESSION_TRANSACTED)
                : connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** Waits until the consumers have {@code expected} messages, or went the drain timeout without any. */
    private void drain(Meter received, long expected) {
        long idleLimit = (long) (settings.drainTimeoutSeconds() * 1e9);
        long lastCount = received.total();
        long lastChange = System.nanoTime();
        while (received.total() < expected && control.failure() == null && !interrupted) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            long count = received.total();
            long now = System.nanoTime();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange > idleLimit) {
                return;
            }
        }
    }

    private void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            while (t.isAlive()) {
                t.join(100);
                if (control.failure() != null || interrupted) {
                    t.join(STUCK_WORKER_MILLIS);
                    break;
                }
            }
        }
    }

    private static double seconds(Meter meter, RunClock clock) {
        if (meter == null || meter.measuredCount() == 0) {
            return 0;
        }
        return (meter.lastMeasuredNanos() - clock.measureFromNanos()) / 1e9;
    }

    private void closeConnections() {
        for (ConsumerWorker.Client d : durables) {
            try {
                d.consumer().close();
                d.session().unsubscribe(DURABLE_NAME);
            } catch (JMSException | RuntimeException ignored) {
                // a subscription left behind only holds this run's leftovers
            }
        }
        for (Connection c : connections) {
            try {
                c.close();
            } catch (JMSException | RuntimeException ignored) {
                // the run's outcome is already known; a failed close changes nothing in it
            }
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }
}
