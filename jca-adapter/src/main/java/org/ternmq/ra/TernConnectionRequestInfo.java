package org.ternmq.ra;

import java.util.Objects;

import jakarta.resource.spi.ConnectionRequestInfo;

/**
 * What an application asked for when it took a connection: the user and password of
 * {@code createConnection(user, password)}, or neither. Managed connections match on it. Immutable.
 */
final class TernConnectionRequestInfo implements ConnectionRequestInfo {

    static final TernConnectionRequestInfo DEFAULT = new TernConnectionRequestInfo(null, null);

    final String user;
    final String password;

    TernConnectionRequestInfo(String user, String password) {
        this.user = user;
        this.password = password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TernConnectionRequestInfo c && Objects.equals(c.user, user)
                && Objects.equals(c.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(user);
    }

    @Override
    public String toString() {
        return "TernConnectionRequestInfo[" + (user == null ? "default user" : user) + "]";
    }
}
