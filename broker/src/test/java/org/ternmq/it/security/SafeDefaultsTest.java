package org.ternmq.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jakarta.jms.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.security.LogCapture;
import org.ternmq.jms.TernConnectionFactory;

/** Silent connections are closed; a flood of bad frames from one address is logged once per interval. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SafeDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void aConnectionThatNeverLogsInIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir)
                .persistence(false).handshakeTimeout(300).build());
             Socket silent = new Socket("127.0.0.1", broker.tcpPort())) {
            silent.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertThat(silent.getInputStream().read()).as("closed by the broker").isEqualTo(-1);
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertThat(took).isBetween(200L, 5_000L);
            // a client that does log in is not affected
            try (Connection c = new TernConnectionFactory(broker.tcpUrl()).createConnection()) {
                c.start();
                Thread.sleep(600);
                c.createSession().close();
            }
        }
    }

    @Test
    void repeatedBadFramesFromOneAddressAreLoggedOncePerInterval() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(dir)
                .persistence(false).build());
             LogCapture log = new LogCapture()) {
            for (int i = 0; i < 20; i++) {
                try (Socket s = new Socket("127.0.0.1", broker.tcpPort())) {
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0});
                    out.flush();
                    InputStream in = s.getInputStream();
                    assertThat(in.read()).isEqualTo(-1);
                }
            }
            assertThat(log.lines("malformed frame")).hasSize(1);
            // still serving everyone else
            new TernConnectionFactory(broker.tcpUrl()).createConnection().close();
        }
    }

    @Test
    void allowAnonymousAsAFlagIsWarnedAboutOnANonLoopbackAddress() throws Exception {
        assertThatThrownBy(() -> BrokerConfig.builder().host("0.0.0.0").tcpPort(0).dataDirectory(dir).build())
                .hasMessageContaining("non-loopback");
        try (LogCapture log = new LogCapture();
             EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().host("0.0.0.0").tcpPort(0)
                     .dataDirectory(dir).persistence(false).allowAnonymous(true).build())) {
            assertThat(log.lines("anonymous clients are allowed on 0.0.0.0")).singleElement().asString()
                    .contains("use and manage everything");
            assertThat(broker.tcpPort()).isPositive();
        }
    }
}
