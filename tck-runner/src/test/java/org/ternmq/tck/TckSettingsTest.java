package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TckSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        TckSettings settings = TckSettings.from(new Properties());

        assertThat(settings.port()).isEqualTo(61699);
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("target", "tck-broker"));
    }

    @Test
    void readsPortAndDataDirectory() {
        Properties properties = new Properties();
        properties.setProperty("tern.tck.port", " 12345 ");
        properties.setProperty("tern.tck.dataDirectory", "/tmp/somewhere");

        TckSettings settings = TckSettings.from(properties);

        assertThat(settings.port()).isEqualTo(12345);
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/tmp/somewhere"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "port", "0", "65536", "-1"})
    void rejectsAnInvalidPortByName(String port) {
        Properties properties = new Properties();
        properties.setProperty("tern.tck.port", port);

        assertThatThrownBy(() -> TckSettings.from(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tern.tck.port");
    }

    @Test
    void theEmbeddedBrokerIsTheDefaultAndCanBeTurnedOff() {
        Properties properties = new Properties();
        assertThat(TckSettings.embeddedBroker(properties)).isTrue();

        properties.setProperty("tern.tck.embeddedBroker", "false");
        assertThat(TckSettings.embeddedBroker(properties)).isFalse();
    }

    @Test
    void rejectsAnEmbeddedBrokerValueThatIsNotABoolean() {
        Properties properties = new Properties();
        properties.setProperty("tern.tck.embeddedBroker", "no");

        assertThatThrownBy(() -> TckSettings.embeddedBroker(properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tern.tck.embeddedBroker");
    }
}
