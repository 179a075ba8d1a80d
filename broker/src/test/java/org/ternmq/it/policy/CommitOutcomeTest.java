package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A commit whose answer a lost connection took ({@code failover=true}): the client asks the broker it fails over to
 * whether the commit happened and tells the application exactly that. A transacted session moves a message from
 * {@code in} to {@code out}; a {@link TcpProxy} between it and the broker swallows the commit's answer (the
 * commit happened; also with the broker restarted before the client reconnects) or the commit itself (it did not),
 * then cuts the connection; or it holds the commit, cuts only the client's side and delivers the commit to the
 * still open old connection after the client was told the commit did not happen (it must not happen then).
 */
class CommitOutcomeTest extends PolicyTestBase {

    private static final String FAILOVER =
            "?failover=true&reconnectDelay=50&maxReconnectDelay=200&reconnectAttempts=100";

    @ParameterizedTest(name = "broker restarted in between: {0}")
    @ValueSource(booleans = {false, true})
    void aCommitThatHappenedIsReportedDoneAndItsMessageIsNotDeliveredAgain(boolean restart) throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection client = failingOver(proxy)) {
            Moving tx = new Moving(client);
            proxy.dropAnswers();
            CompletableFuture<Void> commit = tx.commitInBackground();
            awaitOut(1); // the broker committed; the answer is lost
            if (restart) {
                broker.restart(); // the commit's record is read back from the journal
                proxy.retarget(broker.tcpPort());
            }
            proxy.cut();

            commit.get(30, TimeUnit.SECONDS); // without the outcome: TransactionRolledBackException
            assertThat(tx.consumer.receive(300)).as("the moved message is not delivered again").isNull();
        }
        assertThat(drain("out")).containsExactly("m");
        assertThat(drain("in")).isEmpty();
    }

    @Test
    void aCommitThatNeverReachedTheBrokerIsReportedRolledBackAndItsMessageComesAgain() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection client = failingOver(proxy)) {
            Moving tx = new Moving(client);
            proxy.dropRequests();
            CompletableFuture<Void> commit = tx.commitInBackground();
            Thread.sleep(200); // the commit went out on the connection about to be lost
            proxy.cut();

            assertThatThrownBy(() -> commit.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TransactionRolledBackException.class)
                    .cause().hasMessageContaining("no record");
            Message again = tx.consumer.receive(5000);
            assertThat(text(again)).isEqualTo("m");
            assertThat(again.getJMSRedelivered()).isTrue();
            tx.session.commit(); // moves nothing this time: the session goes on
        }
        assertThat(drain("out")).isEmpty();
        assertThat(drain("in")).isEmpty();
    }

    @Test
    void aCommitTheSameBrokerHasNotReadYetCannotHappenAfterItWasReportedRolledBack() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort());
                Connection client = failingOver(proxy, "&heartbeat=0")) { // the broker never closes the old one itself
            Moving tx = new Moving(client);
            proxy.holdRequests();
            CompletableFuture<Void> commit = tx.commitInBackground();
            Thread.sleep(200); // the commit is held on the way
            proxy.cutClients(); // the client sees its connection fail; the broker still has it open

            assertThatThrownBy(() -> commit.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TransactionRolledBackException.class)
                    .cause().hasMessageContaining("no record");
            proxy.releaseHeld(); // the old connection's commit comes late: it must not happen now
            Message again = tx.consumer.receive(5000);
            assertThat(text(again)).as("the message of the transaction reported rolled back comes again").isEqualTo("m");
            assertThat(again.getJMSRedelivered()).isTrue();
            tx.session.commit();
        }
        assertThat(drain("out")).isEmpty();
        assertThat(drain("in")).isEmpty();
    }

    /** A transacted session through the proxy that received "m" from {@code in} and sent it on to {@code out}. */
    private final class Moving {
        final Session session;
        final MessageConsumer consumer;

        Moving(Connection client) throws JMSException {
            Session setup = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
            send(setup, setup.createQueue("in"), "m");
            session = client.createSession(Session.SESSION_TRANSACTED);
            consumer = session.createConsumer(session.createQueue("in"));
            Message m = consumer.receive(5000);
            assertThat(text(m)).isEqualTo("m");
            session.createProducer(session.createQueue("out")).send(session.createTextMessage(text(m)));
            // a transacted send is not waited for: a round trip after it makes sure its answer is back, so that
            // what the proxy swallows from now on is the commit (or its answer) only
            client.createSession(Session.AUTO_ACKNOWLEDGE).close();
        }

        CompletableFuture<Void> commitInBackground() {
            return CompletableFuture.runAsync(() -> {
                try {
                    session.commit();
                } catch (JMSException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        }
    }

    private Connection failingOver(TcpProxy proxy) throws JMSException {
        return failingOver(proxy, "");
    }

    private Connection failingOver(TcpProxy proxy, String options) throws JMSException {
        Connection c = new TernConnectionFactory(proxy.url() + FAILOVER + options).createConnection();
        c.start();
        return c;
    }

    /** Waits until {@code out} holds {@code n} messages, seen by a browser on a connection of its own. */
    private void awaitOut(int n) throws JMSException {
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        Queue out = s.createQueue("out");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            QueueBrowser b = s.createBrowser(out);
            int seen = Collections.list(b.getEnumeration()).size();
            b.close();
            return seen == n;
        });
    }

    /** Everything {@code queue} holds now, received on a connection of its own. */
    private java.util.List<String> drain(String queue) throws JMSException {
        Session s = broker.connect().createSession(Session.AUTO_ACKNOWLEDGE);
        MessageConsumer c = s.createConsumer(s.createQueue(queue));
        java.util.List<String> texts = new java.util.ArrayList<>();
        for (Message m = c.receive(1000); m != null; m = c.receive(300)) {
            texts.add(text(m));
        }
        return texts;
    }
}
