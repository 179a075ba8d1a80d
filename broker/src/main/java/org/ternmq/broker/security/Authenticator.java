package org.ternmq.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the credentials of a new connection. Immutable and thread-safe.
 */
public final class Authenticator {

    /** The identity of a connection that gave no user name, when the broker allows that. */
    public static final String ANONYMOUS = "anonymous";

    private final Map<String, UserCredentials> users;
    private final boolean allowAnonymous;

    public Authenticator(Map<String, UserCredentials> users, boolean allowAnonymous) {
        this.users = Map.copyOf(users);
        this.allowAnonymous = allowAnonymous;
    }

    /**
     * @return the authenticated user name, or empty when the credentials are refused. A null or empty
     *     user name is anonymous.
     */
    public Optional<String> authenticate(String user, String password) {
        if (user == null || user.isEmpty()) {
            return allowAnonymous ? Optional.of(ANONYMOUS) : Optional.empty();
        }
        UserCredentials known = users.get(user);
        if (known == null || password == null || !constantTimeEquals(known.password(), password)) {
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /** The role that may run management operations. */
    public static final String ADMIN_ROLE = "admin";

    /**
     * Whether {@code user} may manage the broker: a user with the {@value #ADMIN_ROLE} role, or anyone on a
     * broker that has no users at all (a development broker).
     */
    public boolean isAdministrator(String user) {
        if (users.isEmpty()) {
            return true;
        }
        UserCredentials known = users.get(user);
        return known != null && known.roles().contains(ADMIN_ROLE);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
