package org.ternmq.broker.security;

import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs connections in through the {@link LoginModule}, off the broker's agent thread (a password hash takes
 * a fifth of a second on purpose), and slows failures down: each failed login's refusal waits, and so does
 * the next attempt from the same address ({@link FailedLogins}). Every outcome is audited.
 *
 * <p>Thread-safe: {@link #login} may be called from any thread; its callback runs on a login thread.
 */
public final class Authenticator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    /** The role that may run management operations and use every destination. */
    public static final String ADMIN_ROLE = "admin";

    /** What became of a login: the user, or why it was refused. */
    public record Outcome(AuthenticatedUser user, String refusal) {
        public boolean succeeded() {
            return user != null;
        }
    }

    private final LoginModule module;
    private final boolean allowAnonymous;
    private final FailedLogins failures;
    /** The handshake timeout's default (10 s) halved. */
    static final long DEFAULT_MAX_WAIT_MILLIS = 5_000;
    private final long maxWaitMillis;
    private final ScheduledThreadPoolExecutor threads;
    private final java.util.function.Function<java.security.cert.X509Certificate, String> certificateUser;

    /**
     * @param module          who the users are; null for none (a development broker)
     * @param allowAnonymous  whether a client without a user name (or certificate) is let in
     * @param failureDelayMillis the delay the first failed login from an address earns, doubled each time
     */
    public Authenticator(LoginModule module, boolean allowAnonymous, long failureDelayMillis) {
        this(module, allowAnonymous, failureDelayMillis, null);
    }

    /** @param certificateUser the user a verified client certificate names; null: certificates log nobody in */
    public Authenticator(LoginModule module, boolean allowAnonymous, long failureDelayMillis,
                         java.util.function.Function<java.security.cert.X509Certificate, String> certificateUser) {
        this(module, allowAnonymous, failureDelayMillis, certificateUser, DEFAULT_MAX_WAIT_MILLIS);
    }

    /**
     * @param maxWaitMillis the most an attempt waits for failures before it and for its own refusal together: below
     *                      the handshake timeout (half of it, say), so that a refused client hears why before either
     *                      side gives up on the handshake, however many failures its address earned
     */
    public Authenticator(LoginModule module, boolean allowAnonymous, long failureDelayMillis,
                         java.util.function.Function<java.security.cert.X509Certificate, String> certificateUser,
                         long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
        this.certificateUser = certificateUser;
        this.module = module;
        this.allowAnonymous = allowAnonymous;
        this.failures = new FailedLogins(failureDelayMillis);
        this.threads = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "tern-login");
            t.setDaemon(true);
            return t;
        });
        threads.setRemoveOnCancelPolicy(true);
        threads.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Whether the broker has users (false: a development broker, open to anonymous clients by default). */
    public boolean hasUsers() {
        return module != null && module.hasUsers();
    }

    /**
     * Checks {@code request} and hands the outcome to {@code done}, on a login thread, after the delay that
     * recent failures from its address earned.
     *
     * @param connectionId for the audit line
     */
    public void login(LoginRequest given, String connectionId, Consumer<Outcome> done) {
        LoginRequest request = withCertificateUser(given, done);
        if (request == null) {
            return;
        }
        boolean anonymous = (request.user() == null || request.user().isEmpty()) && request.certificate() == null;
        if (anonymous) {
            if (allowAnonymous) {
                AuditLog.login(AuthenticatedUser.ANONYMOUS.name(), connectionId, request.remote(), "anonymous");
                done.accept(new Outcome(AuthenticatedUser.ANONYMOUS, null));
            } else {
                AuditLog.loginFailed(null, request.remote(), "anonymous connections are not allowed", 0);
                done.accept(new Outcome(null, "anonymous connections are not allowed: give a user name and password"));
            }
            return;
        }
        long wait = Math.min(maxWaitMillis, failures.delayBeforeAttempt(request.remote(), System.currentTimeMillis()));
        try {
            threads.schedule(() -> check(request, connectionId, done, wait), wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            done.accept(new Outcome(null, "the broker is stopping"));
        }
    }

    /** The request with its certificate's user filled in, or without the certificate; null when refused. */
    private LoginRequest withCertificateUser(LoginRequest request, Consumer<Outcome> done) {
        if (request.certificate() != null && (request.password() == null || request.password().isEmpty())) {
            if (certificateUser == null) {
                request = new LoginRequest(request.user(), request.password(), null, request.remote());
            } else {
                // the TLS handshake verified the certificate against the trust store: it names the user
                String named = certificateUser.apply(request.certificate());
                if (request.user() != null && !request.user().isEmpty() && !request.user().equals(named)) {
                    AuditLog.loginFailed(request.user(), request.remote(), "certificate is for '" + named + "'", 0);
                    done.accept(new Outcome(null, "the client certificate is for user '" + named + "', not '"
                            + request.user() + "'"));
                    return null;
                }
                request = new LoginRequest(named, null, request.certificate(), request.remote());
            }
        } else if (request.certificate() != null) {
            request = new LoginRequest(request.user(), request.password(), null, request.remote());
        }
        return request;
    }

    /** {@code waited}: how long the attempt already waited for earlier failures (its refusal waits the rest). */
    private void check(LoginRequest request, String connectionId, Consumer<Outcome> done, long waited) {
        Optional<AuthenticatedUser> user;
        try {
            user = module == null ? Optional.empty() : module.login(request);
        } catch (RuntimeException e) {
            LOG.error("login module failed for {}", request, e);
            user = Optional.empty();
        }
        if (user.isPresent()) {
            AuditLog.login(user.get().name(), connectionId, request.remote(),
                    request.password() == null ? "certificate" : "password");
            done.accept(new Outcome(user.get(), null));
            return;
        }
        int count = failures.failed(request.remote(), System.currentTimeMillis());
        AuditLog.loginFailed(request.user(), request.remote(), "invalid credentials", count);
        Outcome refused = new Outcome(null, "invalid user name or password");
        try {
            long delay = Math.min(failures.penalty(count), Math.max(0, maxWaitMillis - waited));
            threads.schedule(() -> done.accept(refused), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            done.accept(refused);
        }
    }

    /**
     * Whether {@code user} may manage the broker and use every destination: a user with the
     * {@value #ADMIN_ROLE} role, or anyone on a broker without users (a development broker).
     */
    public boolean isAdministrator(AuthenticatedUser user) {
        return !hasUsers() || (user != null && user.hasRole(ADMIN_ROLE));
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
