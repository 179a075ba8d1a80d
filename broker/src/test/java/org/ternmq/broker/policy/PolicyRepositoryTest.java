package org.ternmq.broker.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.server.ConfigFile;

class PolicyRepositoryTest {

    @TempDir
    Path dir;

    private static PolicyRepository policies(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ConfigFile.parse(p, "test").policies();
    }

    @Test
    void eachSettingComesFromTheMostSpecificBlockThatSetsIt() {
        PolicyRepository repo = policies(
                "policy.default.redelivery-delay", "100",
                "policy.default.max-delivery-attempts", "7",
                "policy.orders.match", "orders.#",
                "policy.orders.max-delivery-attempts", "5",
                "policy.eu.match", "orders.eu",
                "policy.eu.dead-letter-destination", "DLQ.eu");
        DestinationPolicy eu = repo.policyFor("orders.eu");
        assertThat(eu.deadLetterDestination()).isEqualTo("DLQ.eu");
        assertThat(eu.maxDeliveryAttempts()).isEqualTo(5);
        assertThat(eu.redeliveryDelay()).isEqualTo(100);
        DestinationPolicy us = repo.policyFor("orders.us");
        assertThat(us.deadLetterDestination()).isEqualTo("DLQ");
        assertThat(us.maxDeliveryAttempts()).isEqualTo(5);
        DestinationPolicy other = repo.policyFor("invoices");
        assertThat(other.maxDeliveryAttempts()).isEqualTo(7);
        assertThat(other.expiryDestination()).isEqualTo("ExpiryQueue");
    }

    @Test
    void defaultsAreDocumentedValues() {
        DestinationPolicy p = PolicyRepository.defaults().policyFor("x");
        assertThat(p).isEqualTo(DestinationPolicy.DEFAULTS);
        assertThat(p.redeliveryDelay()).isZero();
        assertThat(p.maxDeliveryAttempts()).isEqualTo(10);
        assertThat(p.deadLetterDestination()).isEqualTo("DLQ");
        for (PolicySetting s : PolicySetting.values()) {
            assertThat(s.doc()).isNotBlank();
            s.parse(s.defaultValue());
        }
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheMaximum() {
        DestinationPolicy p = policies("policy.default.redelivery-delay", "100",
                "policy.default.redelivery-multiplier", "2", "policy.default.max-redelivery-delay", "500").policyFor("q");
        assertThat(p.redeliveryDelayAfter(1)).isEqualTo(100);
        assertThat(p.redeliveryDelayAfter(2)).isEqualTo(200);
        assertThat(p.redeliveryDelayAfter(3)).isEqualTo(400);
        assertThat(p.redeliveryDelayAfter(4)).isEqualTo(500);
        assertThat(p.redeliveryDelayAfter(30)).isEqualTo(500);
        DestinationPolicy jittery = policies("policy.default.redelivery-delay", "1000",
                "policy.default.redelivery-jitter", "0.1").policyFor("q");
        for (int i = 0; i < 100; i++) {
            assertThat(jittery.redeliveryDelayAfter(1)).isBetween(900L, 1100L);
        }
        assertThat(p.exhausted(9)).isFalse();
        assertThat(p.exhausted(10)).isTrue();
        assertThat(policies("policy.default.max-delivery-attempts", "-1").policyFor("q").exhausted(1_000_000)).isFalse();
    }

    @Test
    void everyProblemInTheFileIsReportedAtOnce() throws Exception {
        Path file = dir.resolve("tern.properties");
        Files.writeString(file, String.join("\n",
                "port=61617",
                "colour=blue",
                "policy.default.redelivery-delay=-5",
                "policy.default.redelivery-multiplier=0.5",
                "policy.orders.max-delivery-attempts=0",
                "policy.x.match=a.b*",
                "policy.x.redelivery-jitter=2",
                "policy.default.no-such-thing=1"));
        assertThatThrownBy(() -> ConfigFile.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("unknown setting 'colour'")
                .hasMessageContaining("redelivery-delay: must not be negative")
                .hasMessageContaining("redelivery-multiplier: must be at least 1.0")
                .hasMessageContaining("max-delivery-attempts: must be -1 or a positive")
                .hasMessageContaining("policy block 'orders' needs policy.orders.match")
                .hasMessageContaining("wildcards must be whole words")
                .hasMessageContaining("redelivery-jitter: must be between 0 and 1")
                .hasMessageContaining("unknown policy setting 'no-such-thing'");
    }

    @Test
    void brokerSettingsAreReadToo() throws Exception {
        Path file = dir.resolve("ok.properties");
        Files.writeString(file, "port=61617\ndata-dir=elsewhere\npolicy.default.max-delivery-attempts=3\n");
        ConfigFile.Contents c = ConfigFile.read(file);
        assertThat(c.settings()).containsEntry(BrokerSetting.PORT, "61617").containsEntry(BrokerSetting.DATA_DIRECTORY, "elsewhere");
        assertThat(c.policies().policyFor("any").maxDeliveryAttempts()).isEqualTo(3);
    }
}
