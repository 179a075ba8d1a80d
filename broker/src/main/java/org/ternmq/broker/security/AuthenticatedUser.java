package org.ternmq.broker.security;

import java.util.Set;

/**
 * Who a connection is once its login succeeded: the user name permissions and audit lines use, and the
 * user's roles. Immutable.
 */
public record AuthenticatedUser(String name, Set<String> roles) {

    public AuthenticatedUser {
        roles = Set.copyOf(roles);
    }

    /** The identity of a connection that gave no user name, when the broker allows that. */
    public static final AuthenticatedUser ANONYMOUS = new AuthenticatedUser("anonymous", Set.of());

    public boolean isAnonymous() {
        return this == ANONYMOUS;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
