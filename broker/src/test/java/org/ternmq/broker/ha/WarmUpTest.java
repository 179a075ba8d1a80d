package org.ternmq.broker.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.replication.ClosingTest;
import org.ternmq.broker.replication.ReplicationConfig;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.SyncPolicy;

/**
 * The warm-up of a candidate ({@code --warm-up}): it runs the live path on a scratch journal while the candidate
 * already follows the live broker, joins the election only after it, leaves nothing behind (no scratch directory, no
 * message in the real journal, no acceptor), and a warm-up that fails or is cut short changes nothing else.
 */
class WarmUpTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;

    @TempDir
    Path dir;

    private BrokerConfig config(String name) {
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).build();
    }

    private static ReplicationConfig replication() {
        return new ReplicationConfig("c1", "127.0.0.1", 0, ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0);
    }

    private Candidate candidate(TestingServer zk, String name, boolean warmUp) throws Exception {
        Candidate c = new Candidate(config(name), replication(),
                new ZooKeeperSettings(zk.getConnectString(), "/tern/c1", 1500, 5000), null);
        c.warmUp(warmUp);
        open.add(c);
        c.start();
        return c;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCandidateWarmsUpWhileItFollowsThenTakesOverWithEveryMessageAndNothingOfTheWarmUp() throws Exception {
        TestingServer zk = new TestingServer(new InstanceSpec(dir.resolve("zk").toFile(), -1, -1, -1, true, -1, 100, -1),
                true);
        open.add(zk);
        Candidate a = candidate(zk, "a", false);
        await().atMost(Duration.ofSeconds(20)).until(() -> a.liveBroker() != null);
        EmbeddedBroker liveA = a.liveBroker();
        Candidate b = candidate(zk, "b", true);
        // it follows (and is in sync) before its warm-up ends
        await().atMost(Duration.ofSeconds(20)).until(() -> liveA.replication().inSyncCount() == 1);
        send(liveA.tcpUrl(), 0, 50);
        long millis = b.warmedUp().get(60, TimeUnit.SECONDS);
        assertThat(millis).as("warm-up time").isNotNegative();
        assertThat(dir.resolve("b").resolve(WarmUp.DIRECTORY)).doesNotExist();
        send(liveA.tcpUrl(), 50, 100);

        a.close();
        open.remove(a);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.liveBroker() != null);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("m-" + i);
        }
        assertThat(drain(b.liveBroker().tcpUrl(), "q")).isEqualTo(expected);
        assertThat(b.liveBroker().management().listQueues()).doesNotContain("tern.warm-up");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWarmUpAskedToStopEndsEarlyAndLeavesNothing() {
        BrokerConfig config = config("s");
        long millis = WarmUp.run(config, replication(), () -> true);
        assertThat(millis).isNotNegative();
        assertThat(dir.resolve("s").resolve(WarmUp.DIRECTORY)).doesNotExist();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aWarmUpThatFailsReportsItAndLeavesNothing() throws Exception {
        Files.writeString(dir.resolve("f"), "a file where the data directory should be");
        long millis = WarmUp.run(config("f"), replication(), () -> false);
        assertThat(millis).isEqualTo(-1);
        assertThat(dir.resolve("f")).isRegularFile();
    }

    @Test
    void theScratchBrokerAcceptsNoClientFromOutsideThisJvm() {
        BrokerConfig scratch = WarmUp.scratchConfig(config("x"), dir.resolve("x").resolve(WarmUp.DIRECTORY));
        assertThat(scratch.tcpPort()).isEqualTo(-1);
        assertThat(scratch.inVmName()).startsWith("tern-warm-up-");
        assertThat(scratch.managementPort()).isEqualTo(-1);
        assertThat(scratch.jmxPort()).isEqualTo(-1);
        assertThat(scratch.journalSegmentSize()).isLessThanOrEqualTo(SEGMENT);
    }

    private static void send(String url, int from, int to) throws JMSException {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("q"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = from; i < to; i++) {
                p.send(s.createTextMessage("m-" + i));
            }
        }
    }

    private static List<String> drain(String url, String queue) throws JMSException {
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }
}
