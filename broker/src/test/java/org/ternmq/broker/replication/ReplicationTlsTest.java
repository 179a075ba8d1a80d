package org.ternmq.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.security.LogCapture;
import org.ternmq.broker.security.TlsSettings;
import org.ternmq.broker.testing.TestCertificates;
import org.ternmq.broker.testing.TestCertificates.Issued;
import org.ternmq.jms.TernConnectionFactory;
import org.ternmq.store.SyncPolicy;

/**
 * Journal shipping over TLS: a live broker with TLS configured serves its replication port with TLS (client
 * authentication as configured); a backup with TLS connects with it (trusting its trust store, presenting its own
 * certificate, verifying the host name). A backup that does not trust the live broker's CA and a backup without
 * TLS are refused with a clear log line and copy nothing.
 */
class ReplicationTlsTest extends ClosingTest {

    private static final int SEGMENT = 4 << 20;
    private static final String PW = "changeit";

    @TempDir
    static Path certs;
    @TempDir
    Path dir;
    private static Path trust;
    private static Path otherTrust;
    private static Path liveKeys;
    private static Path backupKeys;
    private static Path localhostOnlyKeys;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Issued ca = TestCertificates.ca("Tern Replication CA");
        trust = TestCertificates.trustStore(certs.resolve("trust.p12"), ca, PW);
        otherTrust = TestCertificates.trustStore(certs.resolve("other-trust.p12"), TestCertificates.ca("Other CA"), PW);
        liveKeys = TestCertificates.keyStore(certs.resolve("live.p12"),
                TestCertificates.issue(ca, "live", "localhost", "127.0.0.1"), PW);
        localhostOnlyKeys = TestCertificates.keyStore(certs.resolve("live-localhost.p12"),
                TestCertificates.issue(ca, "live", "localhost"), PW);
        backupKeys = TestCertificates.keyStore(certs.resolve("backup.p12"),
                TestCertificates.issue(ca, "backup", "localhost", "127.0.0.1"), PW);
    }


    private static TlsSettings tls(Path keyStore, Path trustStore, String clientAuth) {
        return new TlsSettings(keyStore, PW, null, null, trustStore, PW, null, null, clientAuth, "cn");
    }

    private BrokerConfig.Builder config(String name) {
        return BrokerConfig.builder().name(name).tcpPort(0).dataDirectory(dir.resolve(name))
                .journalSegmentSize(SEGMENT).maxFrameLength(1 << 20).syncPolicy(SyncPolicy.DATA);
    }

    private static ReplicationConfig replication(int port, ReplicationConfig.Mode mode) {
        return new ReplicationConfig("c1", "127.0.0.1", port, mode, 1, 2000, SEGMENT, 0);
    }

    private EmbeddedBroker live(ReplicationConfig.Mode mode) throws Exception {
        return live(mode, liveKeys);
    }

    private EmbeddedBroker live(ReplicationConfig.Mode mode, Path keys) throws Exception {
        EmbeddedBroker live = EmbeddedBroker.startLive(config("live").tls(tls(keys, trust, "need"))
                        .user("backup", "unused-password", "admin").build(),
                replication(0, mode));
        open.add(live);
        return live;
    }

    private ReplicaFollower backup(EmbeddedBroker live, TlsSettings tls) throws Exception {
        return backup(live, tls, true);
    }

    private ReplicaFollower backup(EmbeddedBroker live, TlsSettings tls, boolean verifyHost) throws Exception {
        ReplicaFollower f = ReplicaFollower.start(replication(live.replication().port(), ReplicationConfig.Mode.SYNC),
                config("backup").build().journalDirectory(), SyncPolicy.DATA,
                tls == null ? null : tls.clientContext(verifyHost));
        open.add(f);
        return f;
    }

    /** A JMS client of the live broker's TLS acceptor (it requires a client certificate). */
    private static String liveUrl(EmbeddedBroker live) {
        return "tern+ssl://localhost:" + live.tcpPort() + "?trustStore=" + trust + "&trustStorePassword=" + PW
                + "&keyStore=" + backupKeys + "&keyStorePassword=" + PW;
    }

    private static void send(String url, int count) throws JMSException {
        try (Connection c = new TernConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("orders"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage("m-" + i));
            }
        }
    }

    /** Closes the backup and starts a plain broker on its data directory, as a promoted backup; drains orders. */
    private List<String> promoteAndDrain(ReplicaFollower follower) throws Exception {
        follower.close();
        open.remove(follower);
        EmbeddedBroker promoted = EmbeddedBroker.start(config("backup").build());
        open.add(promoted);
        List<String> texts = new ArrayList<>();
        try (Connection c = new TernConnectionFactory(promoted.tcpUrl()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
            for (Message m = consumer.receive(2000); m != null; m = consumer.receive(500)) {
                texts.add(((TextMessage) m).getText());
            }
        }
        return texts;
    }

    private static List<String> expected(int count) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            l.add("m-" + i);
        }
        return l;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupOverTlsHasWhatASyncSendWasAnsweredFor() throws Exception {
        EmbeddedBroker live;
        ReplicaFollower backup;
        try (LogCapture log = new LogCapture()) {
            live = live(ReplicationConfig.Mode.SYNC);
            backup = backup(live, tls(backupKeys, trust, "none"));
            await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
            assertThat(log.lines("replication (sync, TLS) listening")).hasSize(1);
            assertThat(log.lines("following 127.0.0.1:" + live.replication().port() + " (TLS)")).hasSize(1);
        }
        send(liveUrl(live), 200);
        assertThat(backup.acknowledgedPosition()).isGreaterThan(0);
        assertThat(promoteAndDrain(backup)).containsExactlyElementsOf(expected(200));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupThatDoesNotTrustTheLiveBrokersCaIsRefusedAndCopiesNothing() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC);
        send(liveUrl(live), 50);
        try (LogCapture log = new LogCapture()) {
            ReplicaFollower backup = backup(live, tls(backupKeys, otherTrust, "none"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(
                    "the live broker's certificate is not signed by a CA of this broker's tls-trust-store").isEmpty());
            Thread.sleep(1000); // it keeps trying: still nothing
            assertThat(log.lines("TLS handshake with the live broker at 127.0.0.1:" + live.replication().port()
                    + " failed")).hasSize(1); // repeats are not logged at ERROR again
            assertThat(live.replication().inSyncCount()).isZero();
            assertThat(backup.acknowledgedPosition()).isZero();
            assertThat(promoteAndDrain(backup)).isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPlainBackupAgainstTheTlsPortIsRefusedAndCopiesNothing() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC);
        send(liveUrl(live), 50);
        try (LogCapture log = new LogCapture()) {
            ReplicaFollower backup = backup(live, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(
                    "does not speak TLS, and this replication port requires TLS").isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(
                    "closed the replication connection before answering: does its replication port require TLS")
                    .isEmpty());
            Thread.sleep(1000);
            assertThat(log.lines("this replication port requires TLS")).hasSize(1); // repeats: DEBUG
            assertThat(live.replication().inSyncCount()).isZero();
            assertThat(backup.acknowledgedPosition()).isZero();
            assertThat(promoteAndDrain(backup)).isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBackupWithoutAClientCertificateIsRefusedWhenTheLiveBrokerNeedsOne() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC);
        send(liveUrl(live), 50);
        try (LogCapture log = new LogCapture()) {
            ReplicaFollower backup = backup(live, tls(null, trust, "none"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(
                    "client certificate is missing or not signed by a CA of tls-trust-store").isEmpty());
            Thread.sleep(1000);
            assertThat(live.replication().inSyncCount()).isZero();
            assertThat(backup.acknowledgedPosition()).isZero();
            assertThat(promoteAndDrain(backup)).isEmpty();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLiveCertificateThatDoesNotNameTheHostIsRefusedUnlessVerificationIsOff() throws Exception {
        EmbeddedBroker live = live(ReplicationConfig.Mode.ASYNC, localhostOnlyKeys); // backups dial 127.0.0.1
        send(liveUrl(live), 50);
        try (LogCapture log = new LogCapture()) {
            ReplicaFollower backup = backup(live, tls(backupKeys, trust, "none"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(
                    "the live broker's certificate does not name the host of backup-of").isEmpty());
            Thread.sleep(500);
            assertThat(backup.acknowledgedPosition()).isZero();
            backup.close();
            open.remove(backup);
        }
        ReplicaFollower unverified = backup(live, tls(backupKeys, trust, "none"), false);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.replication().inSyncCount() == 1);
        assertThat(promoteAndDrain(unverified)).containsExactlyElementsOf(expected(50));
    }
}
