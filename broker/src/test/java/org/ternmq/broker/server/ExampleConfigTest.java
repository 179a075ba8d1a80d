package org.ternmq.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.ternmq.broker.BrokerSetting;
import org.ternmq.broker.policy.PolicySetting;

/** The distribution's example configuration names every setting and is a valid file once uncommented. */
class ExampleConfigTest {

    private static final Path SHIPPED = Path.of("../distribution/src/dist/conf/tern.properties");

    @Test
    void namesEverySettingAtItsDefault() {
        String text = ExampleConfig.render();
        for (BrokerSetting s : BrokerSetting.values()) {
            assertThat(text).contains("\n#" + s.key() + "=" + s.defaultValue() + "\n");
        }
        for (PolicySetting s : PolicySetting.values()) {
            assertThat(text).contains("\n#policy.default." + s.key() + "=" + s.defaultValue() + "\n");
        }
    }

    @Test
    void uncommentedItIsAValidConfiguration() throws Exception {
        StringBuilder uncommented = new StringBuilder();
        for (String line : ExampleConfig.render().split("\n")) {
            if (line.startsWith("#") && line.contains("=") && !line.startsWith("# ")) {
                uncommented.append(line.substring(1)).append('\n');
            }
        }
        Properties p = new Properties();
        p.load(new java.io.StringReader(uncommented.toString()));
        assertThat(p).hasSizeGreaterThan(BrokerSetting.values().length);
        ConfigFile.parse(p, "example");
    }

    @Test
    void theShippedFileIsUpToDate() throws Exception {
        // regenerate with: java -cp broker/target/tern-broker-*-all.jar org.ternmq.broker.server.ExampleConfig
        assertThat(Files.readString(SHIPPED, StandardCharsets.UTF_8)).isEqualTo(ExampleConfig.render());
    }
}
