package org.ternmq.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The outbound side in a container's hands (a pooling connection manager that enlists in Narayana
 * transactions, as servers do): JMS rules for the EE containers, work that joins the container's XA
 * transaction or a local one, the pool getting its connections back, and a broken connection reported.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OutboundTest {

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;
    private static TransactionManager tm;
    private TestContainer.Pool pool;
    private ConnectionFactory cf;
    private TernManagedConnectionFactory mcf;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir.resolve("broker")).build());
        tm = TestContainer.transactionManager(dir.resolve("tx"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @BeforeEach
    void pool() throws Exception {
        TernResourceAdapter ra = new TernResourceAdapter();
        ra.setConnectionUrl(broker.tcpUrl());
        ra.start(TestContainer.bootstrap());
        mcf = new TernManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        pool = new TestContainer.Pool();
        cf = (ConnectionFactory) mcf.createConnectionFactory(pool);
    }

    @AfterEach
    void closePool() throws Exception {
        if (tm.getTransaction() != null) {
            tm.rollback();
        }
        pool.transactionEnded();
        pool.close();
    }

    private static List<String> drain(String queue) throws Exception {
        return drain(broker.tcpUrl(), queue);
    }

    /** Everything on {@code queue} of the broker at {@code url}, consumed. */
    static List<String> drain(String url, String queue) throws Exception {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            // 1 s between messages: a drain of more than the prefetch waits for a refill, slow on a loaded machine
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(1000)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    private void send(String queue, String text) throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED); // arguments are ignored in a container
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(text));
        }
    }

    /**
     * The platform TCK compares {@code toString()} of the destination it looked up (the adapter's administered
     * object) with what the provider hands back for it (a browser's queue, a subscriber's topic): they must print
     * alike (the TCK's {@code ee.ejb.sessionQtests} failed on "MY_QUEUE" against "queue MY_QUEUE").
     */
    @Test
    void administeredDestinationsPrintLikeTheProvidersOwn() throws Exception {
        RaQueue queue = new RaQueue();
        queue.setName("ra.out.print.q");
        RaTopic topic = new RaTopic();
        topic.setName("ra.out.print.t");
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession();
            QueueBrowser browser = s.createBrowser(queue);
            assertThat(browser.getQueue().toString()).isEqualTo(queue.toString()).isEqualTo("ra.out.print.q");
            assertThat(s.createQueue("ra.out.print.q").toString()).isEqualTo(queue.toString());
            assertThat(s.createTopic("ra.out.print.t").toString()).isEqualTo(topic.toString());
        }
    }

    @Test
    void outsideATransactionASessionIsAutoAcknowledgeWhateverItWasAskedFor() throws Exception {
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            assertThat(s.getTransacted()).isFalse();
            assertThat(s.getAcknowledgeMode()).isEqualTo(Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("ra.out.auto")).send(s.createTextMessage("now"));
            assertThat(drain("ra.out.auto")).containsExactly("now");
            assertThatThrownBy(s::commit).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void insideAnXaTransactionTheWorkIsTheTransactions() throws Exception {
        tm.begin();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            assertThat(s.getTransacted()).isTrue();
            assertThatThrownBy(s::commit).isInstanceOf(TransactionInProgressException.class);
            assertThatThrownBy(s::rollback).isInstanceOf(TransactionInProgressException.class);
            assertThatThrownBy(s::recover).isInstanceOf(IllegalStateException.class);
            s.createProducer(s.createQueue("ra.out.xa")).send(s.createTextMessage("committed"));
        }
        assertThat(drain("ra.out.xa")).as("before the commit").isEmpty();
        tm.commit();
        pool.transactionEnded();
        assertThat(drain("ra.out.xa")).containsExactly("committed");

        tm.begin();
        send("ra.out.xa", "rolled back");
        tm.rollback();
        pool.transactionEnded();
        assertThat(drain("ra.out.xa")).isEmpty();
    }

    @Test
    void aReceiveInARolledBackTransactionComesBack() throws Exception {
        send("ra.out.recv", "r");
        tm.begin();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession();
            assertThat(s.createConsumer(s.createQueue("ra.out.recv")).receive(2000)).isNotNull();
        }
        tm.rollback();
        pool.transactionEnded();
        assertThat(drain("ra.out.recv")).containsExactly("r");
    }

    @Test
    void aLocalTransactionCommitsOrRollsBackTheSessionsWork() throws Exception {
        ManagedConnection mc = mcf.createManagedConnection(null, null);
        try {
            LocalTransaction lt = mc.getLocalTransaction();
            Connection c = (Connection) mc.getConnection(null, null);
            lt.begin();
            Session s = c.createSession();
            assertThat(s.getTransacted()).isTrue();
            s.createProducer(s.createQueue("ra.out.local")).send(s.createTextMessage("kept"));
            lt.commit();
            lt.begin();
            s.createProducer(s.createQueue("ra.out.local")).send(s.createTextMessage("dropped"));
            lt.rollback();
            assertThat(drain("ra.out.local")).containsExactly("kept");
            assertThatThrownBy(lt::commit).isInstanceOf(jakarta.resource.spi.IllegalStateException.class);
        } finally {
            mc.destroy();
        }
    }

    @Test
    void whatTheContainerOwnsIsRefused() throws Exception {
        try (Connection c = cf.createConnection()) {
            assertThatThrownBy(() -> c.setClientID("x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Jakarta EE");
            assertThatThrownBy(() -> c.setExceptionListener(e -> { })).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(c::stop).isInstanceOf(IllegalStateException.class);
            Session s = c.createSession();
            assertThatThrownBy(c::createSession).as("a second session").isInstanceOf(IllegalStateException.class);
            MessageConsumer consumer = s.createConsumer(s.createQueue("ra.out.rules"));
            assertThatThrownBy(() -> consumer.setMessageListener(m -> { })).isInstanceOf(IllegalStateException.class);
            var producer = s.createProducer(s.createQueue("ra.out.rules"));
            assertThatThrownBy(() -> producer.send(s.createMessage(), new jakarta.jms.CompletionListener() {
                @Override
                public void onCompletion(Message message) {
                }

                @Override
                public void onException(Message message, Exception exception) {
                }
            })).isInstanceOf(IllegalStateException.class);
            s.close();
            c.createSession().close(); // after the first closed, another is fine
        }
    }

    /**
     * A pooled connection whose factory sets a client id holds it only while it is in use (the platform TCK's
     * {@code ee.ejb.sessionTtests} and {@code ee.ejbweb.xa} failed with "client id 'cts' is in use": an idle
     * connection in the server's pool kept it from the application client's pool and from the same pool's
     * connection for other credentials). A transaction still open when the handle is closed keeps it until the
     * branch is finished, and its work is the transaction's.
     */
    @Test
    void aPooledConnectionWithAClientIdHoldsItOnlyWhileInUse() throws Exception {
        TernManagedConnectionFactory withId = new TernManagedConnectionFactory();
        withId.setResourceAdapter(mcf.getResourceAdapter());
        withId.setClientId("ra-cid");
        TestContainer.Pool idPool = new TestContainer.Pool();
        ConnectionFactory idCf = (ConnectionFactory) withId.createConnectionFactory(idPool);
        TernConnectionFactory plain = new TernConnectionFactory(broker.tcpUrl());
        try {
            try (Connection c = idCf.createConnection()) {
                assertThat(c.getClientID()).isEqualTo("ra-cid");
                assertThatThrownBy(() -> claim(plain, "ra-cid")).as("in use")
                        .isInstanceOf(InvalidClientIDException.class);
            }
            assertThat(idPool.idle).as("back in the pool").hasSize(1);
            claim(plain, "ra-cid");

            // the pool hands out the same managed connection again: it connects anew, with the id
            try (Connection c = idCf.createConnection()) {
                assertThat(c.getClientID()).isEqualTo("ra-cid");
                Session s = c.createSession();
                s.createProducer(s.createQueue("ra.out.cid")).send(s.createTextMessage("outside"));
            }
            assertThat(idPool.created).hasValue(1);
            assertThat(drain("ra.out.cid")).containsExactly("outside");

            tm.begin();
            try (Connection c = idCf.createConnection()) {
                Session s = c.createSession();
                s.createProducer(s.createQueue("ra.out.cid")).send(s.createTextMessage("in the transaction"));
            }
            assertThatThrownBy(() -> claim(plain, "ra-cid")).as("until the branch is finished")
                    .isInstanceOf(InvalidClientIDException.class);
            tm.commit();
            idPool.transactionEnded();
            claim(plain, "ra-cid");
            assertThat(drain("ra.out.cid")).containsExactly("in the transaction");
        } finally {
            idPool.close();
        }
    }

    /** Connects with client id {@code id} and closes again. */
    private static void claim(TernConnectionFactory factory, String id) throws Exception {
        try (Connection c = factory.createConnection()) {
            c.setClientID(id);
        }
    }

    @Test
    void theXaResourceIsAlwaysTheSameInstance() throws Exception {
        ManagedConnection mc = mcf.createManagedConnection(null, null);
        try {
            assertThat(mc.getXAResource()).isSameAs(mc.getXAResource());
        } finally {
            mc.destroy();
        }
    }

    @Test
    void aContextFromTheFactoryWorksInATransaction() throws Exception {
        tm.begin();
        try (JMSContext ctx = cf.createContext()) {
            ctx.createProducer().send(ctx.createQueue("ra.out.ctx"), "ctx");
        }
        tm.commit();
        pool.transactionEnded();
        assertThat(drain("ra.out.ctx")).containsExactly("ctx");
    }

    /** The platform TCK's ee20 cditests inject @JMSSessionMode(DUPS_OK_ACKNOWLEDGE) contexts and check the mode. */
    @Test
    void aContextAskedForDupsOkSaysSoAndDeliversOtherModesAreAuto() throws Exception {
        try (JMSContext ctx = cf.createContext(JMSContext.DUPS_OK_ACKNOWLEDGE)) {
            assertThat(ctx.getSessionMode()).isEqualTo(JMSContext.DUPS_OK_ACKNOWLEDGE);
            ctx.createProducer().send(ctx.createQueue("ra.out.dups"), "dups");
        }
        assertThat(drain("ra.out.dups")).containsExactly("dups");
        try (JMSContext ctx = cf.createContext(JMSContext.CLIENT_ACKNOWLEDGE)) {
            assertThat(ctx.getSessionMode()).isEqualTo(JMSContext.AUTO_ACKNOWLEDGE);
        }
    }

    @Test
    void tenThousandRequestsReuseAFewPooledConnections() throws Exception {
        int threadsBefore = Thread.activeCount();
        for (int i = 0; i < 10_000; i++) {
            try (Connection c = cf.createConnection()) {
                Session s = c.createSession();
                s.createProducer(s.createQueue("ra.out.many")).send(s.createTextMessage("m"));
            }
        }
        assertThat(pool.created.get()).as("physical connections for 10,000 sequential requests").isEqualTo(1);
        assertThat(drain("ra.out.many")).hasSize(10_000);
        assertThat(Thread.activeCount()).as("threads").isLessThan(threadsBefore + 10);
    }

    /** The container gets a ResourceException (which its pool and its recovery expect), the application a JMSException. */
    @Test
    void aBrokerThatIsDownIsAResourceExceptionForTheContainerAndAJmsExceptionForTheApplication() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        mcf.setConnectionUrl("tern://127.0.0.1:" + port);
        assertThatThrownBy(() -> mcf.createManagedConnection(null, null))
                .isInstanceOf(jakarta.resource.spi.ResourceAdapterInternalException.class)
                .hasMessageContaining("cannot connect to Tern at tern://127.0.0.1:" + port)
                .hasCauseInstanceOf(jakarta.jms.JMSException.class);
        assertThatThrownBy(cf::createConnection).isInstanceOf(jakarta.jms.JMSException.class)
                .hasMessageContaining("cannot get a Tern connection");
    }

    @Test
    void aBrokenConnectionIsReportedSoThePoolDropsIt() throws Exception {
        try (EmbeddedBroker other = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0)
                .dataDirectory(dir.resolve("other")).build())) {
            mcf.setConnectionUrl(other.tcpUrl());
            Connection c = cf.createConnection();
            c.close();
            assertThat(pool.idle).hasSize(1);
            other.close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> pool.errors.get() == 1);
            assertThat(pool.idle).isEmpty();
        }
    }
}
