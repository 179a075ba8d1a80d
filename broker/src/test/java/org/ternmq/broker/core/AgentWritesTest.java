package org.ternmq.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.persistence.JournalStore;
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
