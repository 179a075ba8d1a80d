package org.ternmq.broker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The login module of a users file ({@link UsersFile}): a password must match the user's stored hash; a
 * client that presented a verified TLS certificate and no password is the user its certificate maps to,
 * if the file has that user (the file gives the roles). Options: {@code file}, the users file's path.
 *
 * <p>Immutable once configured; thread-safe.
 */
public final class FileLoginModule implements LoginModule {

    private volatile Map<String, UserCredentials> users = Map.of();
    /** Checked when the user is unknown, as costly as a real user's hash. */
    private volatile PasswordHash dummy;

    public FileLoginModule() {
    }

    public FileLoginModule(Map<String, UserCredentials> users) {
        setUsers(users);
    }

    private void setUsers(Map<String, UserCredentials> all) {
        users = Map.copyOf(all);
        int iterations = all.values().stream().mapToInt(u -> u.password().iterations()).max()
                .orElse(PasswordHash.MIN_ITERATIONS);
        dummy = PasswordHash.create("not a password".toCharArray(), iterations);
    }

    @Override
    public void configure(Map<String, String> options) {
        String file = options.get("file");
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("option 'file' (the users file) is required");
        }
        try {
            setUsers(UsersFile.read(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read users file " + file, e);
        }
    }

    @Override
    public Optional<AuthenticatedUser> login(LoginRequest request) {
        UserCredentials known = request.user() == null ? null : users.get(request.user());
        if (known == null) {
            // as slow as a wrong password, so a refusal does not tell which user names exist
            dummy.matches(request.password() == null ? new char[0] : request.password().toCharArray());
            return Optional.empty();
        }
        boolean ok = request.password() == null
                ? request.certificate() != null
                : known.password().matches(request.password().toCharArray());
        return ok ? Optional.of(new AuthenticatedUser(known.name(), Set.copyOf(known.roles()))) : Optional.empty();
    }

    @Override
    public boolean hasUsers() {
        return !users.isEmpty();
    }

    /** The users, by name. */
    public Map<String, UserCredentials> users() {
        return new LinkedHashMap<>(users);
    }
}
