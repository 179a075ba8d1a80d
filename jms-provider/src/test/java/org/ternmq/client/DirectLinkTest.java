package org.ternmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ternmq.protocol.PacketEncoder;
import org.ternmq.protocol.Ping;

/**
 * A connection without an event loop ({@link DirectLink}) against a peer that is not a Tern broker: what it reads
 * that no broker sends ends the connection with a message saying what it was, and the connecting thread, which reads
 * the answer to its {@code Hello} itself, is not left waiting.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DirectLinkTest {

    /** A one-connection server on loopback that reads the client's first frame and answers with {@code reply}. */
    private static String connectTo(Consumer<OutputStream> reply) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    in.readFully(new byte[in.readInt()]); // the Hello
                    reply.accept(s.getOutputStream());
                    s.getOutputStream().flush();
                    in.read(); // until the client closes
                } catch (IOException e) {
                    // the client went
                }
            });
            String url = "tern://127.0.0.1:" + server.getLocalPort() + "?connectTimeout=10000";
            try {
                Throwable t = catchThrowable(() -> ClientConnection.connect(ConnectionUrl.parse(url), null, null));
                assertThat(t).as("the connection failed").isInstanceOf(ClientException.class);
                ClientException e = (ClientException) t;
                assertThat(e.isConnectionFailure()).isTrue();
                return e.getMessage();
            } finally {
                served.cancel(true);
            }
        }
    }

    @Test
    void aFrameLongerThanAnyBrokerSendsEndsTheConnection() throws Exception {
        String message = connectTo(out -> write(out, new byte[] {0x7f, 0, 0, 0, 1, 2, 3}));
        assertThat(message).contains("connection to the broker lost").contains("frame length 2130706432");
    }

    @Test
    void aPacketOnlyClientsSendEndsTheConnection() throws Exception {
        ByteBuf frame = Unpooled.buffer();
        PacketEncoder.encode(new Ping(7), frame);
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        String message = connectTo(out -> write(out, bytes));
        assertThat(message).contains("connection to the broker lost").contains("unexpected packet from the broker: PING");
    }

    @Test
    void aPeerThatClosesAtOnceIsAConnectionFailure() throws Exception {
        String message = connectTo(out -> {
            try {
                out.close(); // and the socket with it
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(message).contains("connection to the broker lost");
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
