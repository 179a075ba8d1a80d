package org.ternmq.it.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.Session;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.it.PatternStream;
import org.ternmq.jms.TernConnectionFactory;

/**
 * A large message (sent in chunks) whose connection fails over during its upload: a {@link TcpProxy} lets the
 * answers to the first chunks through, swallows the next, then cuts the connection (the new connection would get
 * only the chunks not answered yet if they were simply sent again). The application does not notice where the body
 * can be read again (it is uploaded again, and stored once), also a body streamed from the application (from the
 * copy the client keeps while sending it); a transaction is doomed instead.
 */
class LargeMessageFailoverTest extends PolicyTestBase {

    private static final String OPTIONS = "?failover=true&reconnectDelay=50&maxReconnectDelay=200"
            + "&reconnectAttempts=100&largeMessageSize=16384&maxMessageSize=67108864";
    private static final int SIZE = 300 * 1024;

    private static byte[] body() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    private Connection client(TcpProxy proxy) throws JMSException {
        return new TernConnectionFactory(proxy.url() + OPTIONS).createConnection();
    }

    /** A client that keeps copies of streamed bodies in {@code spoolDirectory}. */
    private Connection client(TcpProxy proxy, Path spoolDirectory) throws JMSException {
        return new TernConnectionFactory(proxy.url() + OPTIONS + "&spoolDirectory=" + spoolDirectory)
                .createConnection();
    }

    /** A message whose body the application streams from {@code body}. */
    private static BytesMessage streamed(Session s, InputStream body) throws JMSException {
        BytesMessage m = s.createBytesMessage();
        m.setObjectProperty("JMS_TERN_InputStream", body);
        return m;
    }

    /** Sends {@code m} in the background once the proxy swallows answers, then cuts the connection under it. */
    private static CompletableFuture<Void> sendThroughACut(TcpProxy proxy, MessageProducer producer, Message m)
            throws Exception {
        return sendThroughACut(proxy, producer, m, () -> { });
    }

    /** As above, running {@code beforeTheCut} while the answers are held back and the send waits for them. */
    private static CompletableFuture<Void> sendThroughACut(TcpProxy proxy, MessageProducer producer, Message m,
            Step beforeTheCut) throws Exception {
        proxy.dropAnswersAfter(40); // the first chunks are answered, then answers stop coming back
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
            try {
                producer.send(m);
            } catch (JMSException e) {
                throw new CompletionException(e);
            }
        });
        Thread.sleep(300);
        beforeTheCut.run();
        proxy.cut();
        return send;
    }

    @Test
    void aLargeSendCutDuringItsUploadIsUploadedAgainAndStoredOnce() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big"));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body());
            sendThroughACut(proxy, producer, m).get(30, TimeUnit.SECONDS); // without resuming: a JMSException
        }
        assertThat(Arrays.equals(theOnlyBody("big"), body())).as("the whole body, once").isTrue();
    }

    @Test
    void aTransactedLargeSendCutDuringItsUploadDoomsTheTransaction() throws Exception {
        start();
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy)) {
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            MessageProducer producer = s.createProducer(s.createQueue("big-tx"));
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body());
            sendThroughACut(proxy, producer, m).get(30, TimeUnit.SECONDS); // the send itself does not fail
            assertThatThrownBy(s::commit).isInstanceOf(TransactionRolledBackException.class);

            BytesMessage again = s.createBytesMessage();
            again.writeBytes(body());
            producer.send(again);
            s.commit(); // the session goes on
        }
        assertThat(theOnlyBody("big-tx")).as("only the committed one").isNotNull();
    }

    @Test
    void aLargeSendStreamedFromTheApplicationIsUploadedAgainFromItsCopyAndStoredOnce(@TempDir Path spool)
            throws Exception {
        start();
        CountingStream body = new CountingStream(new PatternStream(SIZE));
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy, spool)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big-stream"));
            Message m = streamed(s, body);
            CompletableFuture<Void> send = sendThroughACut(proxy, producer, m, () -> assertThat(spoolFiles(spool))
                    .as("the copy of the body while it is sent").hasSize(1));
            send.get(30, TimeUnit.SECONDS); // without the copy: "cannot be read again"
            assertThat(spoolFiles(spool)).as("the copy, once the send returned").isEmpty();
        }
        assertThat(body.read).as("bytes read from the application's stream").isEqualTo(SIZE);
        PatternStream.Check check = new PatternStream.Check();
        check.write(theOnlyBody("big-stream"));
        check.assertPattern(SIZE);
    }

    @Test
    void aStreamedBodyThatCannotBeCopiedIsRefusedAndTheConnectionCarriesOn(@TempDir Path dir) throws Exception {
        start();
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        try (TcpProxy proxy = new TcpProxy(broker.tcpPort()); Connection c = client(proxy, notADirectory)) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big-no-spool"));
            CountingStream body = new CountingStream(new PatternStream(SIZE));
            Message m = streamed(s, body);
            assertThatThrownBy(() -> producer.send(m)).isInstanceOf(ResourceAllocationException.class)
                    .hasMessageContaining(notADirectory.toString()).hasMessageContaining("spoolDirectory");
            assertThat(body.read).as("nothing read from the application's stream").isZero();
            BytesMessage whole = s.createBytesMessage();
            whole.writeBytes(body());
            producer.send(whole); // a body given whole needs no copy; the connection carries on
        }
        assertThat(Arrays.equals(theOnlyBody("big-no-spool"), body())).as("only the body given whole").isTrue();
    }

    /**
     * The copies of streamed bodies this JVM holds open in {@code dir}: the client unlinks such a file as soon as it
     * has opened it (so it goes with the JVM, whatever happens), so they are found among the open files (Linux).
     */
    private static List<Path> spoolFiles(Path dir) throws IOException {
        List<Path> copies = new java.util.ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(dir + "/tern-body-")) {
                        copies.add(Path.of(target));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).as("files left in " + dir).isEmpty();
        }
        return copies;
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends FilterInputStream {
        volatile long read;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }

    @Test
    void aLargeMessageSentTwiceWithOneDuplicateIdIsStoredOnce() throws Exception {
        start(); // what a resend after a lost answer does: a second upload, the same duplicate id
        try (Connection c = new TernConnectionFactory(broker.vmUrl() + "?largeMessageSize=16384&maxMessageSize=67108864")
                .createConnection()) {
            Session s = c.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("big-dup"));
            for (int i = 0; i < 2; i++) {
                BytesMessage m = s.createBytesMessage();
                m.writeBytes(body());
                m.setStringProperty("JMS_TERN_DuplicateID", "upload-1");
                producer.send(m);
            }
        }
        assertThat(Arrays.equals(theOnlyBody("big-dup"), body())).as("stored once, whole").isTrue();
    }

    /** The body of the one message {@code queue} holds; fails when it holds none or more than one. */
    private byte[] theOnlyBody(String queue) throws JMSException {
        try (Connection direct = broker.connect()) {
            direct.start();
            Session s = direct.createSession(Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            BytesMessage got = (BytesMessage) consumer.receive(5000);
            assertThat(got).as("a message on " + queue).isNotNull();
            byte[] read = new byte[(int) got.getBodyLength()];
            got.readBytes(read);
            assertThat(consumer.receive(500)).as("one message only on " + queue).isNull();
            return read;
        }
    }
}
