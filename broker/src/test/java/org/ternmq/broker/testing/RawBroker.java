package org.ternmq.broker.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.HelloOk;
import org.ternmq.protocol.Ok;
import org.ternmq.protocol.Packet;
import org.ternmq.protocol.SetClientId;
import org.ternmq.transport.TransportAddress;

/**
 * An embedded broker for raw-protocol tests, on the in-VM transport with a small journal in a test's
 * directory, configured with policy entries as the configuration file writes them, and the
 * {@link RawClient}s opened on it; {@link #close} stops them all. Test thread only.
 */
public final class RawBroker implements AutoCloseable {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private final Path data;
    private final String name;
    private final Properties policies = new Properties();
    private Consumer<BrokerConfig.Builder> configure = b -> { };
    private final List<RawClient> clients = new ArrayList<>();
    private EmbeddedBroker broker;

    /** @param data the test's temporary directory, kept across {@link #restart}s */
    public RawBroker(Path data, String name) {
        this.data = data;
        this.name = name + "-" + NAMES.incrementAndGet();
    }

    /** Policy entries as in the configuration file: key, value, key, value... */
    public RawBroker policy(String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            policies.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return this;
    }

    /** Further settings, applied after the fixture's own. */
    public RawBroker configure(Consumer<BrokerConfig.Builder> more) {
        this.configure = more;
        return this;
    }

    public EmbeddedBroker start() throws Exception {
        BrokerConfig.Builder b = BrokerConfig.builder().tcpPort(-1).inVmName(name).dataDirectory(data)
                .journalSegmentSize(4 << 20).maxFrameLength(1 << 20).expiryScanPeriod(20)
                .policies(ConfigFile.parse(policies, "test").policies());
        configure.accept(b);
        broker = EmbeddedBroker.start(b.build());
        return broker;
    }

    /** Closes the clients and the broker, then starts it again on the same data. */
    public EmbeddedBroker restart() throws Exception {
        closeClients();
        broker.close();
        return start();
    }

    public EmbeddedBroker broker() {
        return broker;
    }

    /** A connection that has not shaken hands yet. */
    public RawClient connect() throws InterruptedException {
        RawClient c = new RawClient(TransportAddress.vm(broker.config().inVmName()));
        clients.add(c);
        return c;
    }

    /** A started connection (anonymous) with session 1 in {@code ackMode}. */
    public RawClient session(int ackMode) throws Exception {
        return session(null, null, null, ackMode);
    }

    /** A started connection (anonymous) with a client id and session 1 in {@code ackMode}. */
    public RawClient session(int ackMode, String clientId) throws Exception {
        return session(null, null, clientId, ackMode);
    }

    /** A started connection as {@code user} with session 1 in {@code ackMode}; fails the test if refused. */
    public RawClient session(String user, String password, String clientId, int ackMode) throws Exception {
        RawClient c = connect();
        expect(c.hello(user, password), HelloOk.class);
        if (clientId != null) {
            expect(c.request(id -> new SetClientId(id, clientId)), Ok.class);
        }
        expect(c.request(id -> new CreateSession(id, 1, ackMode)), Ok.class);
        return c;
    }

    private static void expect(Packet p, Class<? extends Packet> type) {
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + p);
        }
    }

    private void closeClients() {
        clients.forEach(RawClient::close);
        clients.clear();
    }

    @Override
    public void close() {
        closeClients();
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
