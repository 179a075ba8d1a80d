package org.ternmq.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.naming.InitialContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the TCK expects of credentials, against the broker {@link TckBroker} starts and a factory from JNDI:
 * no credentials and the TCK's {@code guest}/{@code guest} connect, {@code invalid}/{@code invalid} is refused.
 */
@Timeout(60)
class TckBrokerSecurityTest {

    @TempDir
    Path data;

    private TckBroker broker;
    private ConnectionFactory factory;

    @BeforeEach
    void start() throws Exception {
        int port = freePort();
        broker = TckBroker.start(new TckSettings(port, data));
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put("connectionFactory.SecurityTest", "tern://127.0.0.1:" + port);
        InitialContext context = new InitialContext(environment);
        try {
            factory = (ConnectionFactory) context.lookup("SecurityTest");
        } finally {
            context.close();
        }
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void anonymousConnectionsAreAllowed() throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            assertThat(connection.getMetaData().getJMSMajorVersion()).isEqualTo(3);
        }
    }

    @Test
    void theTckUserConnects() throws Exception {
        try (Connection connection = factory.createConnection(TckBroker.USER, TckBroker.PASSWORD)) {
            connection.start();
            assertThat(connection.getMetaData().getJMSMajorVersion()).isEqualTo(3);
        }
    }

    @Test
    void invalidCredentialsAreRefused() {
        assertThatThrownBy(() -> factory.createConnection("invalid", "invalid").close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> factory.createContext("invalid", "invalid").close())
                .isInstanceOf(JMSSecurityRuntimeException.class);
    }

    @Test
    void aContextWithoutCredentialsWorks() throws Exception {
        try (JMSContext context = factory.createContext()) {
            assertThat(context.getMetaData().getJMSMajorVersion()).isEqualTo(3);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
