package org.ternmq.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EmbeddedBrokerSampleTest {

    @Test
    void sendsAndReceivesThroughAnInVmBrokerItStartsItself() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        String body = EmbeddedBrokerSample.run(new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(body).isEqualTo("hello over vm://");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("broker started at vm://" + EmbeddedBrokerSample.IN_VM_NAME)
                .contains("received 'hello over vm://'");
    }

    @Test
    void canRunTwiceInOneJvmBecauseItStopsItsBroker() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(EmbeddedBrokerSample.run(quiet)).isEqualTo("hello over vm://");
        assertThat(EmbeddedBrokerSample.run(quiet)).isEqualTo("hello over vm://");
    }
}
