package org.ternmq.broker.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2 (HMAC-SHA256) hash of a password, as the users file keeps it:
 * {@code PBKDF2WithHmacSHA256:<iterations>:<salt, Base64>:<hash, Base64>}. Each user has their own salt and
 * iteration count, so the count can be raised for new passwords without invalidating old ones. Immutable.
 */
public final class PasswordHash {

    /** The algorithm name, also the prefix of the stored form. */
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** Iterations for new passwords: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256 (about 0.2 s here). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** Fewest iterations accepted from a users file. */
    public static final int MIN_ITERATIONS = 1_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a new random salt. */
    public static PasswordHash create(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations, was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BITS));
    }

    /** Whether {@code text} looks like a stored hash (starts with the algorithm name and a colon). */
    public static boolean isHashed(String text) {
        return text.startsWith(ALGORITHM + ":");
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static PasswordHash parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 4 || !parts[0].equals(ALGORITHM)) {
            throw new IllegalArgumentException("not " + ALGORITHM + ":<iterations>:<salt>:<hash>");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iteration count '" + parts[1] + "' is not a number");
        }
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("iteration count " + iterations + " is below " + MIN_ITERATIONS);
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (salt.length < 8 || hash.length < 16) {
                throw new IllegalArgumentException("salt or hash too short");
            }
            return new PasswordHash(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad salt or hash: " + e.getMessage());
        }
    }

    /** Whether {@code password} is the one hashed; takes as long for a wrong one as for the right one. */
    public boolean matches(char[] password) {
        if (password == null) {
            return false;
        }
        return MessageDigest.isEqual(hash, derive(password, salt, iterations, hash.length * 8));
    }

    public int iterations() {
        return iterations;
    }

    /** The stored form. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return ALGORITHM + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return ALGORITHM + "[" + iterations + " iterations]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash p && p.iterations == iterations && Arrays.equals(p.salt, salt)
                && Arrays.equals(p.hash, hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }
}
