package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.persistence.JournalStore;
import org.ternmq.broker.replication.ReplicationConfig;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.JournalConfig;
import org.ternmq.store.SyncPolicy;

/**
 * {@code journal-agent-writes}: a lone synchronous producer's batches are written and forced by the agent thread
 * itself (the journal counts them), every message is stored and delivered, and a broker started again on the same
 * directory has what was not consumed; switched off, the journal's writer thread writes every batch.
 */
class AgentWritesTest {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path data;

    private BrokerConfig config(boolean agentWrites) {
        return BrokerConfig.builder().tcpPort(0).host("127.0.0.1").inVmName("agent-writes-" + NAMES.incrementAndGet())
                .dataDirectory(data).journalSegmentSize(2 << 20).maxFrameLength(1 << 20)
                .syncPolicy(SyncPolicy.DATA).journalAgentWrites(agentWrites).build();
    }

    /**
     * Sends and receives on one session of a live broker whose journal does not force before completing (ASYNC, as a
     * candidate's warm-up runs): a send's answer completes in the same write as the delivery that waits for it, and is
     * written behind that held delivery while the agent writes; a task of its own must release it (without one the
     * answer stayed held until some other task ran, and the send timed out).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anAnswerWrittenBehindAHeldDeliveryWhileTheAgentWritesLeavesWithIt() throws Exception {
        BrokerConfig config = BrokerConfig.builder().tcpPort(-1).inVmName("agent-writes-" + NAMES.incrementAndGet())
                .dataDirectory(data).journalSegmentSize(2 << 20).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.ASYNC)
                .expiryScanPeriod(60_000) // its task would release a stuck answer within a second
                .build();
        ReplicationConfig replication = new ReplicationConfig("agent-writes", "127.0.0.1", 0,
                ReplicationConfig.Mode.ASYNC, 1, 2000, config.journalSegmentSize(), 0);
        try (EmbeddedBroker broker = EmbeddedBroker.startLive(config, replication);
             Connection c = new TernConnectionFactory(broker.vmUrl() + "?requestTimeout=3000").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("one-session"));
            MessageConsumer consumer = s.createConsumer(s.createQueue("one-session"));
            c.start();
            for (int i = 0; i < 200; i++) {
                producer.send(s.createTextMessage("m" + i));
                TextMessage m = (TextMessage) consumer.receive(5000);
                assertThat(m).as("message " + i).isNotNull();
                assertThat(m.getText()).isEqualTo("m" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLoneProducersBatchesAreWrittenByTheAgentWhenAskedAndNothingIsLost(boolean agentWrites) throws Exception {
        BrokerConfig config = config(agentWrites);
        JournalStore store = JournalStore.open(JournalConfig.builder(config.journalDirectory())
                .set(JournalConfig.SYNC_POLICY, config.syncPolicy())
                .set(JournalConfig.SEGMENT_SIZE, config.journalSegmentSize())
                .set(JournalConfig.MAX_PAYLOAD_SIZE, config.maxFrameLength()).build());
        try (EmbeddedBroker broker = EmbeddedBroker.start(config, store);
             Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("lone"));
            for (int i = 0; i < 60; i++) {
                producer.send(s.createTextMessage("m" + i)); // persistent, answered once forced
            }
            MessageConsumer consumer = s.createConsumer(s.createQueue("lone"));
            c.start();
            for (int i = 0; i < 40; i++) {
                TextMessage m = (TextMessage) consumer.receive(5000);
                assertThat(m).as("message " + i).isNotNull();
                assertThat(m.getText()).isEqualTo("m" + i);
            }
            consumer.close();
            long byAgent = store.journalStats().callerBatches();
            if (agentWrites) {
                // at least one: once its own writes average over a millisecond the agent leaves the next second's
                // batches to the journal's writer (JournalStore#holdWrites), which a slow machine may need
                assertThat(byAgent).as("batches the agent wrote itself").isPositive();
            } else {
                assertThat(byAgent).as("batches the agent wrote itself").isZero();
            }
        }
        try (EmbeddedBroker restarted = EmbeddedBroker.start(config(agentWrites));
             Connection c = new TernConnectionFactory(restarted.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("lone"));
            c.start();
            for (int i = 40; i < 60; i++) {
                TextMessage m = (TextMessage) consumer.receive(5000);
                assertThat(m).as("message " + i + " after the restart").isNotNull();
                assertThat(m.getText()).isEqualTo("m" + i);
            }
            assertThat(consumer.receive(300)).as("nothing consumed comes back").isNull();
        }
    }
}
