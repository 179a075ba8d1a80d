package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.management.BackupMetrics;
import org.ternmq.broker.management.http.MetricsOptionsTest;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.JournalReplica;
import org.ternmq.store.SyncPolicy;

/**
 * Replication lag as metrics: the live broker's {@code /metrics} has each backup's lag (bytes, batches, seconds) and
 * in-sync state, the backup's own metrics say what it received, and every replication metric the README names exists.
 */
@Timeout(60)
class ReplicationMetricsTest {

    private static final int SEGMENT = 4 << 20;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void liveAndBackupShowTheLag() throws Exception {
        BrokerConfig liveConfig = BrokerConfig.builder().name("live").tcpPort(0).dataDirectory(dir.resolve("live"))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).managementPort(0).build();
        try (EmbeddedBroker live = EmbeddedBroker.startLive(liveConfig, new ReplicationConfig("c1", "127.0.0.1", 0,
                ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0))) {
            String before = scrape(live.managementUrl() + "metrics");
            assertThat(value(before, "tern_replication_backups")).isZero();
            assertThat(value(before, "tern_replication_backups_in_sync")).isZero();
            assertThat(before).doesNotContain("tern_replication_backup_lag_bytes{");

            ReplicaFollower follower = ReplicaFollower.start(new ReplicationConfig("c1", "127.0.0.1",
                    live.replication().port(), ReplicationConfig.Mode.SYNC, 1, 2000, SEGMENT, 0),
                    dir.resolve("backup").resolve("journal"), SyncPolicy.DATA);
            try (BackupMetrics backupMetrics = new BackupMetrics(follower::position)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> live.replication().inSyncCount() == 1);
                send(live, 50);
                // sync: each send was answered once the backup acknowledged it; nothing is left to ship
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    String text = scrape(live.managementUrl() + "metrics");
                    assertThat(value(text, "tern_replication_backups")).isEqualTo(1);
                    assertThat(value(text, "tern_replication_backups_in_sync")).isEqualTo(1);
                    String backup = backupLabel(text);
                    assertThat(value(text, "tern_replication_backup_in_sync" + backup)).isEqualTo(1);
                    assertThat(value(text, "tern_replication_backup_lag_bytes" + backup)).isZero();
                    assertThat(value(text, "tern_replication_backup_lag_batches" + backup)).isZero();
                    assertThat(value(text, "tern_replication_backup_lag_seconds" + backup)).isZero();
                });
                BackupPosition position = live.replication().backupPositions().get(0);
                assertThat(position.acknowledged()).isEqualTo(position.published())
                        .isEqualTo(follower.acknowledgedPosition());

                String own = backupMetrics.scrape();
                assertThat(value(own, "tern_replication_follower_connected")).isEqualTo(1);
                assertThat(value(own, "tern_replication_follower_batches_total")).isPositive();
                assertThat(value(own, "tern_replication_follower_received_bytes_total")).isGreaterThan(50 * 10);
                assertThat(value(own, "tern_replication_follower_last_batch_age_seconds")).isGreaterThanOrEqualTo(0);
                assertThat((long) value(own, "tern_replication_follower_segment"))
                        .isEqualTo(JournalReplica.sequenceOf(follower.acknowledgedPosition()));
                assertThat((int) value(own, "tern_replication_follower_offset"))
                        .isEqualTo(JournalReplica.positionOf(follower.acknowledgedPosition()));

                List<String> readme = MetricsOptionsTest.readmeMetricNames();
                String liveText = scrape(live.managementUrl() + "metrics");
                long named = readme.stream().filter(n -> n.startsWith("tern_replication_")).peek(n ->
                        assertThat(liveText + own).as("README metric %s", n)
                                .containsPattern("(?m)^# TYPE " + Pattern.quote(n) + " ")).count();
                assertThat(named).isGreaterThanOrEqualTo(10);
            } finally {
                follower.close();
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String text = scrape(live.managementUrl() + "metrics");
                assertThat(value(text, "tern_replication_backups")).isZero();
                assertThat(text).doesNotContain("tern_replication_backup_lag_bytes{");
            });
        }
    }

    @Test
    void aBackupThatDoesNotAcknowledgeShowsItsLagAndIsNotInSync() throws Exception {
        BrokerConfig liveConfig = BrokerConfig.builder().name("live").tcpPort(0).dataDirectory(dir.resolve("async"))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA).managementPort(0).build();
        try (EmbeddedBroker live = EmbeddedBroker.startLive(liveConfig, new ReplicationConfig("c1", "127.0.0.1", 0,
                ReplicationConfig.Mode.ASYNC, 1, 2000, SEGMENT, 0))) {
            send(live, 20);
            try (java.net.Socket stalled = new java.net.Socket("127.0.0.1", live.replication().port())) {
                // a backup's HELLO (cluster c1, position 0: it has nothing), then silence: it never acknowledges
                byte[] cluster = "c1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                java.io.DataOutputStream out = new java.io.DataOutputStream(stalled.getOutputStream());
                out.writeInt(1 + 8 + 4 + cluster.length + 8);
                out.writeByte(ReplicationDescriptor.HELLO);
                out.writeLong(0);
                out.writeInt(cluster.length);
                out.write(cluster);
                out.writeLong(0);
                out.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> live.replication().backupPositions().size() == 1);
                send(live, 20);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    String text = scrape(live.managementUrl() + "metrics");
                    assertThat(value(text, "tern_replication_backups")).isEqualTo(1);
                    assertThat(value(text, "tern_replication_backups_in_sync")).isZero();
                    String backup = backupLabel(text);
                    assertThat(value(text, "tern_replication_backup_in_sync" + backup)).isZero();
                    assertThat(value(text, "tern_replication_backup_lag_bytes" + backup)).isGreaterThan(20 * 10);
                    assertThat(value(text, "tern_replication_backup_lag_batches" + backup)).isPositive();
                    assertThat(value(text, "tern_replication_backup_lag_seconds" + backup)).isPositive();
                });
            }
        }
    }

    @Test
    void lagBytesCountAcrossSegments() {
        int header = org.ternmq.store.format.SegmentDescriptor.HEADER_LENGTH;
        long a = JournalReplica.pack(3, 1000);
        assertThat(BackupPosition.bytesBetween(a, JournalReplica.pack(3, 5000), 10_000)).isEqualTo(4000);
        assertThat(BackupPosition.bytesBetween(a, JournalReplica.pack(5, header + 10), 10_000))
                .isEqualTo((10_000 - 1000) + (10_000 - header) + 10);
        assertThat(BackupPosition.bytesBetween(JournalReplica.pack(5, 10), a, 10_000)).isZero();
        assertThat(BackupPosition.bytesBetween(0, JournalReplica.pack(1, header + 7), 10_000)).isEqualTo(7);
    }

    private static void send(EmbeddedBroker broker, int n) throws Exception {
        try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("replicated"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < n; i++) {
                p.send(s.createTextMessage("m-" + i));
            }
        }
    }

    private static String backupLabel(String text) {
        Matcher m = Pattern.compile("tern_replication_backup_in_sync(\\{backup=\"[^\"]+\"})").matcher(text);
        assertThat(m.find()).as("a backup series in%n%s", text).isTrue();
        return m.group(1);
    }

    private String scrape(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
