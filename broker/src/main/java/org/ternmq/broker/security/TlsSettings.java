package org.ternmq.broker.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS of the broker's TCP acceptor (JDK provider): its key and certificate from a PKCS12 or JKS key store or
 * from PEM files, the trust store that verifies client certificates, the protocols (TLSv1.2 and TLSv1.3
 * only), cipher suites, client authentication and how a client certificate's subject names a user.
 * Immutable; {@link #check()} lists every problem at once.
 *
 * @param keyStore            PKCS12 or JKS file with the broker's key and certificate chain, or null
 * @param keyStorePassword    its password (also the key's)
 * @param certificate         PEM certificate chain, with {@code privateKey}, instead of a key store
 * @param privateKey          PEM PKCS#8 private key
 * @param trustStore          PKCS12/JKS trust store, or PEM certificates, for client certificates; null: none
 * @param trustStorePassword  its password (null for PEM)
 * @param protocols           enabled protocols, a subset of TLSv1.2 and TLSv1.3
 * @param cipherSuites        enabled cipher suites; empty: the JDK's defaults
 * @param clientAuth          none, want or need
 * @param certificateUser     cn (the subject's common name) or dn (the whole subject) as the user name
 */
public record TlsSettings(Path keyStore, String keyStorePassword, Path certificate, Path privateKey, Path trustStore,
                          String trustStorePassword, List<String> protocols, List<String> cipherSuites,
                          String clientAuth, String certificateUser) {

    public static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsSettings {
        protocols = protocols == null || protocols.isEmpty() ? ALLOWED_PROTOCOLS : List.copyOf(protocols);
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
        clientAuth = clientAuth == null ? "none" : clientAuth.toLowerCase(Locale.ROOT);
        certificateUser = certificateUser == null ? "cn" : certificateUser.toLowerCase(Locale.ROOT);
    }

    /** Every problem with these settings; empty when they are usable. */
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        if ((keyStore == null) == (certificate == null)) {
            problems.add("TLS needs either tls-key-store or tls-certificate with tls-private-key");
        }
        if ((certificate == null) != (privateKey == null)) {
            problems.add("tls-certificate and tls-private-key go together");
        }
        for (Path p : new Path[] {keyStore, certificate, privateKey, trustStore}) {
            if (p != null && !Files.isReadable(p)) {
                problems.add("TLS file " + p + " is not readable");
            }
        }
        for (String p : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                problems.add("tls-protocols: " + p + " is not allowed (only TLSv1.2 and TLSv1.3)");
            }
        }
        if (!List.of("none", "want", "need").contains(clientAuth)) {
            problems.add("tls-client-auth must be none, want or need, was '" + clientAuth + "'");
        }
        if (!clientAuth.equals("none") && trustStore == null) {
            problems.add("tls-client-auth " + clientAuth + " needs tls-trust-store to verify client certificates");
        }
        if (!List.of("cn", "dn").contains(certificateUser)) {
            problems.add("tls-certificate-user must be cn or dn, was '" + certificateUser + "'");
        }
        return problems;
    }

    /** The server's TLS context. @throws IllegalArgumentException naming the file that could not be used */
    public SslContext serverContext() {
        try {
            SslContextBuilder b;
            if (keyStore != null) {
                KeyStore ks = load(keyStore, keyStorePassword);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, chars(keyStorePassword));
                b = SslContextBuilder.forServer(kmf);
            } else {
                b = SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile());
            }
            if (trustStore != null) {
                if (isPem(trustStore)) {
                    b.trustManager(trustStore.toFile());
                } else {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(load(trustStore, trustStorePassword));
                    b.trustManager(tmf);
                }
            }
            b.sslProvider(SslProvider.JDK).protocols(protocols)
                    .clientAuth(switch (clientAuth) {
                        case "want" -> ClientAuth.OPTIONAL;
                        case "need" -> ClientAuth.REQUIRE;
                        default -> ClientAuth.NONE;
                    });
            if (!cipherSuites.isEmpty()) {
                b.ciphers(cipherSuites);
            }
            return b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("TLS set-up failed: " + e.getMessage(), e);
        }
    }

    /**
     * The context a backup connects to its live broker's replication port with: it trusts the trust store (the
     * JDK's CAs without one), presents this broker's own key and certificate (so a live broker with
     * {@code tls-client-auth=need} can require it), the same protocols and cipher suites, and verifies the live
     * broker's host name unless {@code verifyHost} is false.
     *
     * @throws IllegalArgumentException naming the file that could not be used
     */
    public SslContext clientContext(boolean verifyHost) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(protocols)
                    .endpointIdentificationAlgorithm(verifyHost ? "HTTPS" : null);
            if (keyStore != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore, keyStorePassword), chars(keyStorePassword));
                b.keyManager(kmf);
            } else if (certificate != null) {
                b.keyManager(certificate.toFile(), privateKey.toFile());
            }
            if (trustStore != null) {
                if (isPem(trustStore)) {
                    b.trustManager(trustStore.toFile());
                } else {
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(load(trustStore, trustStorePassword));
                    b.trustManager(tmf);
                }
            }
            if (!cipherSuites.isEmpty()) {
                b.ciphers(cipherSuites);
            }
            return b.build();
        } catch (Exception e) {
            throw new IllegalArgumentException("TLS set-up of the replication link failed: " + e.getMessage(), e);
        }
    }

    /** The user name a verified client certificate stands for. */
    public String userOf(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        if (certificateUser.equals("dn")) {
            return dn;
        }
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return dn;
        }
        return dn;
    }

    static boolean isPem(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".pem") || name.endsWith(".crt");
    }

    /** A PKCS12 or JKS store (JKS for a .jks file). */
    public static KeyStore load(Path file, String password) throws Exception {
        String type = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
        KeyStore ks = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, chars(password));
        }
        return ks;
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }
}
