package org.ternmq.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client's TLS (JDK provider): the trust store that verifies the broker (the JDK's CAs when none is
 * given), an optional key store for client authentication, TLSv1.2/1.3 only, and host-name verification
 * unless {@code verifyHost=false}. Also turns a failed TLS handshake into a sentence a user can act on.
 * Stateless.
 */
final class ClientTls {

    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private ClientTls() {
    }

    /** @throws ClientException (not a connection failure) naming the store that cannot be read */
    static SslContext context(ConnectionUrl url) throws ClientException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .endpointIdentificationAlgorithm(url.verifyHost() ? "HTTPS" : null);
            if (url.trustStore() != null) {
                Path trust = Path.of(url.trustStore());
                if (isPem(trust)) {
                    b.trustManager(trust.toFile());
                } else {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(load(trust, url.trustStorePassword()));
                    b.trustManager(tmf);
                }
            }
            if (url.keyStore() != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String password = url.keyStorePassword();
                kmf.init(load(Path.of(url.keyStore()), password), password == null ? null : password.toCharArray());
                b.keyManager(kmf);
            }
            return b.build();
        } catch (Exception e) {
            throw ClientException.refused(org.ternmq.protocol.ErrorCode.INTERNAL,
                    "TLS set-up failed (trustStore/keyStore of the URL): " + e.getMessage());
        }
    }

    private static boolean isPem(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pem") || name.endsWith(".crt");
    }

    private static KeyStore load(Path file, String password) throws Exception {
        String type = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }

    /** Why a TLS handshake with {@code where} failed, in words. */
    static String describe(Throwable failure, String where) {
        String all = Causes.chain(failure);
        String lower = all.toLowerCase(Locale.ROOT);
        String why;
        if (Causes.has(failure, CertificateExpiredException.class)) {
            why = "the broker's certificate has expired";
        } else if (Causes.has(failure, CertificateNotYetValidException.class)) {
            why = "the broker's certificate is not valid yet";
        } else if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
            why = "the broker's certificate does not name the host " + where + " (host-name verification; connect by "
                    + "a name the certificate has)";
        } else if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")
                || lower.contains("signature check failed") || lower.contains("path does not chain")) {
            why = "the broker's certificate is not signed by a CA of the trust store (trustStore option)";
        } else if (lower.contains("closed") || lower.contains("terminated the handshake")
                || lower.contains("unrecognized ssl message") || lower.contains("not an ssl/tls record")) {
            why = "the broker closed the connection during the TLS handshake: is " + where + " a plain-TCP port "
                    + "(connect with tern:// then), or does it require a client certificate (keyStore option)?";
        } else if (lower.contains("timed out")) {
            why = "no TLS answer in time: is " + where + " a plain-TCP port (connect with tern:// then)?";
        } else if (lower.contains("bad_certificate") || lower.contains("certificate_required")
                || lower.contains("certificate_unknown")) {
            why = "the broker refused the client certificate (keyStore option) or requires one";
        } else {
            why = "TLS error";
        }
        return "TLS handshake with " + where + " failed: " + why + " (" + all + ")";
    }
}
