package org.ternmq.broker.security;

import java.util.List;

/** A user the broker knows: name, password and roles. */
public record UserCredentials(String name, String password, List<String> roles) {
    public UserCredentials {
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "UserCredentials[" + name + ", roles=" + roles + "]";
    }
}
