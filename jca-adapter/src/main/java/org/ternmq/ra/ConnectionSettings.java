package org.ternmq.ra;

import java.io.Serializable;

import org.ternmq.client.ConnectionUrl;
import org.ternmq.jms.TernXAConnectionFactory;

/**
 * Where and as whom to connect: the resource adapter's settings, overridden by a connection factory's or an
 * activation's where they set their own. Immutable.
 *
 * @param url      a Tern connection URL, several hosts allowed ({@code tern://a:61616,b:61616})
 * @param user     null for anonymous
 * @param clientId null for none
 */
record ConnectionSettings(String url, String user, String password, String clientId) implements Serializable {

    static final String DEFAULT_URL = "tern://127.0.0.1:61616";

    /** {@code this} with each non-null argument in place of its own value. */
    ConnectionSettings overriddenBy(String url, String user, String password, String clientId) {
        return new ConnectionSettings(url != null && !url.isBlank() ? url : this.url,
                user != null ? user : this.user, user != null ? password : this.password,
                clientId != null && !clientId.isBlank() ? clientId : this.clientId);
    }

    /** @return why the URL cannot be used, or null */
    String urlProblem() {
        try {
            ConnectionUrl.parse(url);
            return null;
        } catch (IllegalArgumentException e) {
            return "connectionUrl '" + url + "': " + e.getMessage();
        }
    }

    TernXAConnectionFactory factory() {
        TernXAConnectionFactory f = new TernXAConnectionFactory(url);
        f.setUser(user);
        f.setPassword(password);
        return f;
    }

    @Override
    public String toString() {
        return "ConnectionSettings[" + url + (user == null ? "" : ", user " + user)
                + (clientId == null ? "" : ", client id " + clientId) + "]";
    }
}
