package org.ternmq.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.jms.TernConnectionFactory;

/** Logins through the login module SPI: the users file, a module loaded by class name, refusals and their delay. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoginTest {

    @TempDir
    Path dir;

    private EmbeddedBroker start(BrokerConfig.Builder b) throws Exception {
        return EmbeddedBroker.start(b.tcpPort(0).dataDirectory(dir.resolve("data")).persistence(false).build());
    }

    private static Connection connect(EmbeddedBroker broker, String user, String password) throws Exception {
        return new TernConnectionFactory(broker.tcpUrl()).createConnection(user, password);
    }

    @Test
    void aUserOfTheHashedFileLogsInAndAWrongPasswordIsRefused() throws Exception {
        Path users = dir.resolve("users.properties");
        UsersFile.write(users, Map.of("alice", new UsersFile.Entry(
                PasswordHash.create("wonderland".toCharArray(), 2000).format(), List.of("admin"))));
        try (EmbeddedBroker broker = start(BrokerConfig.builder()
                .loginModule(LoginModule.load(FileLoginModule.class.getName(), Map.of("file", users.toString()))));
             LogCapture log = new LogCapture()) {
            try (Connection c = connect(broker, "alice", "wonderland")) {
                c.start();
            }
            assertThatThrownBy(() -> connect(broker, "alice", "Wonderland"))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("invalid user name or password");
            assertThatThrownBy(() -> connect(broker, "nobody", "x"))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("invalid user name or password");
            assertThat(log.lines("org.ternmq.audit")).anySatisfy(l -> assertThat(l)
                    .contains("login user=\"alice\"").contains("via=password"));
            assertThat(log.lines("login-failed user=\"alice\"")).hasSize(1);
            assertThat(log.lines("login-failed user=\"nobody\"")).singleElement().asString()
                    .contains("failures-from-address=2");
            assertThat(log.lines("wonderland")).isEmpty();
        }
    }

    @Test
    void aBrokerWithUsersRefusesAnonymousUnlessAllowed() throws Exception {
        try (EmbeddedBroker broker = start(BrokerConfig.builder().user("alice", "pw"))) {
            assertThat(broker.config().allowAnonymous()).isFalse();
            assertThatThrownBy(() -> new TernConnectionFactory(broker.tcpUrl()).createConnection())
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("anonymous connections are not allowed");
        }
        try (EmbeddedBroker broker = start(BrokerConfig.builder().user("alice", "pw").allowAnonymous(true))) {
            new TernConnectionFactory(broker.tcpUrl()).createConnection().close();
        }
    }

    @Test
    void failuresFromOneAddressAreSlowedMoreEachTime() throws Exception {
        try (EmbeddedBroker broker = start(BrokerConfig.builder().user("alice", "pw").loginFailureDelay(200))) {
            long[] took = new long[3];
            for (int i = 0; i < took.length; i++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> connect(broker, "alice", "guess")).isInstanceOf(JMSSecurityException.class);
                took[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            // 200 ms, then 400 (+ waiting out the first penalty's rest), then 800
            assertThat(took[0]).isGreaterThanOrEqualTo(200);
            assertThat(took[1]).isGreaterThanOrEqualTo(400);
            assertThat(took[2]).isGreaterThanOrEqualTo(800);
            // the right password still works (the refusal already served the last failure's wait)
            connect(broker, "alice", "pw").close();
        }
    }

    /**
     * However many failures an address earned, a refused attempt is answered within half the handshake timeout: the
     * client hears "invalid user name or password" (a {@link JMSSecurityException}) instead of a handshake that
     * timed out. Without the bound the sixth attempt here would wait 3.2 s for the fifth failure and 3.2 s more for
     * its own refusal, past the broker's 2 s handshake timeout.
     */
    @Test
    void aRefusalComesWithinHalfTheHandshakeTimeoutHoweverManyFailuresCameBefore() throws Exception {
        try (EmbeddedBroker broker = start(BrokerConfig.builder().user("alice", "pw").loginFailureDelay(200)
                .handshakeTimeout(2000))) {
            for (int i = 0; i < 7; i++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> connect(broker, "alice", "guess")).as("attempt %d", i + 1)
                        .isInstanceOf(JMSSecurityException.class).hasMessageContaining("invalid user name or password");
                long took = (System.nanoTime() - t0) / 1_000_000;
                assertThat(took).as("attempt %d took %d ms", i + 1, took).isLessThan(2000);
            }
            connect(broker, "alice", "pw").close();
        }
    }

    /** A module loaded by its class name, as the login-module setting does, with its options. */
    public static final class FixedLoginModule implements LoginModule {
        private String user;
        private String password;

        @Override
        public void configure(Map<String, String> options) {
            user = options.get("user");
            password = options.get("password");
            if (user == null) {
                throw new IllegalArgumentException("option 'user' is required");
            }
        }

        @Override
        public Optional<AuthenticatedUser> login(LoginRequest request) {
            return user.equals(request.user()) && password.equals(request.password())
                    ? Optional.of(new AuthenticatedUser(user, Set.of("admin"))) : Optional.empty();
        }

        @Override
        public boolean hasUsers() {
            return true;
        }
    }

    @Test
    void aLoginModuleIsLoadedByClassNameAndItsErrorsAreNamed() throws Exception {
        LoginModule module = LoginModule.load(FixedLoginModule.class.getName(), Map.of("user", "ldap-bob", "password", "pw"));
        try (EmbeddedBroker broker = start(BrokerConfig.builder().loginModule(module))) {
            connect(broker, "ldap-bob", "pw").close();
            assertThatThrownBy(() -> connect(broker, "ldap-bob", "no")).isInstanceOf(JMSSecurityException.class);
        }
        assertThatThrownBy(() -> LoginModule.load(FixedLoginModule.class.getName(), Map.of()))
                .hasMessageContaining("option 'user' is required");
        assertThatThrownBy(() -> LoginModule.load("org.example.Missing", Map.of()))
                .hasMessageContaining("cannot load login module org.example.Missing");
        assertThatThrownBy(() -> LoginModule.load(String.class.getName(), Map.of()))
                .hasMessageContaining("does not implement org.ternmq.broker.security.LoginModule");
    }

    @Test
    void aBrokerWithoutUsersOnANonLoopbackAddressNeedsAllowAnonymousGiven() throws Exception {
        assertThatThrownBy(() -> BrokerConfig.builder().host("0.0.0.0").tcpPort(0).dataDirectory(dir).build())
                .hasMessageContaining("a broker without users may listen on a non-loopback address (host 0.0.0.0)")
                .hasMessageContaining("--allow-anonymous");
        BrokerConfig.builder().host("0.0.0.0").tcpPort(0).dataDirectory(dir).allowAnonymous(true).build();
        BrokerConfig.builder().host("0.0.0.0").tcpPort(0).dataDirectory(dir).user("a", "b").build();
        BrokerConfig.builder().host("localhost").tcpPort(0).dataDirectory(dir).build();
        assertThat(Files.exists(dir)).isTrue();
    }
}
