package org.ternmq.broker.security;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads users from a properties file, one user a line: {@code name=password[,role...]}.
 */
public final class UsersFile {

    private UsersFile() {
    }

    /** @throws IllegalArgumentException naming the file and the bad entry */
    public static Map<String, UserCredentials> read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        }
        Map<String, UserCredentials> users = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            String[] parts = props.getProperty(name).split(",");
            String password = parts[0].trim();
            if (name.isBlank() || password.isEmpty()) {
                throw new IllegalArgumentException(file + ": user '" + name + "' needs a non-empty password");
            }
            List<String> roles = Arrays.stream(parts).skip(1).map(String::trim).filter(s -> !s.isEmpty()).toList();
            users.put(name, new UserCredentials(name, password, roles));
        }
        return users;
    }
}
