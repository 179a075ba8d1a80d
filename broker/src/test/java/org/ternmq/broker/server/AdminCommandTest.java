package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.testing.RawClient;
import org.ternmq.message.Address;
import org.ternmq.message.MessageEncoder;
import org.ternmq.protocol.CreateSession;
import org.ternmq.protocol.Send;
import org.ternmq.transport.TransportAddress;

/** {@code tern admin}: the command-line side of the management operations, against a running broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminCommandTest {

    @TempDir
    Path data;
    private EmbeddedBroker broker;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(data)
                .journalSegmentSize(2 << 20).maxFrameLength(1 << 20)
                .user("root", "pw", "admin").user("app", "pw").allowAnonymous(false).build());
        try (RawClient c = new RawClient(TransportAddress.tcp("127.0.0.1", broker.tcpPort()))) {
            c.hello("app", "pw");
            c.request(id -> new CreateSession(id, 1, 1));
            for (String colour : new String[] {"red", "blue"}) {
                c.request(id -> new Send(id, 1, new MessageEncoder().destination(Address.queue("parked"))
                        .messageId("ID:" + colour).property("colour", colour).encode().bytes()));
            }
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private int admin(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "admin";
        System.arraycopy(args, 0, all, 1, args.length);
        return TernServer.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anAdministratorListsAndMovesMessages() throws Exception {
        String url = broker.tcpUrl();
        assertThat(admin("list-queues", "--url", url, "--user", "root", "--password", "pw")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("parked\\s+2\\s+0");
        assertThat(admin("move-messages", "--from", "parked", "--to", "orders", "--selector", "colour = 'red'",
                "--url", url, "--user", "root", "--password", "pw")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("moved 1 message(s) from parked to orders");
        assertThat(broker.management().listQueues()).containsPattern("orders\\s+1\\s+0").containsPattern("parked\\s+1\\s+0");
        assertThat(admin("purge", "--from", "parked", "--url", url, "--user", "root", "--password", "pw")).isZero();
        assertThat(broker.management().listQueues()).containsPattern("parked\\s+0\\s+0");
    }

    @Test
    void refusalsAndBadUsageGiveClearMessagesAndExitCodes() throws Exception {
        String url = broker.tcpUrl();
        assertThat(admin("list-queues", "--url", url, "--user", "app", "--password", "pw")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lacks permission 'manage' on '#'");
        assertThat(admin("move-messages", "--url", url)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs --from QUEUE");
        assertThat(admin("explode")).isEqualTo(2);
        assertThat(admin("list-queues", "--colour", "red")).isEqualTo(2);
        assertThat(admin("purge", "--from", "nothing-here", "--url", url, "--user", "root", "--password", "pw")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no queue 'nothing-here'");
        assertThat(admin("list-queues", "--url", "tern://127.0.0.1:1", "--user", "root", "--password", "pw")).isEqualTo(1);
        assertThat(broker.management().listQueues()).containsPattern("parked\\s+2\\s+0");
    }

    @Test
    void inDoubtXaBranchesAreListedAndCompletedFromTheCommandLine() throws Exception {
        String url = broker.tcpUrl();
        org.ternmq.protocol.XidValue xid = new org.ternmq.protocol.XidValue(9, new byte[] {1, 2, 3}, new byte[] {4});
        org.ternmq.jms.TernXAConnectionFactory f = new org.ternmq.jms.TernXAConnectionFactory(url);
        try (jakarta.jms.XAConnection c = f.createXAConnection("app", "pw")) {
            jakarta.jms.XASession s = c.createXASession();
            javax.transaction.xa.XAResource r = s.getXAResource();
            r.start(xid, javax.transaction.xa.XAResource.TMNOFLAGS);
            s.createProducer(s.createQueue("xa.cli")).send(s.createTextMessage("in doubt"));
            r.end(xid, javax.transaction.xa.XAResource.TMSUCCESS);
            r.prepare(xid);
        }
        String[] login = {"--url", url, "--user", "root", "--password", "pw"};
        assertThat(admin(with(login, "list-prepared"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("9:010203:04").contains("xa.cli=1").contains("s ago");
        assertThat(admin(with(login, "commit-prepared", "9:0a0a:00"))).as("an unknown branch").isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no prepared branch 9:0a0a:00");
        assertThat(admin(with(login, "commit-prepared", "not-an-xid"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("formatId:gtridHex:bqualHex");
        assertThat(admin(with(login, "forget"))).as("forget without its XID").isEqualTo(2);
        assertThat(admin(with(login, "commit-prepared", "9:010203:04"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("committed 9:010203:04");
        assertThat(admin(with(login, "list-heuristic"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("9:010203:04  committed by an operator");
        assertThat(admin(with(login, "forget", "9:010203:04"))).isZero();
        assertThat(admin(with(login, "list-prepared"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("no prepared XA branches" + System.lineSeparator());
        assertThat(admin("list-prepared", "--url", url, "--user", "app", "--password", "pw")).as("not an admin")
                .isEqualTo(1);
    }

    @Test
    void waitingHalfMessagesAreListedAndCompletedFromTheCommandLine() throws Exception {
        String url = broker.tcpUrl();
        String id;
        try (jakarta.jms.Connection c = new org.ternmq.jms.TernConnectionFactory(url).createConnection("app", "pw")) {
            jakarta.jms.Session s = c.createSession(jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            id = org.ternmq.jms.HalfMessaging.of(c).sendHalf(s.createProducer(s.createQueue("half.cli")),
                    s.createTextMessage("waiting"), "cli");
        }
        String[] login = {"--url", url, "--user", "root", "--password", "pw"};
        assertThat(admin(with(login, "list-half"))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(id + "  group cli  to half.cli");
        assertThat(admin(with(login, "commit-half"))).as("without its id").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs the half-message's id");
        assertThat(admin(with(login, "rollback-half", "ID:unknown"))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no half-message 'ID:unknown'");
        assertThat(admin(with(login, "commit-half", id))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("committed half-message " + id);
        assertThat(broker.management().listQueues()).containsPattern("half.cli\\s+1\\s+0");
    }

    /** {@code operation} and its arguments, then {@code login}. */
    private static String[] with(String[] login, String... operation) {
        String[] all = java.util.Arrays.copyOf(operation, operation.length + login.length);
        System.arraycopy(login, 0, all, operation.length, login.length);
        return all;
    }
}
