package org.ternmq.broker.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.persistence.JournalStore;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.broker.persistence.StoreBatch;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.CreateConsumer;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.Deliver;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.Send;
import org.ternmq.store.JournalConfig;
import org.ternmq.transport.TransportAddress;

/**
 * Requests a client writes in one go (pipelined) reach the broker in one read, and the broker handles such a read
 * burst as one task: one store batch for all of its persistent sends, each answered on its own, a refused one
 * among them refused alone. Counted on the store's batch commits (a real journal under a counting proxy).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadBurstTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    /** Sends written in one flush (an in-VM channel reads them in several reads of one loop turn). */
    private static final int SENDS = 20;

    @TempDir
    Path data;
    private EmbeddedBroker broker;
    private final List<RawClient> clients = new ArrayList<>();
    private final AtomicInteger commits = new AtomicInteger();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    private BrokerConfig config() {
        return BrokerConfig.builder().tcpPort(0).inVmName("burst-" + NAMES.incrementAndGet()).dataDirectory(data)
                .journalSegmentSize(2 << 20).maxFrameLength(1 << 20).build();
    }

    private void start(BrokerConfig config) throws Exception {
        MessageStore journal = JournalStore.open(JournalConfig.builder(config.journalDirectory())
                .set(JournalConfig.SEGMENT_SIZE, config.journalSegmentSize())
                .set(JournalConfig.MAX_PAYLOAD_SIZE, config.maxFrameLength()).build());
        broker = EmbeddedBroker.start(config, counting(journal));
    }

    private RawClient connect(TransportAddress.Type type) throws InterruptedException {
        RawClient c = new RawClient(type == TransportAddress.Type.TCP
                ? TransportAddress.tcp("127.0.0.1", broker.tcpPort())
                : TransportAddress.vm(broker.config().inVmName()));
        clients.add(c);
        return c;
    }

    @ParameterizedTest
    @EnumSource(TransportAddress.Type.class)
    void pipelinedSendsShareOneStoreBatchAndAreEachAnswered(TransportAddress.Type type) throws Exception {
        BrokerConfig config = config();
        start(config);
        RawClient c = connect(type);
        c.hello(null, null);
        assertThat(c.request(id -> new CreateSession(id, 1, 1))).isInstanceOf(Ok.class);
        Address q = Address.queue("burst");
        assertThat(c.request(id -> new Send(id, 1, message(q, "ID:first")))).isInstanceOf(Ok.class);

        int before = commits.get();
        List<Long> ids = new ArrayList<>();
        List<Packet> burst = new ArrayList<>();
        for (int i = 0; i < SENDS; i++) {
            long id = c.nextCorrelation();
            ids.add(id);
            // one in the middle is refused (a wildcard topic takes no sends): the others go on
            burst.add(new Send(id, 1, i == SENDS / 2 ? message(Address.topic("news.#"), "ID:refused")
                    : message(q, "ID:" + i)));
        }
        // written and flushed in one go on the client's loop, so they leave in one write
        c.channel().eventLoop().submit(() -> {
            burst.forEach(p -> c.channel().write(p, c.channel().voidPromise()));
            c.channel().flush();
        }).sync();
        // answered by correlation id: the refusal goes at once, the others once their batch is stored
        java.util.Map<Long, Packet> answers = new java.util.HashMap<>();
        for (int i = 0; i < SENDS; i++) {
            Packet answer = c.pollResponse(10_000);
            assertThat(answer).as("answer %d", i).isNotNull();
            answers.put(((Packet.Response) answer).correlationId(), answer);
        }
        for (int i = 0; i < SENDS; i++) {
            Packet answer = answers.get(ids.get(i));
            if (i == SENDS / 2) {
                assertThat(((ErrorResponse) answer).code()).isEqualTo(ErrorCode.INVALID_DESTINATION);
            } else {
                assertThat(answer).as("answer %d", i).isInstanceOf(Ok.class);
            }
        }
        // the packets one loop turn reads are one task: one batch (two if the bytes come over two turns), where a
        // task per packet made one batch per send
        assertThat(commits.get() - before).as("store batches for %d pipelined sends", SENDS).isLessThanOrEqualTo(2);

        // each was stored whole: a restarted broker delivers them all, in order
        clients.forEach(RawClient::close);
        clients.clear();
        broker.close();
        start(config);
        RawClient reader = connect(type);
        reader.hello(null, null);
        reader.request(id -> new CreateSession(id, 1, 1));
        reader.request(id -> new CreateConsumer(id, 1, 1, q, null, false, null, false, false, SENDS + 5));
        assertThat(idOf(reader.next(Deliver.class))).isEqualTo("ID:first");
        for (int i = 0; i < SENDS; i++) {
            if (i != SENDS / 2) {
                assertThat(idOf(reader.next(Deliver.class))).isEqualTo("ID:" + i);
            }
        }
        assertThat(reader.poll(200)).isNull();
    }

    private static byte[] message(Address to, String id) {
        return new MessageEncoder().destination(to).messageId(id).persistent(true).encode().bytes();
    }

    private static String idOf(Deliver d) throws Exception {
        return EncodedMessage.wrap(d.message()).messageId();
    }

    /** {@code delegate}, counting the commits of its batches. A dynamic proxy, so it follows the store interfaces. */
    private MessageStore counting(MessageStore delegate) {
        return (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
                new Class<?>[] {MessageStore.class}, (proxy, method, args) -> method.getName().equals("batch")
                        ? countingBatch((StoreBatch) invoke(delegate, method, args))
                        : invoke(delegate, method, args));
    }

    private StoreBatch countingBatch(StoreBatch real) {
        return (StoreBatch) Proxy.newProxyInstance(StoreBatch.class.getClassLoader(), new Class<?>[] {StoreBatch.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        commits.incrementAndGet();
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
