package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.persistence.StoreRecordDescriptor;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.testing.RawBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.Acknowledge;
import org.ternmq.protocol.BrowseBatch;
import org.ternmq.protocol.BrowseNext;
import org.ternmq.protocol.CreateBrowser;
import org.ternmq.protocol.CreateConsumer;
import org.ternmq.protocol.Credit;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.Recover;
import org.ternmq.protocol.Send;
import org.ternmq.protocol.Unsubscribe;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.SyncPolicy;

/**
 * Queues holding more persistent messages than their memory limit (100 here): the heap keeps at most the
 * limit, the rest is paged out to the journal and comes back in arrival order, exactly once, with the
 * right delivery counts, across restarts, for selectors, browsers, redeliveries and shared (fan-out)
 * messages; and nothing is left in the journal once everything is consumed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PagingTest {

    private static final int LIMIT = 100;
    @TempDir
    Path data;
    private RawBroker fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start() throws Exception {
        fixture = new RawBroker(data, "paging").policy("policy.default.max-memory-messages", String.valueOf(LIMIT))
                .configure(b -> b.syncPolicy(SyncPolicy.NONE));
        fixture.start();
    }

    private void restart() throws Exception {
        fixture.restart();
    }

    private RawClient session(int ackMode, String clientId) throws Exception {
        return fixture.session(ackMode, clientId);
    }

    private static void send(RawClient c, Address to, int n) throws InterruptedException {
        byte[] bytes = new MessageEncoder().destination(to).messageId("ID:" + n).persistent(true)
                .property("n", n).property("parity", n % 2).encode().bytes();
        assertThat(c.request(id -> new Send(id, 1, bytes))).isInstanceOf(Ok.class);
    }

    private static int n(Deliver d) throws Exception {
        return (Integer) EncodedMessage.wrap(d.message()).property("n");
    }

    // ---- the agent's view, read on its thread

    private BrokerAgent agent() throws Exception {
        Field f = EmbeddedBroker.class.getDeclaredField("agent");
        f.setAccessible(true);
        return (BrokerAgent) f.get(fixture.broker());
    }

    private <T> T onAgent(Function<BrokerAgent, T> read) throws Exception {
        BrokerAgent agent = agent();
        CompletableFuture<T> result = new CompletableFuture<>();
        agent.execute(() -> result.complete(read.apply(agent)));
        return result.get(10, TimeUnit.SECONDS);
    }

    private MessageQueue queue(String name) throws Exception {
        return onAgent(a -> a.queuesByName().get(name));
    }

    private int peakResident() throws Exception {
        return onAgent(a -> a.pager().peakResident());
    }

    private int[] counts(String name) throws Exception {
        return onAgent(a -> {
            MessageQueue q = a.queuesByName().get(name);
            return new int[] {q.residentCount(), q.pagedCount(), q.messageCount()};
        });
    }

    /** Receives {@code total} messages, acknowledging each batch and granting credit as it goes. */
    private static List<Deliver> receive(RawClient c, long consumerId, int total, int credits) throws Exception {
        List<Deliver> got = new ArrayList<>();
        List<Long> unacked = new ArrayList<>();
        while (got.size() < total) {
            Deliver d = c.next(Deliver.class);
            assertThat(d.consumerId()).isEqualTo(consumerId);
            got.add(d);
            unacked.add(d.deliveryId());
            if (unacked.size() == credits || got.size() == total) {
                long[] ids = unacked.stream().mapToLong(Long::longValue).toArray();
                assertThat(c.request(id -> new Acknowledge(id, 1, ids))).isInstanceOf(Ok.class);
                c.send(new Credit(consumerId, unacked.size()));
                unacked.clear();
            }
        }
        return got;
    }

    private Map<Byte, Integer> journalRecords() throws Exception {
        fixture.close();
        Map<Byte, Integer> records = new HashMap<>();
        JournalConfig config = JournalConfig.builder(data.resolve("journal")).set(JournalConfig.SEGMENT_SIZE, 4 << 20)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 1 << 20).build();
        try (Journal journal = Journal.open(config, (long id, byte type, ByteBuffer payload) -> records.merge(type, 1, Integer::sum))) {
            assertThat(journal.isFenced()).isFalse();
        }
        return records;
    }

    @Test
    void aBacklogBeyondTheLimitIsPagedAndComesBackInOrderExactlyOnceAfterARestart() throws Exception {
        int total = 20_000;
        start();
        RawClient producer = session(1, null);
        Address q = Address.queue("backlog");
        for (int i = 0; i < total; i++) {
            send(producer, q, i);
        }
        assertThat(peakResident()).isLessThanOrEqualTo(LIMIT);
        int[] counts = counts("backlog");
        assertThat(counts[0]).isEqualTo(LIMIT);
        assertThat(counts[1]).isEqualTo(total - LIMIT);
        assertThat(counts[2]).isEqualTo(total);

        RawClient peek = session(2, null); // three deliveries never acknowledged: they come back as redelivered
        assertThat(peek.request(id -> new CreateConsumer(id, 1, 1, q, null, false, null, false, false, 3)))
                .isInstanceOf(Ok.class);
        for (int i = 0; i < 3; i++) {
            assertThat(n(peek.next(Deliver.class))).isEqualTo(i);
        }
        restart();

        await().atMost(Duration.ofSeconds(10)).until(() -> counts("backlog")[0] == LIMIT);
        assertThat(counts("backlog")[2]).isEqualTo(total);
        RawClient consumer = session(2, null);
        assertThat(consumer.request(id -> new CreateConsumer(id, 1, 7, q, null, false, null, false, false, 50)))
                .isInstanceOf(Ok.class);
        List<Deliver> got = receive(consumer, 7, total, 50);
        for (int i = 0; i < total; i++) {
            assertThat(n(got.get(i))).as("message %d", i).isEqualTo(i);
            assertThat(got.get(i).deliveryCount()).as("delivery count of message %d", i).isEqualTo(i < 3 ? 2 : 1);
        }
        assertThat(consumer.poll(200)).isNull();
        assertThat(peakResident()).isLessThanOrEqualTo(LIMIT);
        assertThat(counts("backlog")).containsExactly(0, 0, 0);
        assertThat(journalRecords()).containsOnlyKeys(StoreRecordDescriptor.QUEUE);
    }

    @Test
    void selectorsSeePagedMessagesOnceTheyArePagedInAndBrowsersSeePagedOnesToo() throws Exception {
        int total = 2_000;
        start();
        RawClient producer = session(1, null);
        Address q = Address.queue("selected");
        for (int i = 0; i < total; i++) {
            send(producer, q, i);
        }
        RawClient browser = session(1, null);
        assertThat(browser.request(id -> new CreateBrowser(id, 1, 1, q, "parity = 1"))).isInstanceOf(Ok.class);
        // the odd ones among the LIMIT on the heap, then those paged out, read a bounded step per request
        List<Integer> browsed = new ArrayList<>();
        BrowseBatch seen;
        do {
            seen = (BrowseBatch) browser.request(id -> new BrowseNext(id, 1, 10_000));
            for (byte[] m : seen.messages()) {
                browsed.add((Integer) EncodedMessage.wrap(m).property("n"));
            }
        } while (!seen.done());
        assertThat(browsed).hasSize(total / 2);
        for (int i = 0; i < browsed.size(); i++) {
            assertThat(browsed.get(i)).isEqualTo(2 * i + 1);
        }

        RawClient even = session(2, null);
        RawClient odd = session(2, null);
        assertThat(even.request(id -> new CreateConsumer(id, 1, 1, q, "parity = 0", false, null, false, false, 20)))
                .isInstanceOf(Ok.class);
        assertThat(odd.request(id -> new CreateConsumer(id, 1, 2, q, "parity = 1", false, null, false, false, 20)))
                .isInstanceOf(Ok.class);
        List<Deliver> evens = new ArrayList<>();
        List<Deliver> odds = new ArrayList<>();
        // one consumer alone would stall once the heap holds only the other's messages: take turns
        while (evens.size() + odds.size() < total) {
            if (evens.size() < total / 2) {
                evens.addAll(receive(even, 1, Math.min(20, total / 2 - evens.size()), 20));
            }
            if (odds.size() < total / 2) {
                odds.addAll(receive(odd, 2, Math.min(20, total / 2 - odds.size()), 20));
            }
        }
        for (int i = 0; i < total / 2; i++) {
            assertThat(n(evens.get(i))).isEqualTo(2 * i);
            assertThat(n(odds.get(i))).isEqualTo(2 * i + 1);
        }
        assertThat(even.poll(200)).isNull();
        assertThat(odd.poll(0)).isNull();
        assertThat(peakResident()).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void aRecoveredMessageGoesBackAheadOfThePagedOnesWithItsCount() throws Exception {
        int total = 1_000;
        start();
        RawClient producer = session(1, null);
        Address q = Address.queue("recovered");
        for (int i = 0; i < total; i++) {
            send(producer, q, i);
        }
        RawClient c = session(2, null);
        assertThat(c.request(id -> new CreateConsumer(id, 1, 1, q, null, false, null, false, false, 10)))
                .isInstanceOf(Ok.class);
        List<Deliver> first = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            first.add(c.next(Deliver.class));
        }
        long last = first.get(9).deliveryId();
        assertThat(c.request(id -> new Recover(id, 1, last, new long[0]))).isInstanceOf(Ok.class);
        c.send(new Credit(1, 10)); // the application took the ten: the client grants them again
        List<Deliver> got = receive(c, 1, total, 10);
        for (int i = 0; i < total; i++) {
            assertThat(n(got.get(i))).isEqualTo(i);
            assertThat(got.get(i).deliveryCount()).isEqualTo(i < 10 ? 2 : 1);
        }
        assertThat(c.poll(200)).isNull();
    }

    @Test
    void sharedMessagesOfTwoDurableSubscriptionsArePagedAndDeletedWithTheirLastReference() throws Exception {
        int total = 1_000;
        start();
        RawClient subscriber = session(2, "fan");
        Address topic = Address.topic("fan-out");
        for (String name : new String[] {"a", "b"}) {
            assertThat(subscriber.request(id -> new CreateConsumer(id, 1, name.charAt(0), topic, null, false, name,
                    true, false, 0))).isInstanceOf(Ok.class);
        }
        RawClient producer = session(1, null);
        for (int i = 0; i < total; i++) {
            send(producer, topic, i);
        }
        assertThat(counts("fan-out::fan.a")).containsExactly(LIMIT, total - LIMIT, total);
        assertThat(peakResident()).isLessThanOrEqualTo(2 * LIMIT);
        restart();

        RawClient after = session(2, "fan");
        assertThat(after.request(id -> new CreateConsumer(id, 1, 1, topic, null, false, "a", true, false, 25)))
                .isInstanceOf(Ok.class);
        List<Deliver> got = receive(after, 1, total, 25);
        for (int i = 0; i < total; i++) {
            assertThat(n(got.get(i))).isEqualTo(i);
        }
        assertThat(after.request(id -> new org.ternmq.protocol.CloseConsumer(id, 1, Long.MAX_VALUE, new long[0])))
                .isInstanceOf(Ok.class);
        MessageQueue b = queue("fan-out::fan.b");
        assertThat(after.request(id -> new Unsubscribe(id, "b"))).isInstanceOf(Ok.class);
        java.util.Set<String> left = onAgent(x -> new java.util.HashSet<>(x.queuesByName().keySet()));
        assertThat(left).containsExactly("fan-out::fan.a");
        // b's paged references are dropped in steps; with a's all gone, every shared message goes too
        await().atMost(Duration.ofSeconds(10)).until(() -> onAgent(x -> b.pagedCount()) == 0);
        Map<Byte, Integer> records = journalRecords();
        assertThat(records).containsOnlyKeys(StoreRecordDescriptor.QUEUE);
        assertThat(records.get(StoreRecordDescriptor.QUEUE)).isEqualTo(1);
    }

    @Test
    void nonPersistentMessagesStayOnTheHeapAndPersistentOnesBehindThemArePaged() throws Exception {
        start();
        RawClient producer = session(1, null);
        Address q = Address.queue("mixed");
        for (int i = 0; i < 2 * LIMIT; i++) {
            int n = i;
            byte[] bytes = new MessageEncoder().destination(q).messageId("ID:v" + i).persistent(false)
                    .property("n", n).encode().bytes();
            assertThat(producer.request(id -> new Send(id, 1, bytes))).isInstanceOf(Ok.class);
        }
        send(producer, q, 2 * LIMIT);
        assertThat(counts("mixed")).containsExactly(2 * LIMIT, 1, 2 * LIMIT + 1);
        RawClient c = session(1, null);
        assertThat(c.request(id -> new CreateConsumer(id, 1, 1, q, null, false, null, false, false, 1000)))
                .isInstanceOf(Ok.class);
        List<Integer> ns = new ArrayList<>();
        for (int i = 0; i <= 2 * LIMIT; i++) {
            ns.add(n(c.next(Deliver.class)));
        }
        assertThat(ns).hasSize(2 * LIMIT + 1).doesNotHaveDuplicates().contains(2 * LIMIT);
        assertThat(ns.get(2 * LIMIT)).isEqualTo(2 * LIMIT);
        Packet none = c.poll(200);
        assertThat(none).isNull();
    }
}
