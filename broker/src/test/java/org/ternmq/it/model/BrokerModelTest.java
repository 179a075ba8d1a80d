package org.ternmq.it.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;
import org.ternmq.it.crash.ChildBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * Random operations through the JMS API against a broker in a child process, checked against an in-memory
 * {@link Model} of what must exist: persistent and non-persistent sends (with priorities, time-to-live and
 * delivery delays) to three queues and a topic with two durable subscriptions, receives in every
 * acknowledge mode that acknowledge, recover, roll back or just close, local transactions that receive and
 * send and commit or roll back, dead-lettering after the policy's attempts, moves out of the dead-letter
 * queue, purges, paging (ten messages per queue on the heap), all interleaved with graceful restarts and
 * SIGKILLs. After every restart the counts every destination reports are checked; every received message is
 * checked as it comes (it must exist, must be the first available one of its delivery mode and priority,
 * with the exact {@code JMSXDeliveryCount}), and at the end everything is drained: every message the model
 * holds comes out exactly once, and nothing else does.
 *
 * <p>Seeded: a failure names its seed; {@code -Dtern.model.seed=N} runs that seed alone
 * ({@code -Dtern.model.ops=N} sets its length).
 */
class BrokerModelTest {

    private static final String[] QUEUES = {"m.q0", "m.q1", "m.q2"};
    private static final String TOPIC = "m.t0";
    private static final String CLIENT_ID = "model";
    private static final String[] SUBSCRIPTIONS = {"s0", "s1"};
    private static final String UID = "uid";
    private static final int MAX_ATTEMPTS = 3;

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
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shortRun() throws Exception {
        String seed = System.getProperty("tern.model.seed");
        if (seed != null) {
            run(Long.parseLong(seed), Integer.getInteger("tern.model.ops", 400));
            return;
        }
        for (long s : new long[] {7, 1001}) {
            run(s, 150);
        }
    }

    @Test
    @Tag("soak")
    @Timeout(value = 180, unit = TimeUnit.MINUTES)
    void longRun() throws Exception {
        for (long s = 1; s <= 20; s++) {
            run(s * 7919, 1000);
        }
    }

    private void run(long seed, int operations) throws Exception {
        Path runDir = dir.resolve("seed-" + seed);
        Driver driver = new Driver(seed, runDir);
        try {
            driver.run(operations);
        } catch (AssertionError | Exception e) {
            driver.writeTrail(runDir.resolve("operations.txt"));
            throw new AssertionError("model test failed with seed " + seed + " after " + driver.done
                    + " operations (rerun: -Dtern.model.seed=" + seed + "); broker logs in " + runDir.resolve("logs")
                    + ", every operation in " + runDir.resolve("operations.txt")
                    + "\nlast operations:\n  " + String.join("\n  ", driver.trail()), e);
        } finally {
            broker.close();
        }
    }

    /** One seeded run. */
    private final class Driver {
        final Random random;
        final Model model = new Model(MAX_ATTEMPTS, "ExpiryQueue", "DLQ");
        final List<String> trail = new ArrayList<>();
        int uids;
        int done;
        Message lastReceived;
        TernConnectionFactory cf;

        Driver(long seed, Path runDir) throws Exception {
            this.random = new Random(seed);
            Files.createDirectories(runDir);
            Path config = runDir.resolve("tern.properties");
            Files.writeString(config, String.join("\n",
                    "expiry-scan-period=100",
                    "policy.default.max-delivery-attempts=" + MAX_ATTEMPTS,
                    "policy.default.redelivery-delay=0",
                    "policy.default.duplicate-window-time=0",
                    "policy.model.match=m.#",
                    "policy.model.max-memory-messages=10", ""));
            for (String q : QUEUES) {
                model.add(q, q, true);
            }
            for (String s : SUBSCRIPTIONS) {
                model.add(s, TOPIC + "::" + CLIENT_ID + "." + s, true);
            }
            broker = new ChildBroker(runDir.resolve("data"), runDir.resolve("logs"), "--config", config.toString());
        }

        List<String> trail() {
            return trail.subList(Math.max(0, trail.size() - 25), trail.size());
        }

        void note(String what) {
            trail.add(done + ": " + what);
        }

        /** The whole trail, for the failure report. */
        void writeTrail(Path file) throws java.io.IOException {
            Files.write(file, trail);
        }

        void run(int operations) throws Exception {
            broker.start();
            cf = new TernConnectionFactory(broker.url());
            try (Connection c = connection(true)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                Topic topic = s.createTopic(TOPIC);
                for (String sub : SUBSCRIPTIONS) {
                    s.createDurableSubscriber(topic, sub).close();
                }
            }
            for (; done < operations; done++) {
                int op = random.nextInt(100);
                if (op < 30) {
                    send();
                } else if (op < 38) {
                    sendTransacted();
                } else if (op < 70) {
                    receive();
                } else if (op < 76) {
                    receiveAndSendTransacted();
                } else if (op < 80) {
                    burst();
                } else if (op < 84) {
                    moveDeadLetterBack();
                } else if (op < 86) {
                    purge();
                } else if (op < 90) {
                    checkCounts();
                } else if (op < 95) {
                    restart(false);
                } else {
                    restart(true);
                }
            }
            restart(false);
            drainAll();
        }

        Connection connection(boolean withClientId) throws JMSException {
            Connection c = cf.createConnection();
            if (withClientId) {
                c.setClientID(CLIENT_ID);
            }
            return c;
        }

        // ---- sends

        Model.Destination[] sendTarget(Session s, String[] name) throws JMSException {
            int pick = random.nextInt(QUEUES.length + 1);
            if (pick == QUEUES.length) {
                name[0] = TOPIC;
                return new Model.Destination[] {model.get(SUBSCRIPTIONS[0]), model.get(SUBSCRIPTIONS[1])};
            }
            name[0] = QUEUES[pick];
            return new Model.Destination[] {model.get(QUEUES[pick])};
        }

        Destination jmsDestination(Session s, String name) throws JMSException {
            return name.equals(TOPIC) ? s.createTopic(name) : s.createQueue(name);
        }

        /** Sends one message, with random options; returns what the model must record once it is in. */
        Message sendOne(Session s, MessageProducer p, Destination to, boolean persistent) throws JMSException {
            int uid = ++uids;
            TextMessage m = s.createTextMessage("m" + uid);
            m.setIntProperty(UID, uid);
            int priority = random.nextInt(4) == 0 ? 7 : 4;
            long ttl = random.nextInt(10) == 0 ? 300 + random.nextInt(2500) : 0;
            long delay = random.nextInt(10) == 0 ? 200 + random.nextInt(2500) : 0;
            p.setDeliveryDelay(delay);
            p.send(to, m, persistent ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT, priority, ttl);
            return m;
        }

        void record(Model.Destination[] targets, String name, Message m) throws JMSException {
            origins.put(m.getIntProperty(UID), name);
            for (Model.Destination d : targets) {
                model.arrived(d, m.getIntProperty(UID), m.getJMSDeliveryMode() == DeliveryMode.PERSISTENT,
                        m.getJMSPriority(), m.getJMSExpiration(), m.getJMSDeliveryTime());
            }
        }

        void send() throws Exception {
            try (Connection c = connection(false)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                String[] name = new String[1];
                Model.Destination[] targets = sendTarget(s, name);
                MessageProducer p = s.createProducer(null);
                boolean persistent = random.nextInt(4) != 0;
                Message m = sendOne(s, p, jmsDestination(s, name[0]), persistent);
                record(targets, name[0], m);
                note("send m" + m.getIntProperty(UID) + (persistent ? " P" : " N") + " to " + name[0]);
                if (persistent) {
                    model.durablePoint();
                }
            }
        }

        void burst() throws Exception {
            try (Connection c = connection(false)) {
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                String[] name = new String[1];
                Model.Destination[] targets = sendTarget(s, name);
                MessageProducer p = s.createProducer(null);
                Destination to = jmsDestination(s, name[0]);
                int n = 20 + random.nextInt(40);
                for (int i = 0; i < n; i++) {
                    record(targets, name[0], sendOne(s, p, to, true));
                }
                note("burst of " + n + " to " + name[0]);
                model.durablePoint();
            }
        }

        void sendTransacted() throws Exception {
            try (Connection c = connection(false)) {
                Session s = c.createSession(Session.SESSION_TRANSACTED);
                String[] name = new String[1];
                Model.Destination[] targets = sendTarget(s, name);
                MessageProducer p = s.createProducer(null);
                Destination to = jmsDestination(s, name[0]);
                List<Message> sent = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    sent.add(sendOne(s, p, to, random.nextInt(4) != 0));
                }
                if (random.nextInt(3) == 0) {
                    s.rollback();
                    note("tx send of " + n + " to " + name[0] + " rolled back");
                } else {
                    s.commit();
                    for (Message m : sent) {
                        record(targets, name[0], m);
                    }
                    note("tx send of " + n + " to " + name[0] + " committed");
                    model.durablePoint();
                }
            }
        }

        // ---- receives

        Model.Destination receiveSource() {
            int pick = random.nextInt(QUEUES.length + SUBSCRIPTIONS.length + 2);
            if (pick < QUEUES.length) {
                return model.get(QUEUES[pick]);
            }
            pick -= QUEUES.length;
            if (pick < SUBSCRIPTIONS.length) {
                return model.get(SUBSCRIPTIONS[pick]);
            }
            return pick == SUBSCRIPTIONS.length ? model.deadLetters() : model.expiry();
        }

        MessageConsumer consumer(Session s, Model.Destination d) throws JMSException {
            if (d.managedName.contains("::")) {
                return s.createDurableSubscriber(s.createTopic(TOPIC), d.name);
            }
            return s.createConsumer(s.createQueue(d.name));
        }

        /**
         * Receives up to {@code n} messages from {@code d}, checking each against the model; returns the entries
         * received, in order (each made certain: it was seen).
         */
        List<Model.Entry> take(MessageConsumer consumer, Model.Destination d, int n, long started) throws Exception {
            List<Model.Entry> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long now = System.currentTimeMillis();
                model.expire(now);
                boolean expected = d.entries.stream().anyMatch(e -> !got.contains(e) && e.surelyAvailable(started, now));
                Message m = consumer.receive(expected ? 5000 : 300);
                long after = System.currentTimeMillis();
                if (m == null) {
                    assertThat(expected).as("%s: receive returned nothing though the model holds %s", d.name,
                            d.entries).isFalse();
                    break;
                }
                got.add(check(d, m, got, started, after));
                lastReceived = m;
            }
            return got;
        }

        /** Checks one received message against the model; returns its entry. */
        Model.Entry check(Model.Destination d, Message m, List<Model.Entry> already, long from, long to)
                throws JMSException {
            int uid = m.getIntProperty(UID);
            assertThat(((TextMessage) m).getText()).isEqualTo("m" + uid);
            Model.Entry e = null;
            for (Model.Entry candidate : d.entries) {
                if (candidate.uid == uid && !already.contains(candidate)) {
                    e = candidate;
                    break;
                }
            }
            if (e == null && d == model.expiry()) {
                e = model.expiredEarly(uid, to);
            }
            assertThat(e).as("%s: received m%d, which the model does not hold there: %s", d.name, uid, d.entries)
                    .isNotNull();
            assertThat(e.possiblyAvailable(from, to)).as("%s: m%d delivered outside its time (%s, window %d-%d)",
                    d.name, uid, e, from, to).isTrue();
            if (d.ordered) {
                for (Model.Entry earlier : d.entries) {
                    if (earlier == e) {
                        break;
                    }
                    if (!already.contains(earlier) && earlier.sameClass(e) && earlier.surelyAvailable(from, to)) {
                        throw new AssertionError(d.name + ": received " + e + " before " + earlier
                                + " of the same delivery mode and priority; model " + d.entries);
                    }
                }
            }
            int count = m.getIntProperty("JMSXDeliveryCount");
            if (e.countMayBeHigherBy > 0) {
                assertThat(count).as("%s: JMSXDeliveryCount of %s", d.name, e).isBetween(e.deliveries + 1,
                        e.deliveries + 1 + e.countMayBeHigherBy);
                e.deliveries = count - 1;
                e.countMayBeHigherBy = 0;
            } else {
                assertThat(count).as("%s: JMSXDeliveryCount of %s", d.name, e).isEqualTo(e.deliveries + 1);
            }
            assertThat(m.getJMSRedelivered()).as("%s: JMSRedelivered of %s", d.name, e).isEqualTo(count > 1);
            e.certain = true;
            return e;
        }

        void receive() throws Exception {
            Model.Destination d = receiveSource();
            int mode = new int[] {Session.AUTO_ACKNOWLEDGE, Session.CLIENT_ACKNOWLEDGE, Session.DUPS_OK_ACKNOWLEDGE,
                    Session.SESSION_TRANSACTED}[random.nextInt(4)];
            boolean subscription = d.managedName.contains("::");
            int n = 1 + random.nextInt(5);
            // give back (recover, roll back, close) only where the dead-letter policy is the model's
            boolean giveBack = random.nextInt(3) == 0 && d != model.deadLetters() && d != model.expiry();
            boolean closeOnly = giveBack && random.nextBoolean();
            long started = System.currentTimeMillis();
            try (Connection c = connection(subscription)) {
                c.start();
                Session s = c.createSession(mode);
                MessageConsumer consumer = consumer(s, d);
                List<Model.Entry> got = take(consumer, d, n, started);
                String what = "receive " + got.size() + "/" + n + " from " + d.name + " mode " + mode + " "
                        + got.stream().map(e -> "m" + e.uid).toList();
                if (mode == Session.AUTO_ACKNOWLEDGE || mode == Session.DUPS_OK_ACKNOWLEDGE) {
                    consumed(d, got, mode == Session.DUPS_OK_ACKNOWLEDGE);
                    note(what);
                    return;
                }
                if (!giveBack) {
                    if (mode == Session.SESSION_TRANSACTED) {
                        s.commit();
                    } else if (!got.isEmpty()) {
                        lastReceived.acknowledge(); // acknowledges everything the session received
                    }
                    consumed(d, got, false);
                    note(what + " acknowledged");
                    return;
                }
                if (!closeOnly) {
                    if (mode == Session.SESSION_TRANSACTED) {
                        s.rollback();
                    } else {
                        s.recover();
                    }
                }
                got.forEach(e -> model.returned(d, e));
                note(what + (closeOnly ? " closed without acknowledging" : " given back"));
            }
        }

        void consumed(Model.Destination d, List<Model.Entry> got, boolean dupsOk) {
            d.entries.removeAll(got);
            if (dupsOk) {
                d.ghosts.addAll(got);
            } else if (!got.isEmpty()) {
                model.durablePoint();
            }
        }

        void receiveAndSendTransacted() throws Exception {
            Model.Destination from = model.get(QUEUES[random.nextInt(QUEUES.length)]);
            long started = System.currentTimeMillis();
            try (Connection c = connection(false)) {
                c.start();
                Session s = c.createSession(Session.SESSION_TRANSACTED);
                List<Model.Entry> got = take(s.createConsumer(s.createQueue(from.name)), from, 1 + random.nextInt(3),
                        started);
                String[] name = new String[1];
                Model.Destination[] targets = sendTarget(s, name);
                MessageProducer p = s.createProducer(null);
                List<Message> sent = new ArrayList<>();
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    sent.add(sendOne(s, p, jmsDestination(s, name[0]), random.nextInt(4) != 0));
                }
                if (random.nextBoolean()) {
                    s.commit();
                    from.entries.removeAll(got);
                    for (Message m : sent) {
                        record(targets, name[0], m);
                    }
                    model.durablePoint();
                    note("tx receive " + got.size() + " from " + from.name + " + send " + sent.size() + " to "
                            + name[0] + " committed");
                } else {
                    s.rollback();
                    got.forEach(e -> model.returned(from, e));
                    note("tx receive " + got.size() + " from " + from.name + " + send " + sent.size() + " to "
                            + name[0] + " rolled back");
                }
            }
        }

        // ---- management

        ClientConnection admin() throws Exception {
            return ClientConnection.connect(ConnectionUrl.parse(broker.url()), null, null);
        }

        void moveDeadLetterBack() throws Exception {
            Model.Destination dlq = model.deadLetters();
            if (dlq.entries.isEmpty()) {
                return;
            }
            Model.Entry e = dlq.entries.get(random.nextInt(dlq.entries.size()));
            List<Model.Entry> copies = dlq.entries.stream().filter(x -> x.uid == e.uid).toList();
            long moved;
            try (ClientConnection admin = admin()) {
                moved = admin.manage("move-messages", dlq.name, null, UID + " = " + e.uid).count();
            }
            long certain = copies.stream().filter(x -> x.certain).count();
            assertThat(moved).as("dead letters m%d moved back (model: %s)", e.uid, copies)
                    .isBetween(certain, (long) copies.size());
            dlq.entries.removeAll(copies);
            // the copies go back to where they came from: a queue, or the topic and so every subscription
            Model.Entry first = copies.get(0);
            String origin = originOf(first.uid);
            List<Model.Destination> targets = origin.equals(TOPIC)
                    ? List.of(model.get(SUBSCRIPTIONS[0]), model.get(SUBSCRIPTIONS[1])) : List.of(model.get(origin));
            for (int i = 0; i < moved; i++) {
                for (Model.Destination t : targets) {
                    t.entries.add(first.movedAs(model.nextSeq()));
                }
            }
            note("moved " + moved + " dead letter(s) m" + e.uid + " back to " + origin);
        }

        /** Where a message was first sent (kept by uid, as the broker keeps it in a property). */
        private final Map<Integer, String> origins = new HashMap<>();

        String originOf(int uid) {
            return origins.get(uid);
        }

        void purge() throws Exception {
            Model.Destination d = random.nextInt(4) == 0 ? model.expiry() : model.get(QUEUES[random.nextInt(QUEUES.length)]);
            long removed;
            try (ClientConnection admin = admin()) {
                removed = admin.manage("purge", d.name, null, null).count();
            } catch (org.ternmq.client.ClientException e) {
                // a queue that was never created cannot be purged
                assertThat(d.entries).as("purge of %s failed: %s", d.name, e.getMessage()).isEmpty();
                return;
            }
            long now = System.currentTimeMillis();
            model.expire(now);
            assertThat(removed).as("purged from %s (model %s)", d.name, d.entries)
                    .isBetween(d.surelyHere(now), (long) d.entries.size() + pendingExpiries(d, now));
            if (d == model.expiry()) {
                // an expired message still paged in its queue reaches the expiry queue later: it stays uncertain
                d.entries.removeIf(e -> e.certain);
                // and one the model holds elsewhere that expired just now may have been in the expiry queue already
                for (Model.Destination other : model.all()) {
                    other.entries.stream().filter(e -> e.expiration != 0 && e.expiration <= now + Model.SLACK)
                            .forEach(e -> e.certain = false);
                }
            } else {
                // a message that expired just now may have reached the expiry queue before the purge
                for (Model.Entry e : d.entries) {
                    if (e.expiration != 0 && e.expiration <= now + Model.SLACK) {
                        Model.Entry copy = e.movedAs(model.nextSeq());
                        copy.certain = false;
                        model.expiry().entries.add(copy);
                    }
                }
                d.entries.clear();
            }
            note("purged " + removed + " from " + d.name);
        }

        /** Messages that expired out of {@code d} but that the broker may not have moved yet. */
        long pendingExpiries(Model.Destination d, long now) {
            return d == model.expiry() ? model.possiblyExpiredOutsideExpiry(now)
                    : model.expiry().entries.stream().filter(e -> !e.certain).count();
        }

        // ---- restarts and checks

        void restart(boolean kill) throws Exception {
            if (kill) {
                broker.kill();
            } else {
                broker.stop();
                // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran (3 would be a halt past --stop-timeout)
                assertThat(broker.lastExitCode()).as("exit status of a graceful stop").isEqualTo(143);
            }
            broker.start();
            model.restarted(kill);
            note(kill ? "killed and restarted" : "stopped and restarted");
            checkCounts();
        }

        void checkCounts() throws Exception {
            Map<String, Long> counts = new HashMap<>();
            Pattern line = Pattern.compile("^(\\S+)\\s+(\\d+)\\s+(\\d+)\\s*$");
            try (ClientConnection admin = admin()) {
                for (String l : admin.manage("list-queues", null, null, null).text().split("\n")) {
                    Matcher matcher = line.matcher(l);
                    if (matcher.matches()) {
                        counts.put(matcher.group(1), Long.parseLong(matcher.group(2)));
                    }
                }
            }
            long now = System.currentTimeMillis();
            model.expire(now);
            long uncertainExpired = model.expiry().entries.stream().filter(e -> !e.certain).count();
            long expiring = model.possiblyExpiredOutsideExpiry(now);
            for (Model.Destination d : model.all()) {
                long actual = counts.getOrDefault(d.managedName, 0L);
                long max = d.entries.size() + (d == model.expiry() ? expiring : uncertainExpired);
                assertThat(actual).as("count of %s (model %s)", d.name, d.entries).isBetween(d.surelyHere(now), max);
            }
            note("counts " + counts);
        }

        void drainAll() throws Exception {
            // wait until every expiry and delivery time has passed for sure, then take everything
            long latest = 0;
            for (Model.Destination d : model.all()) {
                for (Model.Entry e : d.entries) {
                    latest = Math.max(latest, Math.max(e.expiration, e.deliveryTime));
                }
            }
            long wait = latest + 3 * Model.SLACK - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            List<Model.Destination> order = new ArrayList<>();
            for (Model.Destination d : model.all()) {
                if (d != model.expiry() && d != model.deadLetters()) {
                    order.add(d);
                }
            }
            order.add(model.deadLetters());
            order.add(model.expiry());
            for (Model.Destination d : order) {
                drain(d);
            }
            checkCounts();
        }

        void drain(Model.Destination d) throws Exception {
            boolean subscription = d.managedName.contains("::");
            long started = System.currentTimeMillis();
            try (Connection c = connection(subscription)) {
                c.start();
                Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = consumer(s, d);
                while (true) {
                    long now = System.currentTimeMillis();
                    model.expire(now);
                    boolean expected = d.entries.stream().anyMatch(e -> e.surelyAvailable(started, now));
                    Message m = consumer.receive(expected ? 5000 : 1000);
                    if (m == null) {
                        break;
                    }
                    Model.Entry e = check(d, m, List.of(), started, System.currentTimeMillis());
                    d.entries.remove(e);
                }
            }
            assertThat(d.certainCount()).as("%s: messages the model holds that never came: %s", d.name, d.entries)
                    .isZero();
            d.entries.clear();
            note("drained " + d.name);
        }
    }
}
