package org.ternmq.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.client.ClientConnection;
import org.ternmq.client.ConnectionUrl;

/** A graceful stop as its clients see it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrokerStopTest {

    @TempDir
    Path dir;

    /**
     * A client that hears the broker is stopping and connects again at once (failover does) is refused: before, the
     * broker kept accepting until it had closed its management port, and a failing-over client restored its
     * sessions there and resent its waiting sends into a broker about to exit.
     */
    @Test
    void aClientToldOfTheStopCannotConnectAgainWhileTheBrokerStops() throws Exception {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0)
                .dataDirectory(dir.resolve("data")).managementPort(0).build());
        int port = broker.tcpPort();
        CompletableFuture<String> again = new CompletableFuture<>();
        try (ClientConnection connection = ClientConnection.connect(ConnectionUrl.parse("tern://127.0.0.1:" + port),
                null, null)) {
            connection.setListener(lost -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    again.complete("accepted");
                } catch (IOException e) {
                    again.complete("refused");
                }
            });
            broker.close();
            assertThat(again.get(10, TimeUnit.SECONDS)).as("a connection right after the broker said it stops")
                    .isEqualTo("refused");
        } finally {
            broker.close();
        }
    }
}
