package org.ternmq.ra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.transaction.xa.XAResource;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XASession;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.transaction.TransactionManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.jms.TernXAConnectionFactory;
import org.ternmq.protocol.XidValue;

/**
 * Message-driven delivery through the adapter with a container's endpoints (Narayana transactions): transacted
 * delivery commits the acknowledgement with the bean's work; a bean that throws rolls back, the message comes
 * back per the broker's policy and ends in the dead-letter queue with the exception; durable subscriptions
 * survive a redeploy; an activation reconnects after the broker restarts; recovery resources find prepared
 * branches; bad activation properties are named.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InboundTest {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private int port;
    private TernResourceAdapter ra;
    private TransactionManager tm;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startBroker();
        tm = TestContainer.transactionManager(dir.resolve("tx"));
        ra = new TernResourceAdapter();
        ra.setConnectionUrl("tern://127.0.0.1:" + port);
        ra.setReconnectInterval(200L);
        ra.start(TestContainer.bootstrap());
    }

    private void startBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(port).dataDirectory(dir.resolve("broker")).build());
    }

    @AfterEach
    void stop() {
        ra.stop();
        broker.close();
    }

    private TernActivationSpec queueSpec(String queue) throws Exception {
        TernActivationSpec spec = new TernActivationSpec();
        spec.setResourceAdapter(ra);
        spec.setDestination(queue);
        spec.setDestinationType("jakarta.jms.Queue");
        spec.setMaxSession(2);
        return spec;
    }

    private void send(String destination, boolean topic, String text) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            Session s = c.createSession();
            s.createProducer(topic ? s.createTopic(destination) : s.createQueue(destination))
                    .send(s.createTextMessage(text));
        }
    }

    /** Consumers of a queue or durable subscription, as the broker's management lists them. */
    private int consumers(String queue) {
        for (String line : broker.management().listQueues().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals(queue)) {
                return Integer.parseInt(f[2]);
            }
        }
        return 0;
    }

    private List<String> drain(String queue) throws Exception {
        List<String> texts = new java.util.ArrayList<>();
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
    void aTransactedBeanConsumesAndItsFailuresGoBackThenToTheDeadLetterQueue() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> {
            try {
                String text = ((TextMessage) m).getText();
                seen.add(text + "#" + m.getIntProperty("JMSXDeliveryCount"));
                if (text.startsWith("poison")) {
                    throw new IllegalArgumentException("cannot handle " + text);
                }
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        TernActivationSpec spec = queueSpec("ra.in.tx");
        ra.endpointActivation(endpoints, spec);
        send("ra.in.tx", false, "good");
        send("ra.in.tx", false, "poison");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("poison#10"));
        ra.endpointDeactivation(endpoints, spec);
        assertThat(seen).contains("good#1").doesNotContain("good#2");
        assertThat(drain("ra.in.tx")).as("nothing left: consumed, or dead-lettered").isEmpty();
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            c.start();
            Session s = c.createSession();
            Message dead = s.createConsumer(s.createQueue("DLQ")).receive(2000);
            assertThat(((TextMessage) dead).getText()).isEqualTo("poison");
            assertThat(dead.getStringProperty("JMS_TERN_DeadLetterException"))
                    .contains("IllegalArgumentException").contains("cannot handle poison");
        }
        assertThat(endpoints.released.get()).isEqualTo(2);
    }

    @Test
    void aNonTransactedBeanIsAutoAcknowledgedAndGetsAFailedMessageAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(false, m -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
        });
        TernActivationSpec spec = queueSpec("ra.in.auto");
        spec.setMaxSession(1);
        ra.endpointActivation(endpoints, spec);
        send("ra.in.auto", false, "once");
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 2);
        Thread.sleep(300);
        ra.endpointDeactivation(endpoints, spec);
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(drain("ra.in.auto")).isEmpty();
    }

    @Test
    void aDurableSubscriptionKeepsWhatWasPublishedWhileItsBeanWasUndeployed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> {
            try {
                seen.add(((TextMessage) m).getText());
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        TernActivationSpec spec = new TernActivationSpec();
        spec.setResourceAdapter(ra);
        spec.setDestination("ra.in.topic");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName("durable-mdb");
        spec.setClientId("ra-test");
        spec.setMaxSession(1);
        ra.endpointActivation(endpoints, spec);
        // the activation subscribes in the background: what is published before is not for it
        await().atMost(Duration.ofSeconds(10)).until(() -> consumers("ra.in.topic::ra-test.durable-mdb") == 1);
        send("ra.in.topic", true, "first");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("first"));
        ra.endpointDeactivation(endpoints, spec);
        send("ra.in.topic", true, "while away");
        TernActivationSpec again = new TernActivationSpec();
        again.setResourceAdapter(ra);
        again.setDestination("ra.in.topic");
        again.setDestinationType("jakarta.jms.Topic");
        again.setSubscriptionDurability("Durable");
        again.setSubscriptionName("durable-mdb");
        again.setClientId("ra-test");
        again.setMaxSession(1);
        ra.endpointActivation(endpoints, again);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("while away"));
        ra.endpointDeactivation(endpoints, again);
    }

    /**
     * A durable MDB told only its connection factory (connectionFactoryLookup, as GlassFish's descriptors name a
     * durable factory such as the TCK's jms/DURABLE_BMT_CONNECTION_FACTORY with ClientId=cts2) subscribes with that
     * factory's client id; before, validate() refused it for want of a client id on the activation.
     */
    @Test
    void aDurableSubscriptionTakesTheClientIdOfTheFactoryItsActivationLooksUp() throws Exception {
        TernManagedConnectionFactory mcf = new TernManagedConnectionFactory();
        mcf.setResourceAdapter(ra);
        mcf.setClientId("cts2");
        MapContextFactory.BOUND.put("jms/DurableFactory", mcf.createConnectionFactory(new TestContainer.Pool()));
        String before = System.getProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
        System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, MapContextFactory.class.getName());
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> { });
        TernActivationSpec spec = new TernActivationSpec();
        spec.setResourceAdapter(ra);
        spec.setDestination("ra.in.topic");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName("by-factory");
        spec.setConnectionFactoryLookup("jms/DurableFactory");
        spec.setMaxSession(1);
        try {
            spec.validate();
            ra.endpointActivation(endpoints, spec);
            await().atMost(Duration.ofSeconds(10)).until(() -> consumers("ra.in.topic::cts2.by-factory") == 1);
            ra.endpointDeactivation(endpoints, spec);
        } finally {
            MapContextFactory.BOUND.clear();
            if (before == null) {
                System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
            } else {
                System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, before);
            }
        }
    }

    /**
     * A durable MDB with no client id anywhere (the platform TCK's ee20 "noselnocidautodurable" beans) gets a shared
     * durable subscription named by its subscription name, which keeps what is published while the bean is away;
     * before, validate() refused such an activation.
     */
    @Test
    void aDurableSubscriptionWithoutAnyClientIdIsSharedAndKeepsWhatWasPublishedWhileAway() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> {
            try {
                seen.add(((TextMessage) m).getText());
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        TernActivationSpec spec = durableWithoutClientId();
        ra.endpointActivation(endpoints, spec);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            send("ra.in.nocid", true, "probe");
            return seen.contains("probe");
        });
        ra.endpointDeactivation(endpoints, spec);
        send("ra.in.nocid", true, "while away");
        TernActivationSpec again = durableWithoutClientId();
        ra.endpointActivation(endpoints, again);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("while away"));
        ra.endpointDeactivation(endpoints, again);
    }

    private TernActivationSpec durableWithoutClientId() throws Exception {
        TernActivationSpec spec = new TernActivationSpec();
        spec.setResourceAdapter(ra);
        spec.setDestination("ra.in.nocid");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.setSubscriptionDurability("Durable");
        spec.setSubscriptionName("no-client-id");
        spec.setMaxSession(1);
        spec.validate();
        return spec;
    }

    /**
     * A topic MDB that sets no maxSession (every TCK topic MDB) has an unshared subscription, so one session; before,
     * the default of 10 sessions made validate() refuse every such activation.
     */
    @Test
    void aTopicActivationWithoutMaxSessionHasOneConsumerAndIsValid() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> {
            try {
                seen.add(((TextMessage) m).getText());
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        TernActivationSpec spec = new TernActivationSpec();
        spec.setResourceAdapter(ra);
        spec.setDestination("ra.in.plain.topic");
        spec.setDestinationType("jakarta.jms.Topic");
        spec.validate();
        ra.endpointActivation(endpoints, spec);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            send("ra.in.plain.topic", true, "probe");
            return seen.contains("probe");
        });
        ra.endpointDeactivation(endpoints, spec);
    }

    @Test
    void aConnectionFactoryLookupThatNamesNothingFailsTheActivationByName() throws Exception {
        String before = System.getProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
        System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, MapContextFactory.class.getName());
        TernActivationSpec spec = queueSpec("ra.in.nofactory");
        spec.setConnectionFactoryLookup("jms/Missing");
        try {
            assertThatThrownBy(() -> ra.endpointActivation(new TestContainer.Endpoints(true, m -> { }), spec))
                    .isInstanceOf(jakarta.resource.ResourceException.class)
                    .hasMessageContaining("connectionFactoryLookup 'jms/Missing' is not bound");
        } finally {
            if (before == null) {
                System.clearProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY);
            } else {
                System.setProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY, before);
            }
        }
    }

    @Test
    void anActivationResumesAfterTheBrokerRestartsAndLosesNothing() throws Exception {
        activationCarriesOnThroughARestart();
    }

    /**
     * The same with {@code failover=true} in the adapter's URL: the client re-creates the activation's
     * connection and consumers itself (the adapter's own reconnection is switched off here); a delivery under
     * way when the broker went away is rolled back and comes again, so every message is committed once.
     */
    @Test
    void anActivationOnAFailoverUrlCarriesOnThroughARestartAndLosesNothing() throws Exception {
        ra.stop();
        ra = new TernResourceAdapter();
        ra.setConnectionUrl("tern://127.0.0.1:" + port + "?failover=true&reconnectDelay=50&maxReconnectDelay=500");
        // the adapter's own reconnection out of the way (one attempt, ten minutes after a loss): only the
        // client's failover can carry the activation over in time
        ra.setReconnectAttempts(0);
        ra.setReconnectInterval(600_000L);
        ra.start(TestContainer.bootstrap());
        activationCarriesOnThroughARestart();
    }

    private void activationCarriesOnThroughARestart() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestContainer.Endpoints endpoints = new TestContainer.Endpoints(true, m -> {
            try {
                seen.add(((TextMessage) m).getText());
            } catch (jakarta.jms.JMSException e) {
                throw new IllegalStateException(e);
            }
        });
        TernActivationSpec spec = queueSpec("ra.in.restart");
        ra.endpointActivation(endpoints, spec);
        send("ra.in.restart", false, "before");
        // committed, not only seen: a broker stopped before the commit gives the message again, rightly
        await().atMost(Duration.ofSeconds(10)).until(() -> endpoints.committed.get() == 1);
        broker.close();
        startBroker();
        send("ra.in.restart", false, "after");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("after"));
        ra.endpointDeactivation(endpoints, spec);
        assertThat(seen).containsOnlyOnce("before");
    }

    @Test
    void recoveryResourcesListAndFinishPreparedBranches() throws Exception {
        XidValue xid = new XidValue(77, "ra-recovery".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[] {1});
        try (jakarta.jms.XAConnection c = new TernXAConnectionFactory(broker.tcpUrl()).createXAConnection()) {
            XASession s = c.createXASession();
            XAResource r = s.getXAResource();
            r.start(xid, XAResource.TMNOFLAGS);
            s.createProducer(s.createQueue("ra.in.recovered")).send(s.createTextMessage("in doubt"));
            r.end(xid, XAResource.TMSUCCESS);
            assertThat(r.prepare(xid)).isEqualTo(XAResource.XA_OK);
        }
        XAResource[] resources = ra.getXAResources(new jakarta.resource.spi.ActivationSpec[] {queueSpec("x")});
        assertThat(resources).hasSize(1);
        assertThat(resources[0].recover(XAResource.TMSTARTRSCAN)).containsExactly(xid);
        resources[0].commit(xid, false);
        assertThat(drain("ra.in.recovered")).containsExactly("in doubt");
        broker.close();
        assertThatThrownBy(() -> resources[0].recover(XAResource.TMSTARTRSCAN))
                .isInstanceOf(javax.transaction.xa.XAException.class)
                .satisfies(e -> assertThat(((javax.transaction.xa.XAException) e).errorCode)
                        .isEqualTo(javax.transaction.xa.XAException.XAER_RMFAIL));
        startBroker();
        assertThat(resources[0].recover(XAResource.TMSTARTRSCAN)).as("reconnected").isEmpty();
    }

    /**
     * A transaction manager compares the resources it recovers with, both ways round: a recovery resource is the
     * same resource manager as another of the same broker, and not as a connection's XAResource, whichever asks.
     */
    @Test
    void recoveryResourcesAnswerIsSameRmAlikeBothWays() throws Exception {
        XAResource recovery = ra.getXAResources(new jakarta.resource.spi.ActivationSpec[0])[0];
        TernResourceAdapter other = new TernResourceAdapter();
        other.setConnectionUrl("tern://127.0.0.1:" + port);
        XAResource otherRecovery = other.getXAResources(null)[0];
        try (jakarta.jms.XAConnection c = new TernXAConnectionFactory(broker.tcpUrl()).createXAConnection()) {
            XAResource connection = c.createXASession().getXAResource();
            assertThat(recovery.isSameRM(connection)).isFalse();
            assertThat(connection.isSameRM(recovery)).isFalse();
            assertThat(recovery.isSameRM(otherRecovery)).isTrue();
            assertThat(otherRecovery.isSameRM(recovery)).isTrue();
            assertThat(recovery.isSameRM(recovery)).isTrue();
        } finally {
            other.stop();
        }
    }

    @Test
    void badActivationPropertiesAreNamedTogether() {
        TernActivationSpec spec = new TernActivationSpec();
        spec.setDestinationType("jakarta.jms.Mailbox");
        spec.setAcknowledgeMode("Client-acknowledge");
        spec.setSubscriptionDurability("Durable");
        spec.setMaxSession(0);
        spec.setMessageSelector("price >");
        spec.setReconnectAttempts(-5);
        spec.setConnectionUrl("http://nowhere");
        assertThatThrownBy(spec::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining("destination or destinationLookup")
                .hasMessageContaining("destinationType: must be jakarta.jms.Queue or jakarta.jms.Topic")
                .hasMessageContaining("acknowledgeMode: must be Auto-acknowledge or Dups-ok-acknowledge")
                .hasMessageContaining("subscriptionName: a durable subscription needs a name")
                .hasMessageContaining("maxSession: must be at least 1")
                .hasMessageContaining("messageSelector:")
                .hasMessageContaining("reconnectAttempts")
                .hasMessageContaining("connectionUrl 'http://nowhere'");
        TernActivationSpec topic = new TernActivationSpec();
        topic.setDestination("t");
        topic.setDestinationType("jakarta.jms.Topic");
        topic.setMaxSession(4);
        assertThatThrownBy(topic::validate).hasMessageContaining("an unshared topic subscription has one consumer");
        TernActivationSpec queue = new TernActivationSpec();
        queue.setDestination("q");
        queue.setSubscriptionDurability("Durable");
        queue.setSubscriptionName("n");
        queue.setClientId("c");
        assertThatThrownBy(queue::validate).hasMessageContaining("Durable is for a topic");
    }
}
