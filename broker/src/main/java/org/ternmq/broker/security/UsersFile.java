package org.ternmq.broker.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The users file: a properties file, one user a line, {@code name=<password hash>[,role...]}, where the hash
 * is {@link PasswordHash}'s stored form:
 *
 * <pre>
 * alice=PBKDF2WithHmacSHA256:600000:3q2+7w...:Xy9...,admin
 * </pre>
 *
 * Clear-text passwords ({@code name=secret,role}, the format before hashing) are refused when the broker
 * reads the file, with a message naming {@code tern user migrate}, which hashes them in place: a broker
 * never rewrites its users file by itself, and a clear-text password must not go on working unnoticed.
 */
public final class UsersFile {

    private UsersFile() {
    }

    /** One line of the file as written: the credential field (hash or clear text) and the roles. */
    public record Entry(String credential, List<String> roles) {
        public Entry {
            roles = List.copyOf(roles);
        }

        public boolean hashed() {
            return PasswordHash.isHashed(credential);
        }
    }

    /** @throws IllegalArgumentException naming the file and every bad entry (clear text included) */
    public static Map<String, UserCredentials> read(Path file) throws IOException {
        Map<String, UserCredentials> users = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> clearText = new ArrayList<>();
        for (Map.Entry<String, Entry> e : readEntries(file).entrySet()) {
            String name = e.getKey();
            Entry entry = e.getValue();
            if (!entry.hashed()) {
                clearText.add(name);
                continue;
            }
            try {
                users.put(name, new UserCredentials(name, PasswordHash.parse(entry.credential()), entry.roles()));
            } catch (IllegalArgumentException ex) {
                problems.add("user '" + name + "': " + ex.getMessage());
            }
        }
        if (!clearText.isEmpty()) {
            problems.add("clear-text passwords are not accepted (users " + clearText + "); hash them with 'tern user migrate --users "
                    + file + "' or set each with 'tern user passwd'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("users file " + file + ": " + String.join("; ", problems));
        }
        return users;
    }

    /**
     * The file's entries as written, clear text included, for editing.
     *
     * @throws IllegalArgumentException for a line with an empty name or credential
     */
    public static Map<String, Entry> readEntries(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Map<String, Entry> entries = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            String[] parts = props.getProperty(name).split(",");
            String credential = parts[0].trim();
            if (name.isBlank() || credential.isEmpty()) {
                throw new IllegalArgumentException("users file " + file + ": user '" + name + "' needs a password hash");
            }
            List<String> roles = Arrays.stream(parts).skip(1).map(String::trim).filter(s -> !s.isEmpty()).toList();
            entries.put(name, new Entry(credential, roles));
        }
        return entries;
    }

    /**
     * Replaces the file with {@code entries}, atomically (a temporary file renamed over it), readable and
     * writable by its owner only where the file system has POSIX permissions.
     */
    public static void write(Path file, Map<String, Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder("# Tern users: name=" + PasswordHash.ALGORITHM
                + ":<iterations>:<salt>:<hash>[,role...]; edit with 'tern user add|remove|passwd'\n");
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            text.append(escapeKey(e.getKey())).append('=').append(e.getValue().credential());
            for (String role : e.getValue().roles()) {
                text.append(',').append(role);
            }
            text.append('\n');
        }
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".users", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's ACLs apply
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String escapeKey(String name) {
        StringBuilder b = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (c == '=' || c == ':' || c == ' ' || c == '#' || c == '!' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
