package org.ternmq.broker.security;

import java.net.SocketAddress;
import java.security.cert.X509Certificate;

/**
 * What a client presented to log in.
 *
 * @param user        the user name the client gave, or null
 * @param password    the password the client gave, or null
 * @param certificate the client's TLS certificate, verified by the TLS handshake, or null
 * @param remote      where the connection comes from (for logs and the throttling of failures)
 */
public record LoginRequest(String user, String password, X509Certificate certificate, SocketAddress remote) {

    @Override
    public String toString() {
        return "LoginRequest[user=" + user + ", certificate="
                + (certificate == null ? "none" : certificate.getSubjectX500Principal().getName()) + ", from " + remote + "]";
    }
}
