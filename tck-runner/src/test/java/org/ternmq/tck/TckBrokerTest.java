package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TckBrokerTest {

    @TempDir
    Path data;

    @Test
    void listensOnTheConfiguredPortUntilClosed() throws Exception {
        int port = freePort();

        try (TckBroker broker = TckBroker.start(new TckSettings(port, data))) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                assertThat(socket.isConnected()).isTrue();
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class));
    }

    @Test
    void eachStartGetsAFreshDataDirectory() throws Exception {
        TckSettings settings = new TckSettings(freePort(), data.resolve("nested"));

        TckBroker.start(settings).close();
        TckBroker.start(settings).close();

        try (Stream<Path> runs = Files.list(settings.dataDirectory())) {
            assertThat(runs).hasSize(2).allSatisfy(run -> assertThat(run.getFileName().toString()).startsWith("run-"));
        }
    }

    @Test
    void failsToStartOnATakenPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            TckSettings settings = new TckSettings(taken.getLocalPort(), data);

            assertThatThrownBy(() -> TckBroker.start(settings)).isInstanceOf(Exception.class);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
