package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.ternmq.broker.persistence.JournalStore;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.broker.persistence.StoreBatch;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.*;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.JournalLockedException;
import org.ternmq.transport.TransportAddress;

/** A data directory in use is refused; a store that fails fences persistent work but the broker stays up. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreFailureTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path data;

    private BrokerConfig config() {
        return BrokerConfig.builder().tcpPort(-1).inVmName("fail-" + NAMES.incrementAndGet()).dataDirectory(data)
                .journalSegmentSize(2 << 20).maxFrameLength(1 << 20).build();
    }

    @Test
    void aSecondBrokerOnTheSameDataDirectoryIsRefusedClearly() throws Exception {
        try (EmbeddedBroker first = EmbeddedBroker.start(config())) {
            assertThatThrownBy(() -> EmbeddedBroker.start(config()))
                    .isInstanceOf(JournalLockedException.class)
                    .hasMessageContaining(data.resolve("journal").toAbsolutePath().toString())
                    .hasMessageContaining("locked");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = org.ternmq.broker.server.TernServerAccess.run(new String[] {"--port", "0", "--data-dir",
                    data.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("is in use by another broker");
            // the first broker is unaffected
            assertThat(first.management().listQueues()).contains("QUEUE");
        }
    }

    @Test
    void aFencedStoreRefusesPersistentSendsWhileTheRestGoesOn() throws Exception {
        BrokerConfig config = config();
        FencingStore store = new FencingStore(JournalStore.open(JournalConfig.builder(config.journalDirectory())
                .set(JournalConfig.SEGMENT_SIZE, config.journalSegmentSize())
                .set(JournalConfig.MAX_PAYLOAD_SIZE, config.maxFrameLength()).build()));
        try (EmbeddedBroker broker = EmbeddedBroker.start(config, store.store);
             RawClient c = new RawClient(TransportAddress.vm(config.inVmName()))) {
            c.hello(null, null);
            c.request(id -> new CreateSession(id, 1, 1));
            Address q = Address.queue("q");
            assertThat(c.request(id -> new Send(id, 1, msg(q, "ID:before", true)))).isInstanceOf(Ok.class);

            store.fence();
            Packet refused = c.request(id -> new Send(id, 1, msg(q, "ID:refused", true)));
            assertThat(((ErrorResponse) refused).code()).isEqualTo(ErrorCode.RESOURCE_ALLOCATION);
            assertThat(((ErrorResponse) refused).message()).contains("disk on fire");
            assertThat(c.request(id -> new Send(id, 1, msg(q, "ID:volatile", false)))).isInstanceOf(Ok.class);

            // the count of this delivery is never written: it leaves all the same (held for good, it would hold back
            // everything after it on the connection), and so does what follows it
            c.request(id -> new CreateConsumer(id, 1, 1, q, null, false, null, false, false, 10));
            assertThat(EncodedMessage.wrap(c.next(Deliver.class).message()).messageId()).isEqualTo("ID:before");
            assertThat(EncodedMessage.wrap(c.next(Deliver.class).message()).messageId()).isEqualTo("ID:volatile");
            assertThat(c.poll(200)).isNull();
        }
    }

    private static byte[] msg(Address to, String id, boolean persistent) {
        return new MessageEncoder().destination(to).messageId(id).persistent(persistent).encode().bytes();
    }

    /**
     * Delegates to a real store until told to fence, then fails every batch commit as a fenced journal does.
     * A dynamic proxy, so it follows the store interfaces as they grow.
     */
    private static final class FencingStore {
        private volatile boolean fenced;
        final MessageStore store;

        FencingStore(MessageStore delegate) {
            this.store = (MessageStore) Proxy.newProxyInstance(MessageStore.class.getClassLoader(),
                    new Class<?>[] {MessageStore.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "fencedReason":
                                return fenced ? "disk on fire" : null;
                            case "batch":
                                return fencing((StoreBatch) invoke(delegate, method, args));
                            case "written":
                                return fenced ? failed() : invoke(delegate, method, args);
                            default:
                                return invoke(delegate, method, args);
                        }
                    });
        }

        private StoreBatch fencing(StoreBatch real) {
            return (StoreBatch) Proxy.newProxyInstance(StoreBatch.class.getClassLoader(), new Class<?>[] {StoreBatch.class},
                    (proxy, method, args) -> {
                        if (fenced && method.getName().equals("commit")) {
                            return failed();
                        }
                        if (fenced && method.getName().equals("commitStages")) {
                            return new StoreBatch.Committed(failed(), failed());
                        }
                        return invoke(real, method, args);
                    });
        }

        private static CompletableFuture<Void> failed() {
            return CompletableFuture.failedFuture(new java.io.IOException("disk on fire"));
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        void fence() {
            fenced = true;
        }
    }
}
