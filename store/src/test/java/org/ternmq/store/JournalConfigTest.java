package org.ternmq.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalConfigTest {

    @Test
    void defaultsAreValid() {
        JournalConfig c = JournalConfig.builder(Path.of("x")).build();
        assertThat(c.segmentSize()).isEqualTo(64 << 20);
        assertThat(c.syncPolicy()).isEqualTo(SyncPolicy.DATA);
        assertThat(c.ioMode()).isEqualTo(IoMode.CHANNEL);
        assertThat(c.toString()).contains("segmentSize=67108864");
    }

    @Test
    void everySettingHasANameDefaultAndDoc() {
        assertThat(JournalConfig.settings()).hasSize(14).allSatisfy(s -> {
            assertThat(s.name()).isNotBlank();
            assertThat(s.doc()).isNotBlank();
            if (s != JournalConfig.DIRECTORY) {
                assertThat(s.defaultValue()).isNotNull();
            }
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> JournalConfig.builder(null)
                .set(JournalConfig.SEGMENT_SIZE, 100)
                .set(JournalConfig.COMPACTION_LIVE_RATIO, 1.5)
                .set(JournalConfig.SYNC_POLICY, null)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("directory is required")
                .hasMessageContaining("segmentSize=100: must be between 65536 and 1073741824")
                .hasMessageContaining("compactionLiveRatio=1.5")
                .hasMessageContaining("syncPolicy is required");
    }

    @Test
    void payloadMustFitInASegment() {
        assertThatThrownBy(() -> JournalConfig.builder(Path.of("x")).set(JournalConfig.SEGMENT_SIZE, 1 << 20).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxPayloadSize=4194304: a record of this size does not fit");
    }
}
