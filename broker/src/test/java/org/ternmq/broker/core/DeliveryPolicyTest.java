package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.testing.RawBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;

/**
 * Redelivery delays, dead-lettering, expiry, delayed delivery, groups and duplicate detection, driven
 * frame by frame so each assertion is about what the broker did, with the broker's own timestamps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeliveryPolicyTest {

    @TempDir
    Path data;
    private RawBroker fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start(String... policy) throws Exception {
        fixture = new RawBroker(data, "policy").policy(policy);
        fixture.start();
    }

    private RawClient session(int ackMode) throws Exception {
        return fixture.session(ackMode);
    }

    private static void send(RawClient c, MessageEncoder m) throws InterruptedException {
        assertThat(c.request(id -> new Send(id, 1, m.persistent(false).encode().bytes()))).isInstanceOf(Ok.class);
    }

    private static MessageEncoder msg(String queue, String id) {
        return new MessageEncoder().destination(Address.queue(queue)).messageId(id);
    }

    private static void consume(RawClient c, long consumerId, String queue, int credits) throws InterruptedException {
        assertThat(c.request(id -> new CreateConsumer(id, 1, consumerId, Address.queue(queue), null, false, null,
                false, false, credits))).isInstanceOf(Ok.class);
    }

    private static EncodedMessage body(Packet d) throws Exception {
        return EncodedMessage.wrap(((Deliver) d).message());
    }

    @Test
    void poisonMessageReachesTheDeadLetterQueueAfterExactlyMaxAttemptsWithBackoff() throws Exception {
        start("policy.default.redelivery-delay", "100", "policy.default.redelivery-multiplier", "2",
                "policy.orders.match", "orders", "policy.orders.max-delivery-attempts", "4",
                "policy.orders.dead-letter-destination", "orders.DLQ");
        RawClient c = session(1);
        send(c, msg("orders", "ID:poison"));
        consume(c, 1, "orders", 10);
        List<Integer> counts = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            Deliver d = c.next(Deliver.class);
            counts.add(d.deliveryCount());
            // the application saw it and failed: recover
            assertThat(c.request(id -> new Recover(id, 1, d.deliveryId(), new long[0]))).isInstanceOf(Ok.class);
        }
        assertThat(counts).containsExactly(1, 2, 3, 4);
        assertThat(c.poll(300)).as("no fifth delivery").isNull();

        consume(c, 2, "orders.DLQ", 10);
        EncodedMessage dead = body(c.next(Deliver.class));
        assertThat(dead.messageId()).isEqualTo("ID:poison");
        assertThat(dead.destination()).isEqualTo(Address.queue("orders.DLQ"));
        assertThat(dead.property(MessageProperties.ORIGINAL_DESTINATION)).isEqualTo("orders");
        assertThat(dead.property(MessageProperties.ORIGINAL_DESTINATION_TYPE)).isEqualTo("queue");
        assertThat(dead.property(MessageProperties.DELIVERY_ATTEMPTS)).isEqualTo(4);
        assertThat((String) dead.property(MessageProperties.DEAD_LETTER_REASON)).contains("max-delivery-attempts (4)");
        long first = (Long) dead.property(MessageProperties.FIRST_DELIVERY_TIME);
        long last = (Long) dead.property(MessageProperties.LAST_DELIVERY_TIME);
        long deadAt = (Long) dead.property(MessageProperties.DEAD_LETTER_TIME);
        // delays after attempts 1, 2, 3: 100 + 200 + 400 ms, measured on the broker's clock
        assertThat(last - first).isBetween(700L, 700L + 1000L);
        assertThat(deadAt).isGreaterThanOrEqualTo(last);
    }

    @Test
    void withoutADeadLetterQueueAnExhaustedMessageKeepsComingBackAndIsNeverLost() throws Exception {
        start("policy.default.max-delivery-attempts", "2", "policy.default.dead-letter-destination", "");
        RawClient c = session(2);
        send(c, msg("q", "ID:stubborn"));
        consume(c, 1, "q", 10);
        for (int attempt = 1; attempt <= 4; attempt++) {
            Deliver d = c.next(Deliver.class);
            assertThat(d.deliveryCount()).isEqualTo(attempt);
            c.request(id -> new Recover(id, 1, d.deliveryId(), new long[0]));
            c.send(new Credit(1, 1));
        }
        Deliver last = c.next(Deliver.class);
        assertThat(body(last).messageId()).isEqualTo("ID:stubborn");
        c.request(id -> new Acknowledge(id, 1, new long[] {last.deliveryId()}));
        assertThat(c.poll(200)).isNull();
    }

    @Test
    void aMessageWaitingForRedeliveryDoesNotBlockTheOthers() throws Exception {
        start("policy.default.redelivery-delay", "60000");
        RawClient c = session(2);
        send(c, msg("q", "ID:1"));
        send(c, msg("q", "ID:2"));
        consume(c, 1, "q", 1);
        Deliver first = c.next(Deliver.class);
        assertThat(body(first).messageId()).isEqualTo("ID:1");
        c.request(id -> new Recover(id, 1, first.deliveryId(), new long[0]));
        c.send(new Credit(1, 1)); // the application consumed one
        Deliver next = c.next(Deliver.class);
        assertThat(body(next).messageId()).isEqualTo("ID:2");
        assertThat(next.deliveryCount()).isEqualTo(1);
    }

    @Test
    void expiredMessagesMoveToTheExpiryQueueEvenWithoutConsumers() throws Exception {
        start();
        RawClient c = session(1);
        long expiration = System.currentTimeMillis() + 100;
        send(c, msg("nobody-reads", "ID:old").expiration(expiration));
        send(c, msg("nobody-reads", "ID:fresh"));
        consume(c, 1, "ExpiryQueue", 10);
        EncodedMessage expired = body(c.next(Deliver.class));
        assertThat(expired.messageId()).isEqualTo("ID:old");
        assertThat(expired.expiration()).isZero();
        assertThat(expired.property(MessageProperties.ORIGINAL_DESTINATION)).isEqualTo("nobody-reads");
        assertThat(expired.property(MessageProperties.ORIGINAL_EXPIRATION)).isEqualTo(expiration);
        assertThat((Long) expired.property(MessageProperties.EXPIRED_AT)).isGreaterThanOrEqualTo(expiration);
        consume(c, 2, "nobody-reads", 10);
        assertThat(body(c.next(Deliver.class)).messageId()).isEqualTo("ID:fresh");
        assertThat(c.poll(200)).isNull();
    }

    @Test
    void expiredMessagesAreDroppedWhenThePolicySaysSo() throws Exception {
        start("policy.default.expiry-destination", "");
        RawClient c = session(1);
        long expiration = System.currentTimeMillis() + 50;
        send(c, msg("q", "ID:gone").expiration(expiration));
        send(c, msg("q", "ID:arrived-expired").expiration(System.currentTimeMillis() - 1));
        Awaitility.await().until(() -> System.currentTimeMillis() > expiration + 100);
        consume(c, 1, "ExpiryQueue", 10);
        consume(c, 2, "q", 10);
        assertThat(c.poll(300)).isNull();
    }

    @Test
    void delayedMessagesWaitForTheirTimeWhileOthersFlow() throws Exception {
        start();
        RawClient c = session(1);
        long sentAt = System.currentTimeMillis();
        send(c, msg("q", "ID:later").deliveryTime(sentAt + 400));
        send(c, msg("q", "ID:now"));
        consume(c, 1, "q", 10);
        assertThat(body(c.next(Deliver.class)).messageId()).isEqualTo("ID:now");
        // a browser does not see the delayed message yet
        assertThat(c.request(id -> new CreateBrowser(id, 1, 9, Address.queue("q"), null))).isInstanceOf(Ok.class);
        BrowseBatch batch = (BrowseBatch) c.request(id -> new BrowseNext(id, 9, 10));
        assertThat(batch.messages()).isEmpty();
        Deliver later = c.next(Deliver.class);
        assertThat(body(later).messageId()).isEqualTo("ID:later");
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(sentAt + 400);
    }

    @Test
    void manyDelayedMessagesEachWaitForTheirOwnTime() throws Exception {
        start();
        RawClient c = session(1);
        long base = System.currentTimeMillis() + 500;
        for (int i = 9; i >= 0; i--) {
            send(c, msg("q", "ID:" + i).deliveryTime(base + i * 50L));
        }
        consume(c, 1, "q", 100);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Deliver d = c.next(Deliver.class);
            long receivedAt = System.currentTimeMillis();
            EncodedMessage m = body(d);
            assertThat(receivedAt).as(m.messageId() + " not before its delivery time").isGreaterThanOrEqualTo(m.deliveryTime());
            ids.add(m.messageId());
        }
        // messages that came due at the same moment go in arrival order, so only the set is certain
        assertThat(ids).containsExactlyInAnyOrder("ID:0", "ID:1", "ID:2", "ID:3", "ID:4", "ID:5", "ID:6", "ID:7", "ID:8", "ID:9");
        assertThat(ids.get(0)).as("the first due comes first").isEqualTo("ID:0");
    }

    @Test
    void aGroupStaysWithOneConsumerInOrderAndMovesWhenItCloses() throws Exception {
        start();
        RawClient c = session(2);
        consume(c, 1, "g", 100);
        consume(c, 2, "g", 100);
        for (int i = 0; i < 6; i++) {
            send(c, msg("g", "ID:" + i).property("JMSXGroupID", i % 2 == 0 ? "A" : "B"));
        }
        List<Deliver> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(c.next(Deliver.class));
        }
        long ownerOfA = -1;
        List<String> aOrder = new ArrayList<>();
        for (Deliver d : all) {
            EncodedMessage m = body(d);
            if ("A".equals(m.groupId())) {
                if (ownerOfA == -1) {
                    ownerOfA = d.consumerId();
                }
                assertThat(d.consumerId()).isEqualTo(ownerOfA);
                aOrder.add(m.messageId());
            }
        }
        assertThat(aOrder).containsExactly("ID:0", "ID:2", "ID:4");
        long survivor = ownerOfA == 1 ? 2 : 1;
        long closing = ownerOfA;
        long last = all.get(all.size() - 1).deliveryId();
        c.request(id -> new Acknowledge(id, 1, all.stream().mapToLong(Deliver::deliveryId).toArray()));
        c.request(id -> new CloseConsumer(id, closing, last, new long[0]));
        send(c, msg("g", "ID:6").property("JMSXGroupID", "A"));
        assertThat(c.next(Deliver.class).consumerId()).isEqualTo(survivor);
    }

    @Test
    void aGroupWaitsForItsMessageUnderRedeliveryDelay() throws Exception {
        start("policy.default.redelivery-delay", "300");
        RawClient c = session(2);
        send(c, msg("g", "ID:A1").property("JMSXGroupID", "A"));
        send(c, msg("g", "ID:A2").property("JMSXGroupID", "A"));
        send(c, msg("g", "ID:other"));
        consume(c, 1, "g", 1);
        Deliver a1 = c.next(Deliver.class);
        assertThat(body(a1).messageId()).isEqualTo("ID:A1");
        c.request(id -> new Recover(id, 1, a1.deliveryId(), new long[0]));
        c.send(new Credit(1, 1)); // the application consumed one
        Deliver d = c.next(Deliver.class);
        assertThat(body(d).messageId()).as("A2 must not overtake A1").isEqualTo("ID:other");
        c.request(id -> new Acknowledge(id, 1, new long[] {d.deliveryId()}));
        c.send(new Credit(1, 1));
        Deliver again = c.next(Deliver.class);
        assertThat(body(again).messageId()).isEqualTo("ID:A1");
        assertThat(again.deliveryCount()).isEqualTo(2);
        c.request(id -> new Acknowledge(id, 1, new long[] {again.deliveryId()}));
        c.send(new Credit(1, 1));
        assertThat(body(c.next(Deliver.class)).messageId()).isEqualTo("ID:A2");
    }

    @Test
    void duplicatesAreDroppedWithinTheWindowAlsoInTransactions() throws Exception {
        start("policy.small.match", "small", "policy.small.duplicate-window-count", "2");
        RawClient c = session(1);
        send(c, msg("q", "ID:1").property(MessageProperties.DUPLICATE_ID, "order-1"));
        send(c, msg("q", "ID:1-retry").property(MessageProperties.DUPLICATE_ID, "order-1"));
        send(c, msg("other", "ID:1-elsewhere").property(MessageProperties.DUPLICATE_ID, "order-1"));

        RawClient tx = session(0);
        for (String id : new String[] {"ID:2", "ID:2-again"}) {
            tx.request(cid -> new Send(cid, 1, msg("q", id).property(MessageProperties.DUPLICATE_ID, "order-2")
                    .persistent(false).encode().bytes()));
        }
        tx.request(cid -> new Send(cid, 1, msg("q", "ID:1-in-tx").property(MessageProperties.DUPLICATE_ID, "order-1")
                .persistent(false).encode().bytes()));
        assertThat(tx.request(cid -> new Commit(cid, 1))).isInstanceOf(Ok.class);

        // a count window of 2 forgets the oldest id
        for (String dup : new String[] {"a", "b", "c", "a"}) {
            send(c, msg("small", "ID:" + dup).property(MessageProperties.DUPLICATE_ID, dup));
        }

        consume(c, 1, "q", 100);
        consume(c, 2, "other", 100);
        consume(c, 3, "small", 100);
        List<String> got = new ArrayList<>();
        Packet p;
        while ((p = c.poll(300)) != null) {
            got.add(body(p).messageId());
        }
        assertThat(got).containsExactlyInAnyOrder("ID:1", "ID:2", "ID:1-elsewhere", "ID:a", "ID:b", "ID:c", "ID:a");
    }
}
