package org.ternmq.tck.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class HarnessLogListenerTest {

    /** Has the fields of the TCK's {@code TestReportInfo}, as the server side's {@code TestUtil} writes them. */
    public static final class Report implements Serializable {
        private static final long serialVersionUID = 1L;
        public int iDebugLevel;
        public String sOutput;
        public Throwable exception;
        public int iStream;

        Report(String output, int stream, int level, Throwable exception) {
            this.sOutput = output;
            this.iStream = stream;
            this.iDebugLevel = level;
            this.exception = exception;
        }
    }

    /** Not a log record: must not be deserialized. */
    public static final class Stranger implements Serializable {
        private static final long serialVersionUID = 1L;
        public String payload = "x";
    }

    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    private HarnessLogListener listen() throws IOException {
        return HarnessLogListener.start(0, Report.class.getName(), received::add);
    }

    private String next() throws InterruptedException {
        String line = received.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a line within 10 s").isNotNull();
        return line;
    }

    @Test
    void theServerSidesLinesArriveInOrderWithTheirKind() throws Exception {
        try (HarnessLogListener listener = listen();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
                ObjectOutputStream out = new ObjectOutputStream(socket.getOutputStream())) {
            out.writeObject(new Report("SVR: Logging check", 0, 2, null));
            out.writeObject(new Report("SVR: Beginning test", 0, 1, null));
            out.writeObject(new Report("SVR-ERROR: receive timed out", 1, 1,
                    new IllegalStateException("no message within 10000 ms")));
            out.flush();

            assertThat(next()).isEqualTo("[server trace] SVR: Logging check");
            assertThat(next()).isEqualTo("[server] SVR: Beginning test");
            assertThat(next()).startsWith("[server ERROR] SVR-ERROR: receive timed out" + System.lineSeparator()
                    + "java.lang.IllegalStateException: no message within 10000 ms");
            assertThat(listener.connections()).isEqualTo(1);
            assertThat(listener.lines()).isEqualTo(3);
        }
    }

    @Test
    void eachVehicleCallMayConnectAnewWhileEarlierConnectionsStayOpen() throws Exception {
        try (HarnessLogListener listener = listen();
                Socket first = new Socket(InetAddress.getLoopbackAddress(), listener.port());
                ObjectOutputStream out1 = new ObjectOutputStream(first.getOutputStream());
                Socket second = new Socket(InetAddress.getLoopbackAddress(), listener.port());
                ObjectOutputStream out2 = new ObjectOutputStream(second.getOutputStream())) {
            out1.writeObject(new Report("one", 0, 1, null));
            out1.flush();
            assertThat(next()).isEqualTo("[server] one");
            out2.writeObject(new Report("two", 0, 1, null));
            out2.flush();
            assertThat(next()).isEqualTo("[server] two");
        }
    }

    @Test
    void aConnectionSendingAnythingElseIsClosedUnread() throws Exception {
        try (HarnessLogListener listener = listen();
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
                ObjectOutputStream out = new ObjectOutputStream(socket.getOutputStream())) {
            out.writeObject(new Stranger());
            out.flush();
            assertThat(next()).startsWith("[harness log] closed a connection that sent what is not a TCK log record");
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).as("closed by the listener").isEqualTo(-1);
        }
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> HarnessLogListener.start(taken.getLocalPort(), received::add))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen for the TCK's remote logging on port " + taken.getLocalPort());
        }
    }

    @Test
    void aPortOutsideTheTcpRangeIsRefused() {
        for (int port : List.of(-1, 65_536)) {
            assertThatThrownBy(() -> HarnessLogListener.start(port, received::add))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("harness.log.port");
        }
    }
}
