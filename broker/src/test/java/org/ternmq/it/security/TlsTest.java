package org.ternmq.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.security.LogCapture;
import org.ternmq.broker.security.TlsSettings;
import org.ternmq.broker.server.TernServerAccess;
import org.ternmq.broker.testing.TestCertificates;
import org.ternmq.broker.testing.TestCertificates.Issued;
import org.ternmq.jms.TernConnectionFactory;

/**
 * TLS on the TCP acceptor with certificates made in the test: a good connection (key store and PEM), a wrong
 * CA, an expired certificate, a host-name mismatch, plain against TLS and TLS against plain, mutual TLS
 * where the certificate names the user, and the admin command over TLS. Each failure has a clear message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsTest {

    private static final String PW = "changeit";

    @TempDir
    static Path certs;
    @TempDir
    Path data;
    private static Issued ca;
    private static Path trust;
    private EmbeddedBroker broker;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ca = TestCertificates.ca("Tern Test CA");
        trust = TestCertificates.trustStore(certs.resolve("trust.p12"), ca, PW);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TlsSettings serverTls(Issued server, String clientAuth) throws Exception {
        Path ks = TestCertificates.keyStore(certs.resolve("server-" + server.certificate().getSerialNumber() + ".p12"), server, PW);
        return new TlsSettings(ks, PW, null, null, clientAuth.equals("none") ? null : trust, PW, null, null, clientAuth, "cn");
    }

    private void start(TlsSettings tls, BrokerConfig.Builder b) throws Exception {
        broker = EmbeddedBroker.start(b.tcpPort(0).dataDirectory(data).persistence(false).tls(tls).build());
    }

    private static void roundTrip(String url, String user, String password) throws Exception {
        try (Connection c = new TernConnectionFactory(url).createConnection(user, password)) {
            c.start();
            Session s = c.createSession();
            Queue q = s.createQueue("tls");
            s.createProducer(q).send(s.createTextMessage("over TLS"));
            assertThat(((TextMessage) s.createConsumer(q).receive(5000)).getText()).isEqualTo("over TLS");
        }
    }

    private String url(String query) {
        return "tern+ssl://localhost:" + broker.tcpPort() + "?" + query;
    }

    @Test
    void aTrustedCertificateConnectsAndPlainClientsAreTurnedAway() throws Exception {
        start(serverTls(TestCertificates.issue(ca, "broker", "localhost", "127.0.0.1"), "none"), BrokerConfig.builder());
        assertThat(broker.tcpUrl()).startsWith("tern+ssl://");
        roundTrip(url("trustStore=" + trust + "&trustStorePassword=" + PW), null, null);
        roundTrip("tern://127.0.0.1:" + broker.tcpPort() + "?ssl=true&trustStore=" + trust + "&trustStorePassword=" + PW,
                null, null);
        assertThatThrownBy(() -> new TernConnectionFactory("tern://127.0.0.1:" + broker.tcpPort() + "?connectTimeout=3000")
                .createConnection())
                .isInstanceOf(JMSException.class).hasMessageContaining("if that port is a TLS port, connect with tern+ssl://");
    }

    @Test
    void pemKeyAndCertificateWork() throws Exception {
        Issued server = TestCertificates.issue(ca, "broker", "localhost");
        Path cert = TestCertificates.pemCertificates(certs.resolve("server.pem"), server.chain());
        Path key = TestCertificates.pemKey(certs.resolve("server.key"), server);
        Path caPem = TestCertificates.pemCertificates(certs.resolve("ca.pem"), List.of(ca.certificate()));
        start(new TlsSettings(null, null, cert, key, null, null, List.of("TLSv1.3"), null, "none", null), BrokerConfig.builder());
        roundTrip(url("trustStore=" + caPem), null, null);
    }

    @Test
    void aCertificateOfAnotherCaIsNotTrusted() throws Exception {
        Issued otherCa = TestCertificates.ca("Someone Else");
        start(serverTls(TestCertificates.issue(otherCa, "broker", "localhost"), "none"), BrokerConfig.builder());
        assertThatThrownBy(() -> roundTrip(url("trustStore=" + trust + "&trustStorePassword=" + PW), null, null))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("not signed by a CA of the trust store");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        start(serverTls(TestCertificates.issue(ca, "broker", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)),
                "localhost"), "none"), BrokerConfig.builder());
        assertThatThrownBy(() -> roundTrip(url("trustStore=" + trust + "&trustStorePassword=" + PW), null, null))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("certificate has expired");
    }

    @Test
    void aCertificateForAnotherHostIsRefusedUnlessVerificationIsOff() throws Exception {
        start(serverTls(TestCertificates.issue(ca, "broker", "other.example"), "none"), BrokerConfig.builder());
        assertThatThrownBy(() -> roundTrip(url("trustStore=" + trust + "&trustStorePassword=" + PW), null, null))
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("does not name the host localhost:");
        roundTrip(url("trustStore=" + trust + "&trustStorePassword=" + PW + "&verifyHost=false"), null, null);
    }

    @Test
    void aTlsClientAgainstAPlainPortGetsAClearMessage() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.builder().tcpPort(0).dataDirectory(data).persistence(false).build());
        assertThatThrownBy(() -> new TernConnectionFactory(url("trustStore=" + trust + "&trustStorePassword=" + PW
                + "&connectTimeout=10000")).createConnection())
                .isInstanceOf(JMSException.class)
                .hasMessageContaining("plain-TCP port");
    }

    @Test
    void mutualTlsLogsTheCertificatesUserInAndRequiresACertificate() throws Exception {
        start(serverTls(TestCertificates.issue(ca, "broker", "localhost"), "need"),
                BrokerConfig.builder().user("alice", "unused-password", "admin"));
        Path aliceKs = TestCertificates.keyStore(certs.resolve("alice.p12"), TestCertificates.issue(ca, "alice"), PW);
        String base = "trustStore=" + trust + "&trustStorePassword=" + PW;
        try (LogCapture log = new LogCapture()) {
            roundTrip(url(base + "&keyStore=" + aliceKs + "&keyStorePassword=" + PW), null, null);
            assertThat(log.lines("login user=\"alice\"")).singleElement().asString().contains("via=certificate");
        }
        assertThatThrownBy(() -> roundTrip(url(base + "&connectTimeout=3000"), null, null)).isInstanceOf(JMSException.class)
                .hasMessageContaining("TLS handshake with localhost:");
        // a certificate of a user the broker does not know logs nobody in
        Path malloryKs = TestCertificates.keyStore(certs.resolve("mallory.p12"), TestCertificates.issue(ca, "mallory"), PW);
        assertThatThrownBy(() -> roundTrip(url(base + "&keyStore=" + malloryKs + "&keyStorePassword=" + PW), null, null))
                .isInstanceOf(JMSSecurityException.class).hasMessageContaining("invalid user name or password");
        // nor may a certificate claim another user
        assertThatThrownBy(() -> roundTrip(url(base + "&keyStore=" + aliceKs + "&keyStorePassword=" + PW), "root", null))
                .isInstanceOf(JMSSecurityException.class).hasMessageContaining("certificate is for user 'alice', not 'root'");

        // the admin command over TLS, as alice by her certificate
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TernServerAccess.run(new String[] {"admin", "list-queues", "--url",
                url(base + "&keyStore=" + aliceKs + "&keyStorePassword=" + PW)},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("tls");
    }

    @Test
    void onlyTls12And13AreAllowedAndClientAuthNeedsATrustStore() {
        TlsSettings bad = new TlsSettings(certs.resolve("missing.p12"), PW, null, null, null, null, List.of("TLSv1.1"),
                null, "need", "uid");
        assertThatThrownBy(() -> BrokerConfig.builder().tcpPort(0).dataDirectory(data).tls(bad).build())
                .hasMessageContaining("TLSv1.1 is not allowed")
                .hasMessageContaining("tls-client-auth need needs tls-trust-store")
                .hasMessageContaining("tls-certificate-user must be cn or dn")
                .hasMessageContaining("missing.p12 is not readable");
    }
}
