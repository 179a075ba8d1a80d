package org.ternmq.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.transport.TransportAddress;

/**
 * The broker's side of the protocol, driven frame by frame over both transports: handshake, security,
 * bad frames, delivery order and credits, returning deliveries, transactions.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerProtocolTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path data;
    private EmbeddedBroker broker;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).inVmName("proto-" + NAMES.incrementAndGet())
                .dataDirectory(data).user("alice", "secret").allowAnonymous(true).maxFrameLength(64 * 1024).build());
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        broker.close();
    }

    private RawClient connect(TransportAddress.Type type) throws InterruptedException {
        TransportAddress address = type == TransportAddress.Type.TCP
                ? TransportAddress.tcp("127.0.0.1", broker.tcpPort())
                : TransportAddress.vm(broker.config().inVmName());
        RawClient c = new RawClient(address);
        clients.add(c);
        return c;
    }

    private RawClient session(TransportAddress.Type type, int ackMode) throws InterruptedException {
        RawClient c = connect(type);
        assertThat(c.hello("alice", "secret")).isInstanceOf(HelloOk.class);
        assertThat(c.request(id -> new CreateSession(id, 1, ackMode))).isInstanceOf(Ok.class);
        return c;
    }

    private static byte[] message(String queue, String id, int priority) {
        return new MessageEncoder().destination(Address.queue(queue)).messageId(id).priority(priority)
                .persistent(false).encode().bytes();
    }

    private static String idOf(Deliver d) throws Exception {
        return EncodedMessage.wrap(d.message()).messageId();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void handshakeAcceptsUsersAndAnonymousAndRefusesBadCredentials(TransportAddress.Type type) throws Exception {
        assertThat(connect(type).hello("alice", "secret")).isInstanceOf(HelloOk.class);
        assertThat(connect(type).hello(null, null)).isInstanceOf(HelloOk.class);
        RawClient bad = connect(type);
        Packet answer = bad.hello("alice", "wrong");
        assertThat(answer).isInstanceOf(ErrorResponse.class);
        assertThat(((ErrorResponse) answer).code()).isEqualTo(ErrorCode.SECURITY);
        assertThat(bad.awaitClosed(5)).isTrue();
        RawClient unknown = connect(type);
        assertThat(((ErrorResponse) unknown.hello("invalid", "invalid")).code()).isEqualTo(ErrorCode.SECURITY);
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void anonymousIsRefusedWhenSwitchedOff(TransportAddress.Type type) throws Exception {
        broker.close();
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).inVmName("proto-" + NAMES.incrementAndGet())
                .dataDirectory(data).user("alice", "secret").allowAnonymous(false).build());
        Packet answer = connect(type).hello(null, null);
        assertThat(((ErrorResponse) answer).code()).isEqualTo(ErrorCode.SECURITY);
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void requestBeforeHandshakeClosesTheConnection(TransportAddress.Type type) throws Exception {
        RawClient c = connect(type);
        c.send(new CreateSession(1, 1, 1));
        assertThat(c.awaitClosed(5)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void badFramesCloseOnlyTheirConnection(TransportAddress.Type type) throws Exception {
        RawClient healthy = session(type, 1);

        RawClient garbage = session(type, 1);
        garbage.sendRaw(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, (byte) 0xEE, 1, 2, 3, 4}));
        assertThat(garbage.awaitClosed(5)).as("unknown packet type").isTrue();

        RawClient oversized = session(type, 1);
        ByteBuf big = Unpooled.buffer();
        big.writeInt(64 * 1024 + 1).writeByte(PacketType.PING.code());
        oversized.sendRaw(big);
        assertThat(oversized.awaitClosed(5)).as("oversized frame").isTrue();

        RawClient truncatedBody = session(type, 1);
        truncatedBody.sendRaw(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, (byte) PacketType.SEND.code(), 0, 0}));
        assertThat(truncatedBody.awaitClosed(5)).as("body too short for its type").isTrue();

        RawClient negative = session(type, 1);
        negative.sendRaw(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0}));
        assertThat(negative.awaitClosed(5)).as("negative length").isTrue();

        // the broker and the other client carry on
        assertThat(healthy.request(id -> new Send(id, 1, message("q-bad-frames", "ID:1", 4)))).isInstanceOf(Ok.class);
        assertThat(healthy.request(id -> new CreateConsumer(id, 1, 7, Address.queue("q-bad-frames"), null, false,
                null, false, false, 10))).isInstanceOf(Ok.class);
        assertThat(idOf(healthy.next(Deliver.class))).isEqualTo("ID:1");
        assertThat(connect(type).hello(null, null)).isInstanceOf(HelloOk.class);
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void deliversByPriorityThenArrivalWithinCredit(TransportAddress.Type type) throws Exception {
        RawClient c = session(type, 2);
        String[] ids = {"ID:a", "ID:b", "ID:c", "ID:d"};
        int[] priorities = {1, 9, 1, 9};
        for (int i = 0; i < ids.length; i++) {
            int n = i;
            assertThat(c.request(id -> new Send(id, 1, message("q-prio", ids[n], priorities[n])))).isInstanceOf(Ok.class);
        }
        assertThat(c.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-prio"), null, false, null,
                false, false, 3))).isInstanceOf(Ok.class);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(idOf(c.next(Deliver.class)));
        }
        assertThat(got).containsExactly("ID:b", "ID:d", "ID:a");
        assertThat(c.poll(200)).as("no delivery beyond credit").isNull();
        c.send(new Credit(1, 1));
        assertThat(idOf(c.next(Deliver.class))).isEqualTo("ID:c");
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aStoppedConnectionIsSentNothingSoOthersGetTheMessages(TransportAddress.Type type) throws Exception {
        RawClient stopped = connect(type);
        assertThat(stopped.helloStopped(null, null)).isInstanceOf(HelloOk.class);
        stopped.request(id -> new CreateSession(id, 1, 1));
        stopped.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-stop"), null, false, null, false, false, 100));
        RawClient running = session(type, 1);
        running.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-stop"), null, false, null, false, false, 100));
        for (int i = 0; i < 4; i++) {
            int n = i;
            running.request(id -> new Send(id, 1, message("q-stop", "ID:" + n, 4)));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(idOf(running.next(Deliver.class))).isEqualTo("ID:" + i);
        }
        assertThat(stopped.poll(200)).isNull();
        // stopping takes effect for what comes next; starting again delivers
        running.request(id -> new DeliveryState(id, false));
        running.request(id -> new Send(id, 1, message("q-stop", "ID:later", 4)));
        assertThat(running.poll(200)).isNull();
        stopped.request(id -> new DeliveryState(id, true));
        assertThat(idOf(stopped.next(Deliver.class))).isEqualTo("ID:later");
    }

    /**
     * An auto-ack session's acknowledgement with correlation id 0 is one way: the broker answers nothing (the next
     * response is the ping's), and the acknowledgement takes effect (a recover gives nothing back). One with an id is
     * answered as before.
     */
    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aOneWayAutoAcknowledgementIsNotAnsweredAndTakesEffect(TransportAddress.Type type) throws Exception {
        RawClient c = session(type, 1);
        for (String m : new String[] {"ID:1", "ID:2"}) {
            c.request(id -> new Send(id, 1, message("q-oneway", m, 4)));
        }
        c.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-oneway"), null, false, null, false, false, 10));
        Deliver d1 = c.next(Deliver.class);
        Deliver d2 = c.next(Deliver.class);
        c.send(new Acknowledge(0, 1, new long[] {d1.deliveryId()}));
        long ping = c.nextCorrelation();
        c.send(new Ping(ping));
        Packet response = c.pollResponse(5000);
        assertThat(response).isInstanceOf(Ok.class);
        assertThat(((Ok) response).correlationId()).as("the ping's answer, nothing for the acknowledgement")
                .isEqualTo(ping);
        assertThat(c.request(id -> new Acknowledge(id, 1, new long[] {d2.deliveryId()}))).isInstanceOf(Ok.class);
        assertThat(c.request(id -> new Recover(id, 1, d2.deliveryId(), new long[0]))).isInstanceOf(Ok.class);
        assertThat(c.poll(200)).as("both acknowledged: nothing comes back").isNull();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void recoverCountsSeenDeliveriesButNotUnseenOnes(TransportAddress.Type type) throws Exception {
        RawClient c = session(type, 2);
        for (String m : new String[] {"ID:1", "ID:2", "ID:3"}) {
            c.request(id -> new Send(id, 1, message("q-recover", m, 4)));
        }
        c.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-recover"), null, false, null, false, false, 10));
        Deliver d1 = c.next(Deliver.class);
        Deliver d2 = c.next(Deliver.class);
        Deliver d3 = c.next(Deliver.class);
        assertThat(d1.deliveryCount()).isEqualTo(1);
        // the application saw d1 only; d2 is buffered (unconsumed); d3 counts as "still in flight"
        assertThat(c.request(id -> new Recover(id, 1, d2.deliveryId(), new long[] {d2.deliveryId()})))
                .isInstanceOf(Ok.class);
        Deliver r1 = c.next(Deliver.class);
        Deliver r2 = c.next(Deliver.class);
        Deliver r3 = c.next(Deliver.class);
        assertThat(List.of(idOf(r1), idOf(r2), idOf(r3))).containsExactly("ID:1", "ID:2", "ID:3");
        assertThat(List.of(r1.deliveryCount(), r2.deliveryCount(), r3.deliveryCount())).containsExactly(2, 1, 1);
        assertThat(c.request(id -> new Acknowledge(id, 1, new long[] {r1.deliveryId(), r2.deliveryId(), r3.deliveryId()})))
                .isInstanceOf(Ok.class);
        assertThat(c.request(id -> new Recover(id, 1, r3.deliveryId(), new long[0]))).isInstanceOf(Ok.class);
        assertThat(c.poll(200)).as("acknowledged messages are gone").isNull();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void transactedSendsAppearOnlyOnCommit(TransportAddress.Type type) throws Exception {
        RawClient producer = session(type, 0);
        RawClient consumer = session(type, 1);
        consumer.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-tx"), null, false, null, false, false, 10));
        producer.request(id -> new Send(id, 1, message("q-tx", "ID:rolled-back", 4)));
        producer.request(id -> new Rollback(id, 1, 0, new long[0]));
        producer.request(id -> new Send(id, 1, message("q-tx", "ID:committed", 4)));
        assertThat(consumer.poll(200)).isNull();
        assertThat(producer.request(id -> new Commit(id, 1))).isInstanceOf(Ok.class);
        assertThat(idOf(consumer.next(Deliver.class))).isEqualTo("ID:committed");
        assertThat(consumer.poll(200)).isNull();
    }

    private static Packet hello(RawClient c, String user, String password, String resumeKey, int ttlMillis)
            throws InterruptedException {
        return c.request(id -> new Hello(id, FrameDescriptor.MAGIC, FrameDescriptor.PROTOCOL_VERSION, user, password,
                resumeKey, ttlMillis));
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aClientThatResumesClosesItsOlderConnectionOfTheSameUserFirst(TransportAddress.Type type) throws Exception {
        RawClient older = connect(type);
        assertThat(hello(older, "alice", "secret", "key-1", 0)).isInstanceOf(HelloOk.class);
        assertThat(older.request(id -> new SetClientId(id, "cid"))).isInstanceOf(Ok.class);
        assertThat(older.request(id -> new CreateSession(id, 1, 0))).isInstanceOf(Ok.class);
        assertThat(older.request(id -> new Send(id, 1, message("resumed", "m1", 4)))).isInstanceOf(Ok.class);

        RawClient other = connect(type); // another key: nothing to do with it
        assertThat(hello(other, "alice", "secret", "key-2", 0)).isInstanceOf(HelloOk.class);
        RawClient newer = connect(type);
        assertThat(hello(newer, "alice", "secret", "key-1", 0)).isInstanceOf(HelloOk.class);
        assertThat(older.awaitClosed(5)).as("the older connection of key-1 is closed").isTrue();
        assertThat(other.request(Ping::new)).as("key-2's connection is open").isInstanceOf(Ok.class);
        // what the older one held is free: its client id; its open transaction was rolled back
        assertThat(newer.request(id -> new SetClientId(id, "cid"))).isInstanceOf(Ok.class);
        assertThat(newer.request(id -> new CreateSession(id, 1, 1))).isInstanceOf(Ok.class);
        assertThat(newer.request(id -> new CreateConsumer(id, 1, 1, Address.queue("resumed"), null, false, null,
                false, false, 10))).isInstanceOf(Ok.class);
        assertThat(newer.request(id -> new DeliveryState(id, true))).isInstanceOf(Ok.class);
        assertThat(newer.poll(300)).as("the uncommitted send was rolled back").isNull();

        // the same key from another user closes nothing
        RawClient stranger = connect(type);
        assertThat(hello(stranger, null, null, "key-1", 0)).isInstanceOf(HelloOk.class);
        assertThat(newer.request(Ping::new)).isInstanceOf(Ok.class);
        assertThat(newer.channel().isActive()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aConnectionSilentForItsTtlIsClosedAndOnePingingStaysOpen(TransportAddress.Type type) throws Exception {
        RawClient silent = connect(type);
        assertThat(hello(silent, "alice", "secret", null, 1000)).isInstanceOf(HelloOk.class);
        RawClient pinging = connect(type);
        assertThat(hello(pinging, "alice", "secret", null, 1000)).isInstanceOf(HelloOk.class);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            pinging.send(new Ping(0)); // answered Ok(0), which the raw client queues
            Thread.sleep(100);
        }
        assertThat(silent.awaitClosed(5)).as("closed after a second of silence").isTrue();
        assertThat(pinging.channel().isActive()).as("three seconds of pings every 100 ms kept it open").isTrue();
        assertThat(pinging.awaitClosed(5)).as("and closed once they stop").isTrue();

        RawClient none = connect(type);
        assertThat(hello(none, "alice", "secret", null, 0)).isInstanceOf(HelloOk.class);
        Thread.sleep(1500);
        assertThat(none.channel().isActive()).as("no TTL: never closed for silence").isTrue();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aNegativeConnectionTtlIsRefused(TransportAddress.Type type) throws Exception {
        RawClient c = connect(type);
        Packet answer = hello(c, "alice", "secret", null, -1);
        assertThat(answer).isInstanceOf(ErrorResponse.class);
        assertThat(((ErrorResponse) answer).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(((ErrorResponse) answer).message()).contains("connection TTL");
        assertThat(c.awaitClosed(5)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void aCommitWithAnIdCanBeAskedAboutUntilItsSessionCloses(TransportAddress.Type type) throws Exception {
        RawClient producer = session(type, 0);
        RawClient consumer = session(type, 1);
        consumer.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q-outcome"), null, false, null, false, false, 10));
        producer.request(id -> new Send(id, 1, message("q-outcome", "ID:kept", 4)));

        // a malformed id is refused before anything of the transaction happens: it stays open, nothing is lost
        for (String bad : List.of("no-number", "s:0", "s:x", ":3")) {
            assertThat(((ErrorResponse) producer.request(id -> new Commit(id, 1, bad))).code())
                    .as(bad).isEqualTo(ErrorCode.MALFORMED);
            assertThat(((ErrorResponse) producer.request(id -> new CommitOutcome(id, bad))).code())
                    .as(bad).isEqualTo(ErrorCode.MALFORMED);
        }
        assertThat(((ErrorResponse) producer.request(id -> new CommitOutcome(id, null))).code())
                .isEqualTo(ErrorCode.MALFORMED);
        assertThat(consumer.poll(200)).isNull();

        assertThat(producer.request(id -> new Commit(id, 1, "client-a.1:1"))).isInstanceOf(Ok.class);
        assertThat(idOf(consumer.next(Deliver.class))).isEqualTo("ID:kept");
        assertThat(producer.request(id -> new CommitOutcome(id, "client-a.1:1"))).isInstanceOf(Ok.class);
        // a later commit replaces it: only the last commit of a session can be in doubt
        assertThat(producer.request(id -> new Commit(id, 1, "client-a.1:2"))).isInstanceOf(Ok.class);
        assertThat(producer.request(id -> new CommitOutcome(id, "client-a.1:2"))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) producer.request(id -> new CommitOutcome(id, "client-a.1:3"))).code())
                .isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
        assertThat(((ErrorResponse) producer.request(id -> new CommitOutcome(id, "client-b.1:2"))).code())
                .isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);

        // closed by its client: nobody will ask about its commits, and they are forgotten
        assertThat(producer.request(id -> new CloseSession(id, 1, 0, new long[0]))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) producer.request(id -> new CommitOutcome(id, "client-a.1:2"))).code())
                .isEqualTo(ErrorCode.TRANSACTION_ROLLED_BACK);
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void refusalsCarryTheirErrorCodes(TransportAddress.Type type) throws Exception {
        RawClient a = session(type, 1);
        RawClient b = session(type, 1);
        Packet bad = a.request(id -> new CreateConsumer(id, 1, 1, Address.queue("q"), "a >>> 3", false, null, false, false, 1));
        assertThat(((ErrorResponse) bad).code()).isEqualTo(ErrorCode.INVALID_SELECTOR);

        assertThat(a.request(id -> new SetClientId(id, "shared-id"))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) b.request(id -> new SetClientId(id, "shared-id"))).code())
                .isEqualTo(ErrorCode.INVALID_CLIENT_ID);

        Address temp = new Address(Address.Kind.TEMPORARY_QUEUE, "temp-of-a");
        assertThat(a.request(id -> new CreateTemporary(id, temp))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) b.request(id -> new CreateConsumer(id, 1, 1, temp, null, false, null, false, false, 1)))
                .code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(a.request(id -> new CreateConsumer(id, 1, 2, temp, null, false, null, false, false, 1))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) a.request(id -> new DeleteTemporary(id, temp))).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);

        assertThat(((ErrorResponse) a.request(id -> new Unsubscribe(id, "nothing"))).code())
                .isEqualTo(ErrorCode.INVALID_DESTINATION);
        assertThat(((ErrorResponse) a.request(id -> new Commit(id, 1))).code()).isEqualTo(ErrorCode.ILLEGAL_STATE);
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void durableSubscriptionKeepsMessagesWhileNoConsumer(TransportAddress.Type type) throws Exception {
        RawClient sub = session(type, 1);
        sub.request(id -> new SetClientId(id, "durable-client"));
        Address topic = Address.topic("t-durable");
        sub.request(id -> new CreateConsumer(id, 1, 1, topic, null, false, "sub", true, false, 10));
        sub.request(id -> new CloseConsumer(id, 1, 0, new long[0]));
        RawClient pub = session(type, 1);
        pub.request(id -> new Send(id, 1, new MessageEncoder().destination(topic).messageId("ID:t1").encode().bytes()));
        assertThat(sub.request(id -> new CreateConsumer(id, 1, 2, topic, null, false, "sub", true, false, 10)))
                .isInstanceOf(Ok.class);
        Deliver d = sub.next(Deliver.class);
        assertThat(idOf(d)).isEqualTo("ID:t1");
        assertThat(((ErrorResponse) sub.request(id -> new Unsubscribe(id, "sub"))).code())
                .as("active consumer").isEqualTo(ErrorCode.ILLEGAL_STATE);
        sub.request(id -> new Acknowledge(id, 1, new long[] {d.deliveryId()}));
        sub.request(id -> new CloseConsumer(id, 2, d.deliveryId(), new long[0]));
        assertThat(sub.request(id -> new Unsubscribe(id, "sub"))).isInstanceOf(Ok.class);
        assertThat(((ErrorResponse) sub.request(id -> new Unsubscribe(id, "sub"))).code())
                .isEqualTo(ErrorCode.INVALID_DESTINATION);
    }
}
