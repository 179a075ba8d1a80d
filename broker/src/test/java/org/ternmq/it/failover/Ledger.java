package org.ternmq.it.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;

import org.ternmq.jms.TernConnectionFactory;

/**
 * The account of a failover test's load: every send that returned, what each successful commit of the consumer moved,
 * what was in a commit whose outcome is in doubt or that was reported rolled back; at the end, {@link #reconcile}
 * reads what is left and tells what was lost or consumed twice. Any thread records; the test thread reconciles.
 */
final class Ledger {

    final Set<String> returned = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> committed = new ConcurrentHashMap<>();
    /** Consumed in a commit refused while the brokers changed: it may or may not have happened. */
    final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
    /** In a commit reported rolled back (which means rolled back: the messages must come again). */
    final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    void returned(String text) {
        returned.add(text);
        sends.incrementAndGet();
    }

    void committed(Collection<String> texts) {
        texts.forEach(t -> committed.merge(t, 1, Integer::sum));
    }

    /**
     * The body of a producer that sends {@code prefix0}, {@code prefix1}... until {@code workers} stop and books each
     * send that returned. A send refused in a way {@code refusal} accepts is not booked (stored or not, it may be
     * consumed) and the next waits 20 ms; any other failure ends it. Once {@code eventAt} (a {@code System.nanoTime})
     * is set, the first send begun after it that returns sets {@code firstAfter} (the time from a kill or a cut to
     * the first send the new live broker answered; a send begun before may be answered late by the old one).
     */
    Workers.Body producer(Workers workers, Session session, MessageProducer producer, String prefix,
            Predicate<JMSException> refusal, AtomicLong eventAt, AtomicLong firstAfter) {
        return () -> {
            for (int i = 0; !workers.stopped(); i++) {
                long began = System.nanoTime();
                try {
                    producer.send(session.createTextMessage(prefix + i));
                } catch (JMSException e) {
                    if (!refusal.test(e)) {
                        throw e;
                    }
                    refused.incrementAndGet();
                    Thread.sleep(20);
                    continue;
                }
                returned(prefix + i);
                long event = eventAt.get();
                if (event != 0 && began - event > 0) {
                    firstAfter.compareAndSet(0, System.nanoTime());
                }
            }
        };
    }

    /**
     * The body of a transacted consumer that books what it does here: it receives, commits every 10 messages (or when
     * nothing more comes) until {@code workers} stop, then rolls back what it holds. A commit reported rolled back is
     * not in doubt (its outcome was asked of the broker the client failed over to: rolled back means rolled back, and
     * the batch must come again; one that did go through but was reported rolled back would leave its messages
     * consumed nowhere). A commit refused in a way {@code refusal} accepts (while replication or the live broker
     * changes) may or may not have happened: in doubt; the transaction is rolled back and the consumer waits
     * {@code pauseMillis}. Any other failure ends it.
     */
    Workers.Body transactedConsumer(Workers workers, Session tx, MessageConsumer consumer,
            Predicate<JMSException> refusal, long pauseMillis) {
        return () -> {
            List<String> batch = new ArrayList<>();
            while (!workers.stopped()) {
                Message m = consumer.receive(200);
                if (m != null) {
                    batch.add(((TextMessage) m).getText());
                }
                if (batch.size() >= 10 || (m == null && !batch.isEmpty())) {
                    try {
                        tx.commit();
                        committed(batch);
                    } catch (TransactionRolledBackException e) {
                        rolledBack.addAll(batch);
                    } catch (JMSException e) {
                        if (!refusal.test(e)) {
                            throw e;
                        }
                        inDoubt.addAll(batch);
                        tx.rollback();
                        Thread.sleep(pauseMillis);
                    }
                    batch.clear();
                }
            }
            tx.rollback();
        };
    }

    /**
     * Reads everything left on {@code queues} through {@code url} (the consumers' connections must be closed first, so
     * that what they held comes back) and compares.
     */
    Reconciled reconcile(String url, String... queues) throws JMSException {
        Map<String, Integer> left = new HashMap<>();
        Map<String, Integer> perQueue = new HashMap<>();
        try (Connection reader = new TernConnectionFactory(url).createConnection()) {
            reader.start();
            Session s = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : queues) {
                MessageConsumer rest = s.createConsumer(s.createQueue(queue));
                for (Message m = rest.receive(3000); m != null; m = rest.receive(1000)) {
                    left.merge(((TextMessage) m).getText(), 1, Integer::sum);
                    perQueue.merge(queue, 1, Integer::sum);
                }
                rest.close();
            }
        }
        Set<String> missing = new HashSet<>(returned);
        missing.removeAll(committed.keySet());
        missing.removeAll(left.keySet());
        missing.removeAll(inDoubt);
        Set<String> both = new HashSet<>(committed.keySet());
        both.retainAll(left.keySet());
        return new Reconciled(left, perQueue, missing, both);
    }

    /** What is left (per text, and how many per queue), what is missing, what was both committed and left. */
    final class Reconciled {
        final Map<String, Integer> left;
        final Map<String, Integer> perQueue;
        final Set<String> missing;
        final Set<String> both;

        private Reconciled(Map<String, Integer> left, Map<String, Integer> perQueue, Set<String> missing,
                Set<String> both) {
            this.left = left;
            this.perQueue = perQueue;
            this.missing = missing;
            this.both = both;
        }

        /** How many messages consumed more than once (committed twice, left twice, or committed and left). */
        long twice() {
            return committed.values().stream().filter(n -> n > 1).count()
                    + left.values().stream().filter(n -> n > 1).count() + both.size();
        }

        void assertNoneTwice() {
            assertThat(committed.values()).as("committed twice").allMatch(n -> n == 1);
            assertThat(left.values()).as("left twice").allMatch(n -> n == 1);
            assertThat(both).as("consumed and still there").isEmpty();
        }

        void assertExactlyOnce() {
            assertThat(missing).as("returned sends consumed nowhere").isEmpty();
            assertNoneTwice();
        }
    }
}
