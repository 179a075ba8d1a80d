package org.ternmq.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SendProbeTest {

    @Test
    void theEventLoopClientReturnsOnlyOnceTheWholeAnswerIsRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // answers each 16-byte send with its 8 bytes in two parts, the second 50 ms later
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                int sends = 0;
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] message = new byte[16];
                    while (true) {
                        in.readFully(message);
                        sends++;
                        out.write(new byte[3]);
                        out.flush();
                        Thread.sleep(50);
                        out.write(new byte[5]);
                        out.flush();
                    }
                } catch (IOException e) {
                    return sends;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SendProbe.EventLoopClient client = new SendProbe.EventLoopClient(address(server), 16)) {
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    client.roundTrip();
                    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
                }
            }
            assertThat(served.get(5, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    @Timeout(10)
    void aServerThatClosesFailsTheWaitingSendInsteadOfHangingIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read();
                } catch (IOException e) {
                    // closed either way
                }
            });
            try (SendProbe.EventLoopClient client = new SendProbe.EventLoopClient(address(server), 16)) {
                assertThatThrownBy(client::roundTrip).isInstanceOf(IOException.class)
                        .hasMessageContaining("the probe's server closed the connection");
            }
        }
    }

    private static InetSocketAddress address(ServerSocket server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }
}
