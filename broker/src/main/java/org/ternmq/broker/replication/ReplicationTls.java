package org.ternmq.broker.replication;

import java.util.Locale;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.NotSslRecordException;
import org.ternmq.client.Causes;

/**
 * Turns a failed TLS handshake on the replication link into a sentence an operator can act on, on the live
 * broker's side and on the backup's. Stateless.
 */
final class ReplicationTls {

    private ReplicationTls() {
    }

    /** Whether {@code t} is (caused by) a TLS failure. */
    static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException || c instanceof NotSslRecordException) {
                return true;
            }
        }
        return false;
    }

    /** Why the live broker's replication port refused a connection. */
    static String describeAtLive(Throwable cause) {
        String all = Causes.chain(cause);
        String lower = all.toLowerCase(Locale.ROOT);
        String why;
        if (Causes.has(cause, NotSslRecordException.class) || lower.contains("not an ssl/tls record")) {
            why = "it does not speak TLS, and this replication port requires TLS (configure the backup's tls-* "
                    + "settings)";
        } else if (lower.contains("pkix path") || lower.contains("certification path")
                || lower.contains("empty client certificate") || lower.contains("certificate_required")
                || lower.contains("bad_certificate")) {
            why = "its client certificate is missing or not signed by a CA of tls-trust-store (tls-client-auth)";
        } else if (lower.contains("certificate_unknown") || lower.contains("unknown_ca")) {
            why = "it does not trust this broker's certificate (its tls-trust-store lacks this broker's CA)";
        } else if (lower.contains("timed out")) {
            why = "no TLS handshake in time";
        } else {
            why = "TLS handshake failed";
        }
        return why + " (" + all + ")";
    }

    /** Why this backup's TLS handshake with the live broker at {@code where} failed. */
    static String describeAtBackup(Throwable cause, String where) {
        String all = Causes.chain(cause);
        String lower = all.toLowerCase(Locale.ROOT);
        String why;
        if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
            why = "the live broker's certificate does not name the host of backup-of (host-name verification)";
        } else if (lower.contains("pkix path") || lower.contains("unable to find valid certification path")
                || lower.contains("signature check failed") || lower.contains("path does not chain")) {
            why = "the live broker's certificate is not signed by a CA of this broker's tls-trust-store";
        } else if (lower.contains("bad_certificate") || lower.contains("certificate_required")
                || lower.contains("certificate_unknown") || lower.contains("unknown_ca")) {
            why = "the live broker refused this broker's certificate (its tls-trust-store, tls-client-auth)";
        } else if (lower.contains("closed") || lower.contains("unrecognized ssl message")
                || lower.contains("not an ssl/tls record") || lower.contains("timed out")) {
            why = "no TLS answer: is the live broker's replication port plain TCP (TLS is configured on this backup "
                    + "and not on the live broker)?";
        } else {
            why = "TLS error";
        }
        return "TLS handshake with the live broker at " + where + " failed: " + why + " (" + all + ")";
    }
}
