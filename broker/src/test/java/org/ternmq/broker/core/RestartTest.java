package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.persistence.StoreRecordDescriptor;
import org.ternmq.broker.testing.RawBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;
import org.ternmq.store.Journal;
import org.ternmq.store.JournalConfig;

/**
 * What survives a restart of the broker on the same data directory: persistent messages in order,
 * delivery counts, durable subscriptions, committed transactions, duplicate ids, delivery times,
 * redelivery delays and dead-letter moves; and what does not: non-persistent messages, acknowledged
 * messages, uncommitted work, non-durable subscriptions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartTest {

    @TempDir
    Path data;
    private RawBroker fixture;
    private String[] policy = new String[0];

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start() throws Exception {
        fixture = new RawBroker(data, "restart").policy(policy);
        fixture.start();
    }

    private void restart() throws Exception {
        fixture.restart();
    }

    private RawClient session(int ackMode, String clientId) throws Exception {
        return fixture.session(ackMode, clientId);
    }

    private static void send(RawClient c, MessageEncoder m) throws InterruptedException {
        assertThat(c.request(id -> new Send(id, 1, m.encode().bytes()))).isInstanceOf(Ok.class);
    }

    private static MessageEncoder msg(Address to, String id) {
        return new MessageEncoder().destination(to).messageId(id).persistent(true);
    }

    private static void consume(RawClient c, long consumerId, Address from, String subscription, int credits)
            throws InterruptedException {
        assertThat(c.request(id -> new CreateConsumer(id, 1, consumerId, from, null, false, subscription,
                subscription != null, false, credits))).isInstanceOf(Ok.class);
    }

    private static List<Deliver> drain(RawClient c) throws Exception {
        List<Deliver> all = new ArrayList<>();
        Packet p;
        while ((p = c.poll(300)) != null) {
            all.add((Deliver) p);
        }
        return all;
    }

    private static String id(Deliver d) throws Exception {
        return EncodedMessage.wrap(d.message()).messageId();
    }

    private static List<String> ids(List<Deliver> ds) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Deliver d : ds) {
            ids.add(id(d));
        }
        return ids;
    }

    @Test
    void persistentMessagesSurviveInOrderAndNonPersistentOnesDoNot() throws Exception {
        start();
        RawClient c = session(1, null);
        Address q = Address.queue("orders");
        send(c, msg(q, "ID:1"));
        send(c, msg(q, "ID:volatile").persistent(false));
        send(c, msg(q, "ID:2").priority(9));
        send(c, msg(q, "ID:3"));
        restart();
        RawClient after = session(1, null);
        consume(after, 1, q, null, 10);
        assertThat(ids(drain(after))).containsExactly("ID:2", "ID:1", "ID:3");
    }

    @Test
    void memoryMappedJournalFilesKeepMessagesAcrossARestartToo() throws Exception {
        fixture = new RawBroker(data, "mapped").configure(b -> b.journalIoMode(org.ternmq.store.IoMode.MAPPED));
        fixture.start();
        RawClient c = session(1, null);
        Address q = Address.queue("mapped");
        for (int i = 0; i < 20; i++) {
            send(c, msg(q, "ID:" + i));
        }
        restart();
        RawClient after = session(1, null);
        consume(after, 1, q, null, 100);
        assertThat(ids(drain(after))).hasSize(20).startsWith("ID:0", "ID:1").endsWith("ID:19");
    }

    @Test
    void acknowledgedMessagesNeverComeBackAndUnacknowledgedOnesAreMarkedRedelivered() throws Exception {
        start();
        RawClient c = session(2, null);
        Address q = Address.queue("acks");
        for (String m : new String[] {"ID:acked", "ID:seen", "ID:never-delivered"}) {
            send(c, msg(q, m));
        }
        consume(c, 1, q, null, 2);
        Deliver acked = c.next(Deliver.class);
        Deliver seen = c.next(Deliver.class);
        assertThat(c.request(id -> new Acknowledge(id, 1, new long[] {acked.deliveryId()}))).isInstanceOf(Ok.class);
        restart(); // "seen" was delivered but never acknowledged
        RawClient after = session(2, null);
        consume(after, 1, q, null, 10);
        List<Deliver> redelivered = drain(after);
        assertThat(ids(redelivered)).containsExactly("ID:seen", "ID:never-delivered");
        assertThat(redelivered.get(0).deliveryCount()).as("may have been seen: redelivered").isEqualTo(2);
        assertThat(redelivered.get(1).deliveryCount()).isEqualTo(1);
        assertThat(id(seen)).isEqualTo("ID:seen");
    }

    @Test
    void durableSubscriptionsKeepTheirMessagesAndSelectorsNonDurableOnesGo() throws Exception {
        start();
        RawClient sub = session(1, "app");
        Address topic = Address.topic("prices");
        assertThat(sub.request(id -> new CreateConsumer(id, 1, 1, topic, "region = 'eu'", false, "eu-prices", true,
                false, 10))).isInstanceOf(Ok.class);
        sub.request(id -> new CloseConsumer(id, 1, 0, new long[0]));
        consume(sub, 2, topic, null, 10); // non-durable
        RawClient pub = session(1, null);
        send(pub, msg(topic, "ID:eu").property("region", "eu"));
        send(pub, msg(topic, "ID:us").property("region", "us"));
        assertThat(drain(sub)).hasSize(2);
        restart();
        RawClient after = session(1, "app");
        assertThat(after.request(id -> new CreateConsumer(id, 1, 1, topic, "region = 'eu'", false, "eu-prices", true,
                false, 10))).isInstanceOf(Ok.class);
        assertThat(ids(drain(after))).containsExactly("ID:eu");
        RawClient pub2 = session(1, null);
        send(pub2, msg(topic, "ID:after-restart").property("region", "eu"));
        assertThat(ids(drain(after))).containsExactly("ID:after-restart");
    }

    @Test
    void onlyCommittedTransactionsSurvive() throws Exception {
        start();
        RawClient tx = session(0, null);
        Address q = Address.queue("tx");
        tx.request(id -> new Send(id, 1, msg(q, "ID:committed").encode().bytes()));
        assertThat(tx.request(id -> new Commit(id, 1))).isInstanceOf(Ok.class);
        tx.request(id -> new Send(id, 1, msg(q, "ID:pending").encode().bytes()));
        restart();
        RawClient after = session(1, null);
        consume(after, 1, q, null, 10);
        assertThat(ids(drain(after))).containsExactly("ID:committed");
    }

    @Test
    void aMessageForManyDurableSubscriptionsIsWrittenOnce() throws Exception {
        start();
        RawClient sub = session(1, "fan");
        Address topic = Address.topic("fan-out");
        for (int i = 0; i < 5; i++) {
            int n = i;
            sub.request(id -> new CreateConsumer(id, 1, 10 + n, topic, null, false, "sub-" + n, true, false, 0));
        }
        send(sub, msg(topic, "ID:big").bodyType(org.ternmq.message.BodyType.BYTES).body(new byte[100_000]));
        fixture.close();
        Map<Byte, Integer> records = new HashMap<>();
        JournalConfig config = JournalConfig.builder(data.resolve("journal")).set(JournalConfig.SEGMENT_SIZE, 4 << 20)
                .set(JournalConfig.MAX_PAYLOAD_SIZE, 1 << 20).build();
        try (Journal journal = Journal.open(config, (long id, byte type, ByteBuffer payload) -> records.merge(type, 1, Integer::sum))) {
            assertThat(journal.isFenced()).isFalse();
        }
        assertThat(records.get(StoreRecordDescriptor.MESSAGE)).isEqualTo(1);
        assertThat(records.get(StoreRecordDescriptor.REF)).isEqualTo(5);
    }

    @Test
    void aDestinationWithoutSyncSendsKeepsItsMessagesAcrossACleanRestart() throws Exception {
        policy = new String[] {"policy.fast.match", "fast.#", "policy.fast.sync-sends", "false"};
        start();
        RawClient c = session(1, "fanout-client");
        Address topic = Address.topic("fast.prices");
        c.request(id -> new CreateConsumer(id, 1, 1, topic, null, false, "a", true, false, 0));
        c.request(id -> new CreateConsumer(id, 1, 2, topic, null, false, "b", true, false, 0));
        send(c, msg(Address.queue("fast.orders"), "ID:q"));
        send(c, msg(topic, "ID:t"));
        restart();
        RawClient after = session(1, "fanout-client");
        consume(after, 1, Address.queue("fast.orders"), null, 10);
        assertThat(ids(drain(after))).containsExactly("ID:q");
        consume(after, 2, topic, "a", 10);
        consume(after, 3, topic, "b", 10);
        assertThat(ids(drain(after))).containsExactly("ID:t", "ID:t");
    }

    @Test
    void duplicateIdsAreRememberedAcrossARestart() throws Exception {
        start();
        RawClient c = session(1, null);
        Address q = Address.queue("dups");
        send(c, msg(q, "ID:first").property(MessageProperties.DUPLICATE_ID, "order-42"));
        restart();
        RawClient after = session(1, null);
        send(after, msg(q, "ID:retry").property(MessageProperties.DUPLICATE_ID, "order-42"));
        consume(after, 1, q, null, 10);
        assertThat(ids(drain(after))).containsExactly("ID:first");
    }

    @Test
    void aDelayedMessageKeepsItsTimeAcrossARestart() throws Exception {
        start();
        RawClient c = session(1, null);
        Address q = Address.queue("delayed");
        long due = System.currentTimeMillis() + 1500;
        send(c, msg(q, "ID:later").deliveryTime(due));
        restart();
        RawClient after = session(1, null);
        consume(after, 1, q, null, 10);
        Deliver d = after.next(Deliver.class);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due);
        assertThat(id(d)).isEqualTo("ID:later");
    }

    @Test
    void aMessageWaitingForRedeliveryKeepsItsCountAndDelayAcrossARestart() throws Exception {
        policy = new String[] {"policy.default.redelivery-delay", "1500"};
        start();
        RawClient c = session(2, null);
        Address q = Address.queue("waiting");
        send(c, msg(q, "ID:retry-me"));
        consume(c, 1, q, null, 10);
        Deliver first = c.next(Deliver.class);
        long recoveredAt = System.currentTimeMillis();
        c.request(id -> new Recover(id, 1, first.deliveryId(), new long[0]));
        restart();
        RawClient after = session(2, null);
        consume(after, 1, q, null, 10);
        Deliver again = after.next(Deliver.class);
        assertThat(System.currentTimeMillis() - recoveredAt).isGreaterThanOrEqualTo(1400);
        assertThat(id(again)).isEqualTo("ID:retry-me");
        assertThat(again.deliveryCount()).isEqualTo(2);
    }

    @Test
    void aMessageWhoseLastAttemptWasUnderWayAtTheStopGoesToTheDeadLetterQueue() throws Exception {
        policy = new String[] {"policy.default.max-delivery-attempts", "2"};
        start();
        RawClient c = session(2, null);
        Address q = Address.queue("last-try");
        send(c, msg(q, "ID:last"));
        consume(c, 1, q, null, 10);
        Deliver first = c.next(Deliver.class);
        c.request(id -> new Recover(id, 1, first.deliveryId(), new long[0]));
        Deliver second = c.next(Deliver.class);
        assertThat(second.deliveryCount()).isEqualTo(2);
        restart(); // the second and last attempt was delivered, never acknowledged nor returned
        RawClient after = session(1, null);
        consume(after, 1, q, null, 10);
        consume(after, 2, Address.queue("DLQ"), null, 10);
        List<Deliver> got = drain(after);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).consumerId()).as("no third attempt: straight to the dead-letter queue").isEqualTo(2);
        assertThat(EncodedMessage.wrap(got.get(0).message()).property(MessageProperties.DELIVERY_ATTEMPTS)).isEqualTo(2);
    }

    @Test
    void aDeadLetteredMessageStaysInTheDeadLetterQueue() throws Exception {
        policy = new String[] {"policy.default.max-delivery-attempts", "1"};
        start();
        RawClient c = session(2, null);
        Address q = Address.queue("poison");
        send(c, msg(q, "ID:poison"));
        consume(c, 1, q, null, 10);
        Deliver d = c.next(Deliver.class);
        c.request(id -> new Recover(id, 1, d.deliveryId(), new long[0]));
        restart();
        RawClient after = session(1, null);
        consume(after, 1, q, null, 10);
        consume(after, 2, Address.queue("DLQ"), null, 10);
        List<Deliver> got = drain(after);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).consumerId()).isEqualTo(2);
        EncodedMessage dead = EncodedMessage.wrap(got.get(0).message());
        assertThat(dead.messageId()).isEqualTo("ID:poison");
        assertThat(dead.property(MessageProperties.ORIGINAL_DESTINATION)).isEqualTo("poison");
        assertThat(dead.property(MessageProperties.DELIVERY_ATTEMPTS)).isEqualTo(1);
    }
}
