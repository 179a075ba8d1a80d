package org.ternmq.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.protocol.XidValue;

/**
 * A branch whose session lost its connection between prepare and commit (the broker killed and restarted, as
 * in a server's scenario) is still finished through the resource the container enlisted; while the broker is
 * down, the commit asks to be retried.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnlistedXAResourceTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private int port;
    private ConnectionSettings settings;
    private int branches;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startBroker();
        settings = new ConnectionSettings(broker.tcpUrl(), null, null, null);
    }

    private void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(port).dataDirectory(dir.resolve("broker")).build());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** A session's branch with one message sent to {@code queue}, ended and, if asked, prepared. */
    private Branch branch(String queue, boolean prepare) throws Exception {
        XidValue xid = new XidValue(78, ("enlisted-" + ++branches).getBytes(StandardCharsets.US_ASCII), new byte[] {1});
        XAConnection c = settings.factory().createXAConnection();
        XASession s = c.createXASession();
        EnlistedXAResource r = new EnlistedXAResource(s.getXAResource(), settings);
        r.start(xid, XAResource.TMNOFLAGS);
        s.createProducer(s.createQueue(queue)).send(s.createTextMessage("in " + xid));
        r.end(xid, XAResource.TMSUCCESS);
        if (prepare) {
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
        }
        return new Branch(xid, c, r);
    }

    private record Branch(XidValue xid, XAConnection connection, EnlistedXAResource resource) {
    }

    private List<String> drain(String queue) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    @Test
    void aPreparedBranchIsCommittedOverANewConnectionWhenTheSessionsIsGone() throws Exception {
        Branch b = branch("ra.enlisted.commit", true);
        b.connection().close();
        b.resource().commit(b.xid(), false);
        assertThat(drain("ra.enlisted.commit")).containsExactly("in " + b.xid());
    }

    @Test
    void whileTheBrokerIsDownACommitAsksToBeRetriedAndLaterCommits() throws Exception {
        Branch b = branch("ra.enlisted.retry", true);
        broker.close();
        assertThatThrownBy(() -> b.resource().commit(b.xid(), false))
                .isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XA_RETRY));
        startBroker();
        b.resource().commit(b.xid(), false);
        assertThat(drain("ra.enlisted.retry")).containsExactly("in " + b.xid());
        b.connection().close();
    }

    @Test
    void aPreparedBranchIsRolledBackOverANewConnectionWhenTheSessionsIsGone() throws Exception {
        Branch b = branch("ra.enlisted.rollback", true);
        b.connection().close();
        b.resource().rollback(b.xid());
        assertThat(drain("ra.enlisted.rollback")).isEmpty();
        XAResource fresh = new TernRecoveryResource(settings);
        assertThat(fresh.recover(XAResource.TMSTARTRSCAN)).as("nothing left in doubt").isEmpty();
        ((TernRecoveryResource) fresh).close();
    }

    @Test
    void anUnpreparedBranchOfALostConnectionIsTakenAsRolledBack() throws Exception {
        Branch b = branch("ra.enlisted.unprepared", false);
        b.connection().close();
        b.resource().rollback(b.xid());
        assertThat(drain("ra.enlisted.unprepared")).isEmpty();
    }

    @Test
    void aOnePhaseCommitThatLostItsConnectionIsNotGuessed() throws Exception {
        Branch b = branch("ra.enlisted.onephase", false);
        b.connection().close();
        assertThatThrownBy(() -> b.resource().commit(b.xid(), true))
                .isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XAER_RMFAIL));
    }

    @Test
    void twoEnlistedResourcesOfOneBrokerAreTheSameResourceManager() throws Exception {
        Branch a = branch("ra.enlisted.same", false);
        Branch b = branch("ra.enlisted.same", false);
        assertThat(a.resource().isSameRM(b.resource())).isTrue();
        assertThat(a.resource().isSameRM(b.resource().session())).isTrue();
        a.resource().rollback(a.xid());
        b.resource().rollback(b.xid());
        a.connection().close();
        b.connection().close();
    }
}
