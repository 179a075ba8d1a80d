package org.ternmq.it.xa;

import static javax.transaction.xa.XAResource.TMFAIL;
import static javax.transaction.xa.XAResource.TMJOIN;
import static javax.transaction.xa.XAResource.TMNOFLAGS;
import static javax.transaction.xa.XAResource.TMRESUME;
import static javax.transaction.xa.XAResource.TMSTARTRSCAN;
import static javax.transaction.xa.XAResource.TMENDRSCAN;
import static javax.transaction.xa.XAResource.TMSUCCESS;
import static javax.transaction.xa.XAResource.TMSUSPEND;
import static javax.transaction.xa.XAResource.XA_OK;
import static javax.transaction.xa.XAResource.XA_RDONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XASession;

import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.protocol.XidValue;

/**
 * Tern's {@link XAResource} against an embedded broker: two-phase and one-phase commit, rollback, what a
 * prepared branch holds and how it survives a restart, association (join, suspend and resume, repeated end),
 * timeouts, lost connections, heuristic decisions of an operator, and every error code the issue names.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XaResourceTest {

    private static final AtomicInteger GTRIDS = new AtomicInteger();

    @TempDir
    Path data;
    private EmbeddedBroker broker;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        startBroker();
    }

    @AfterEach
    void stop() throws Exception {
        closeConnections();
        if (broker != null) {
            broker.close();
        }
    }

    private void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(data).xaTimeout(60_000).build());
    }

    private void restart() throws Exception {
        closeConnections();
        broker.close();
        startBroker();
    }

    private void closeConnections() {
        for (Connection c : connections) {
            try {
                c.close();
            } catch (Exception e) {
                // the broker went away
            }
        }
        connections.clear();
    }

    private TernXAConnectionFactory factory() {
        return new TernXAConnectionFactory(broker.tcpUrl());
    }

    private XAConnection xaConnection() throws Exception {
        XAConnection c = factory().createXAConnection();
        connections.add(c);
        c.start();
        return c;
    }

    static Xid xid() {
        return new XidValue(0x7E24, ("tern-test-" + GTRIDS.incrementAndGet()).getBytes(StandardCharsets.US_ASCII),
                new byte[] {1});
    }

    private void send(String queue, String text) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    /** Everything waiting in {@code queue}, consumed (auto-acknowledge), as texts. */
    private List<String> drain(String queue) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(300)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    private static void assertXaError(int code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).as("XA error code of: " + e.getMessage())
                        .isEqualTo(code));
    }

    // ---- commit and rollback --------------------------------------------------------------------

    @Test
    void aSendIsInvisibleUntilTheTwoPhaseCommit() throws Exception {
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        xa.createProducer(xa.createQueue("xa.send")).send(xa.createTextMessage("one"));
        r.end(xid, TMSUCCESS);
        assertThat(drain("xa.send")).as("before prepare").isEmpty();
        assertThat(r.prepare(xid)).isEqualTo(XA_OK);
        assertThat(drain("xa.send")).as("prepared").isEmpty();
        r.commit(xid, false);
        assertThat(drain("xa.send")).containsExactly("one");
    }

    @Test
    void aReceiveRolledBackComesBackRedeliveredAndOneCommittedIsGone() throws Exception {
        send("xa.recv", "a");
        send("xa.recv", "b");
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        MessageConsumer consumer = xa.createConsumer(xa.createQueue("xa.recv"));
        Xid first = xid();
        r.start(first, TMNOFLAGS);
        assertThat(((TextMessage) consumer.receive(2000)).getText()).isEqualTo("a");
        r.end(first, TMSUCCESS);
        r.rollback(first);
        Xid second = xid();
        r.start(second, TMNOFLAGS);
        Message again = consumer.receive(2000);
        assertThat(((TextMessage) again).getText()).isEqualTo("a");
        assertThat(again.getJMSRedelivered()).isTrue();
        assertThat(again.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        r.end(second, TMSUCCESS);
        r.commit(second, true);
        consumer.close();
        assertThat(drain("xa.recv")).containsExactly("b");
    }

    @Test
    void aBranchThatDidNothingPreparesReadOnlyAndIsForgotten() throws Exception {
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        r.end(xid, TMSUCCESS);
        assertThat(r.prepare(xid)).isEqualTo(XA_RDONLY);
        assertXaError(XAException.XAER_NOTA, () -> r.commit(xid, false));
    }

    @Test
    void outsideATransactionAnXaSessionAcknowledgesEachMessageAndSendsAtOnce() throws Exception {
        send("xa.auto", "m");
        XASession xa = xaConnection().createXASession();
        assertThat(xa.getTransacted()).isTrue();
        assertThatThrownBy(xa::commit).isInstanceOf(TransactionInProgressException.class);
        assertThatThrownBy(xa::rollback).isInstanceOf(TransactionInProgressException.class);
        MessageConsumer consumer = xa.createConsumer(xa.createQueue("xa.auto"));
        assertThat(consumer.receive(2000)).isNotNull();
        xa.createProducer(xa.createQueue("xa.auto.out")).send(xa.createTextMessage("out"));
        xa.close(); // an unacknowledged message would come back now
        assertThat(drain("xa.auto")).isEmpty();
        assertThat(drain("xa.auto.out")).containsExactly("out");
    }

    // ---- prepared branches -----------------------------------------------------------------------

    private Xid prepareSendAndReceive(String queue) throws Exception {
        send(queue + ".in", "held");
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        assertThat(xa.createConsumer(xa.createQueue(queue + ".in")).receive(2000)).isNotNull();
        xa.createProducer(xa.createQueue(queue + ".out")).send(xa.createTextMessage("sent"));
        r.end(xid, TMSUCCESS);
        assertThat(r.prepare(xid)).isEqualTo(XA_OK);
        return xid;
    }

    @Test
    void aPreparedBranchHoldsItsMessagesAcrossARestartAndCommits() throws Exception {
        Xid xid = prepareSendAndReceive("xa.p1");
        closeConnections();
        assertThat(drain("xa.p1.in")).as("held by the prepared branch").isEmpty();
        restart();
        assertThat(drain("xa.p1.in")).as("held after the restart").isEmpty();
        assertThat(drain("xa.p1.out")).as("not visible before commit").isEmpty();
        XAResource recovery = xaConnection().createXASession().getXAResource();
        assertThat(recovery.recover(TMSTARTRSCAN)).containsExactly(XidValue.of(xid));
        assertThat(recovery.recover(TMENDRSCAN)).isEmpty();
        assertThat(broker.management().listPrepared()).contains(XidValue.of(xid).toString())
                .contains("xa.p1.out=1").contains("xa.p1.in=1");
        recovery.commit(xid, false);
        assertThat(drain("xa.p1.out")).containsExactly("sent");
        assertThat(drain("xa.p1.in")).isEmpty();
        assertThat(recovery.recover(TMSTARTRSCAN | TMENDRSCAN)).isEmpty();
        restart();
        assertThat(drain("xa.p1.in")).isEmpty();
        assertThat(drain("xa.p1.out")).isEmpty();
    }

    @Test
    void aPreparedBranchRolledBackAfterARestartGivesItsMessageBackRedelivered() throws Exception {
        Xid xid = prepareSendAndReceive("xa.p2");
        restart();
        XAResource recovery = xaConnection().createXASession().getXAResource();
        recovery.rollback(xid);
        assertThat(drain("xa.p2.out")).isEmpty();
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(s.createQueue("xa.p2.in")).receive(2000);
            assertThat(((TextMessage) m).getText()).isEqualTo("held");
            assertThat(m.getJMSRedelivered()).isTrue();
            assertThat(m.getIntProperty("JMSXDeliveryCount")).isEqualTo(2);
        }
    }

    @Test
    void aPreparedBranchSurvivesItsConnectionAndAnUnpreparedOneRollsBackWithIt() throws Exception {
        Xid prepared = prepareSendAndReceive("xa.p3");
        send("xa.p3.loose", "loose");
        XAConnection c = xaConnection();
        XASession xa = c.createXASession();
        XAResource r = xa.getXAResource();
        Xid unprepared = xid();
        r.start(unprepared, TMNOFLAGS);
        assertThat(xa.createConsumer(xa.createQueue("xa.p3.loose")).receive(2000)).isNotNull();
        r.end(unprepared, TMSUCCESS);
        closeConnections(); // both connections go
        assertThat(drain("xa.p3.loose")).as("the unprepared branch's message is back").containsExactly("loose");
        XAResource other = xaConnection().createXASession().getXAResource();
        assertXaError(XAException.XAER_NOTA, () -> other.commit(unprepared, true));
        other.commit(prepared, false);
        assertThat(drain("xa.p3.out")).containsExactly("sent");
    }

    // ---- association ----------------------------------------------------------------------------

    @Test
    void twoSessionsOfOneBrokerJoinOneBranch() throws Exception {
        XASession a = xaConnection().createXASession();
        XASession b = xaConnection().createXASession();
        XAResource ra = a.getXAResource();
        XAResource rb = b.getXAResource();
        assertThat(ra.isSameRM(rb)).isTrue();
        Xid xid = xid();
        ra.start(xid, TMNOFLAGS);
        rb.start(xid, TMJOIN);
        a.createProducer(a.createQueue("xa.join")).send(a.createTextMessage("a"));
        b.createProducer(b.createQueue("xa.join")).send(b.createTextMessage("b"));
        ra.end(xid, TMSUCCESS);
        assertThatThrownBy(() -> ra.prepare(xid)).as("b is still associated")
                .isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).isEqualTo(XAException.XAER_PROTO));
        rb.end(xid, TMSUCCESS);
        assertThat(rb.prepare(xid)).isEqualTo(XA_OK);
        ra.commit(xid, false);
        assertThat(drain("xa.join")).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSuspendedBranchResumesWhileWorkBetweenIsNotPartOfIt() throws Exception {
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        var producer = xa.createProducer(xa.createQueue("xa.suspend"));
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        producer.send(xa.createTextMessage("in-1"));
        r.end(xid, TMSUSPEND);
        producer.send(xa.createTextMessage("outside"));
        assertThat(drain("xa.suspend")).containsExactly("outside");
        r.start(xid, TMRESUME);
        producer.send(xa.createTextMessage("in-2"));
        r.end(xid, TMSUCCESS);
        r.end(xid, TMSUCCESS); // a JTA 1.2 transaction manager may end twice
        r.commit(xid, true);
        assertThat(drain("xa.suspend")).containsExactly("in-1", "in-2");
    }

    @Test
    void aBranchEndedWithTmfailCanOnlyRollBack() throws Exception {
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        xa.createProducer(xa.createQueue("xa.fail")).send(xa.createTextMessage("x"));
        r.end(xid, TMFAIL);
        assertXaError(XAException.XA_RBROLLBACK, () -> r.prepare(xid));
        assertThat(drain("xa.fail")).isEmpty();
    }

    @Test
    void anActiveBranchPastItsTimeoutRollsBack() throws Exception {
        send("xa.timeout", "t");
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        assertThat(r.setTransactionTimeout(1)).isTrue();
        assertThat(r.getTransactionTimeout()).isEqualTo(1);
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        MessageConsumer consumer = xa.createConsumer(xa.createQueue("xa.timeout"));
        assertThat(consumer.receive(2000)).isNotNull();
        xa.createProducer(xa.createQueue("xa.timeout.out")).send(xa.createTextMessage("never"));
        Thread.sleep(1600);
        assertXaError(XAException.XA_RBTIMEOUT, () -> r.end(xid, TMSUCCESS));
        assertXaError(XAException.XA_RBTIMEOUT, () -> r.prepare(xid));
        assertThat(drain("xa.timeout.out")).isEmpty();
        Message back = consumer.receive(2000);
        assertThat(back).as("the received message came back").isNotNull();
        assertThat(back.getJMSRedelivered()).isTrue();
    }

    // ---- operators and heuristics ----------------------------------------------------------------

    @Test
    void anOperatorsDecisionIsReportedUntilForgottenAcrossARestart() throws Exception {
        Xid xid = prepareSendAndReceive("xa.h");
        closeConnections(); // so the message given back is not buffered by the branch's consumer
        String text = XidValue.of(xid).toString();
        assertThat(broker.management().rollbackPrepared(text)).contains("rolled back");
        assertThat(drain("xa.h.in")).containsExactly("held");
        restart();
        assertThat(broker.management().listHeuristic()).contains(text).contains("rolled back");
        XAResource r = xaConnection().createXASession().getXAResource();
        assertThat(r.recover(TMSTARTRSCAN)).containsExactly(XidValue.of(xid));
        assertXaError(XAException.XA_HEURRB, () -> r.commit(xid, false));
        r.forget(xid);
        assertXaError(XAException.XAER_NOTA, () -> r.commit(xid, false));
        assertThat(broker.management().listHeuristic()).isEqualTo("no heuristic outcomes");
        restart();
        assertThat(broker.management().listHeuristic()).isEqualTo("no heuristic outcomes");
        assertThat(drain("xa.h.out")).isEmpty();
    }

    // ---- bad input --------------------------------------------------------------------------------

    @Test
    void badCallsGetTheSpecsErrorCodesAndDisturbNothing() throws Exception {
        XAConnection c = xaConnection();
        XASession xa = c.createXASession();
        XAResource r = xa.getXAResource();
        Xid good = xid();
        r.start(good, TMNOFLAGS);
        xa.createProducer(xa.createQueue("xa.bad")).send(xa.createTextMessage("kept"));

        assertXaError(XAException.XAER_INVAL, () -> r.start(null, TMNOFLAGS));
        assertXaError(XAException.XAER_INVAL, () -> r.commit(new XidValue(1, new byte[65], new byte[0]), true));
        assertXaError(XAException.XAER_INVAL, () -> r.setTransactionTimeout(-1));
        assertXaError(XAException.XAER_NOTA, () -> r.commit(xid(), false));
        assertXaError(XAException.XAER_NOTA, () -> r.rollback(xid()));
        assertXaError(XAException.XAER_NOTA, () -> r.forget(xid()));
        XASession second = c.createXASession();
        assertXaError(XAException.XAER_DUPID, () -> second.getXAResource().start(good, TMNOFLAGS));
        assertXaError(XAException.XAER_PROTO, () -> r.start(xid(), TMNOFLAGS)); // already associated
        assertXaError(XAException.XAER_PROTO, () -> second.getXAResource().prepare(good)); // still active
        assertXaError(XAException.XAER_PROTO, () -> r.commit(good, false)); // not prepared
        assertXaError(XAException.XAER_INVAL, () -> second.getXAResource().start(xid(), 0x12345));
        assertXaError(XAException.XAER_INVAL, () -> r.recover(0x12345));

        r.end(good, TMSUCCESS);
        // prepare and commit may come from any connection to the same broker
        XAResource elsewhere = xaConnection().createXASession().getXAResource();
        assertThat(elsewhere.prepare(good)).isEqualTo(XA_OK);
        elsewhere.commit(good, false);
        assertThat(drain("xa.bad")).containsExactly("kept");

        second.close();
        assertXaError(XAException.XAER_RMFAIL, () -> second.getXAResource().start(xid(), TMNOFLAGS));
        c.close();
        assertXaError(XAException.XAER_RMFAIL, () -> r.recover(TMSTARTRSCAN));
    }

    @Test
    void aLostConnectionIsRmfail() throws Exception {
        XASession xa = xaConnection().createXASession();
        XAResource r = xa.getXAResource();
        Xid xid = xid();
        r.start(xid, TMNOFLAGS);
        xa.createProducer(xa.createQueue("xa.lost")).send(xa.createTextMessage("x"));
        r.end(xid, TMSUCCESS);
        broker.close();
        assertXaError(XAException.XAER_RMFAIL, () -> r.prepare(xid));
        assertXaError(XAException.XAER_RMFAIL, () -> r.commit(xid, true));
        startBroker();
        assertThat(drain("xa.lost")).isEmpty();
    }

    @Test
    void theResourceManagersIdentityLastsAcrossRestartsAndNamesItsDataDirectory() throws Exception {
        String before = broker.nodeId();
        XAResource r = xaConnection().createXASession().getXAResource();
        restart();
        assertThat(broker.nodeId()).isEqualTo(before);
        assertThat(java.nio.file.Files.readString(data.resolve("node.id")).trim()).isEqualTo(before);
        XAResource after = xaConnection().createXASession().getXAResource();
        assertThat(after.isSameRM(r)).as("a resource from before the restart").isTrue();
        try (EmbeddedBroker other = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0)
                .dataDirectory(data.resolve("other")).build())) {
            XAConnection c = new TernXAConnectionFactory(other.tcpUrl()).createXAConnection();
            connections.add(c);
            assertThat(c.createXASession().getXAResource().isSameRM(after)).as("another broker").isFalse();
        }
    }

    // ---- factories and contexts --------------------------------------------------------------------

    @Test
    void anXaContextSendsInItsBranchAndIsAlsoAPlainFactory() throws Exception {
        TernXAConnectionFactory f = factory();
        assertThat(f).isInstanceOf(XAConnectionFactory.class).isInstanceOf(ConnectionFactory.class);
        try (XAJMSContext context = f.createXAContext()) {
            assertThat(context.getTransacted()).isTrue();
            assertThatThrownBy(context::commit).isInstanceOf(TransactionInProgressRuntimeException.class);
            XAResource r = context.getXAResource();
            Xid xid = xid();
            r.start(xid, TMNOFLAGS);
            Queue q = context.createQueue("xa.context");
            context.createProducer().send(q, "ctx");
            r.end(xid, TMSUCCESS);
            assertThat(drain("xa.context")).isEmpty();
            r.commit(xid, true);
        }
        try (JMSContext plain = f.createContext()) {
            assertThat(plain.createConsumer(plain.createQueue("xa.context")).receiveBody(String.class, 2000))
                    .isEqualTo("ctx");
        }
    }
}
