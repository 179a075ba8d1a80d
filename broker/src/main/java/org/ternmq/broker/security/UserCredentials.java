package org.ternmq.broker.security;

import java.util.List;

/** A user the broker knows: name, password hash and roles. Immutable. */
public record UserCredentials(String name, PasswordHash password, List<String> roles) {
    public UserCredentials {
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "UserCredentials[" + name + ", roles=" + roles + "]";
    }
}
