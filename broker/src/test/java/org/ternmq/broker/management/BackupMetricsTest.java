package org.ternmq.broker.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ternmq.broker.replication.FollowerPosition;

/**
 * A backup's metrics read its follower through the supplier they were given, which is often a lambda or a method
 * reference nobody else holds: Micrometer keeps a gauge's object only weakly, so the metrics must hold it.
 */
class BackupMetricsTest {

    @Test
    void theFollowerIsStillReadAfterAGarbageCollection() {
        FollowerPosition position = new FollowerPosition(true, (7L << 32) | 4096, 12, 34_000, 5);
        try (BackupMetrics metrics = new BackupMetrics(() -> position)) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            String text = metrics.scrape();
            assertThat(value(text, "tern_replication_follower_connected")).isEqualTo(1);
            assertThat(value(text, "tern_replication_follower_batches_total")).isEqualTo(12);
            assertThat(value(text, "tern_replication_follower_received_bytes_total")).isEqualTo(34_000);
            assertThat(value(text, "tern_replication_follower_last_batch_age_seconds")).isEqualTo(0.005);
            assertThat(value(text, "tern_replication_follower_segment")).isEqualTo(7);
            assertThat(value(text, "tern_replication_follower_offset")).isEqualTo(4096);
        }
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
