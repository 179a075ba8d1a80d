package org.ternmq.broker.testing;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test (Bouncy Castle): a CA, certificates it signs (valid, expired, for another host). */
public final class TestCertificates {

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate chain (leaf first). */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private TestCertificates() {
    }

    public static Issued ca(String cn) throws Exception {
        KeyPair keys = newKeys();
        X500Name name = new X500Name("CN=" + cn);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(Instant.now().minus(Duration.ofDays(1))),
                Date.from(Instant.now().plus(Duration.ofDays(30))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new Issued(keys, List.of(sign(b, keys)));
    }

    /** A certificate for {@code cn} signed by {@code ca}, valid from {@code from} to {@code to}, naming {@code dnsNames}. */
    public static Issued issue(Issued ca, String cn, Instant from, Instant to, String... dnsNames) throws Exception {
        KeyPair keys = newKeys();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(from),
                Date.from(to), new X500Name("CN=" + cn), keys.getPublic());
        if (dnsNames.length > 0) {
            List<GeneralName> names = new ArrayList<>();
            for (String n : dnsNames) {
                names.add(Character.isDigit(n.charAt(0)) ? new GeneralName(GeneralName.iPAddress, n)
                        : new GeneralName(GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(sign(b, ca.keys()));
        chain.addAll(ca.chain());
        return new Issued(keys, chain);
    }

    /** Valid now for a month. */
    public static Issued issue(Issued ca, String cn, String... dnsNames) throws Exception {
        return issue(ca, cn, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), dnsNames);
    }

    /** A PKCS12 key store with the key and chain under alias "key". */
    public static Path keyStore(Path file, Issued issued, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", issued.keys().getPrivate(), password.toCharArray(), issued.chain().toArray(new X509Certificate[0]));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /** A PKCS12 trust store holding {@code ca}'s certificate. */
    public static Path trustStore(Path file, Issued ca, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
        return file;
    }

    /** The chain as PEM certificates. */
    public static Path pemCertificates(Path file, List<X509Certificate> chain) throws Exception {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            b.append(pem("CERTIFICATE", c.getEncoded()));
        }
        Files.writeString(file, b, StandardCharsets.US_ASCII);
        return file;
    }

    /** The private key as PEM PKCS#8. */
    public static Path pemKey(Path file, Issued issued) throws Exception {
        Files.writeString(file, pem("PRIVATE KEY", issued.keys().getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        return file;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }
}
