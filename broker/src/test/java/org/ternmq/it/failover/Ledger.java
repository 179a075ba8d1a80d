package org.ternmq.it.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

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
