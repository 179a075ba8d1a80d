package org.ternmq.broker.security;

import java.util.Map;
import java.util.Optional;

/**
 * Decides who a connecting client is: the broker's authentication SPI. {@link FileLoginModule} reads a users
 * file; another implementation (LDAP, a database) is named by class in the {@code login-module} setting and
 * gets the configuration file's {@code login.*} entries (without the prefix) in {@link #configure}.
 *
 * <p>An implementation needs a public no-argument constructor. {@link #login} runs on the broker's login
 * threads, never on its agent thread, so it may block (hash a password, ask a directory server); it is
 * called by several threads at once.
 */
public interface LoginModule {

    /** Called once before the first login. @throws IllegalArgumentException naming a bad option */
    default void configure(Map<String, String> options) throws Exception {
    }

    /**
     * Checks the credentials of a client that gave a user name or a TLS certificate (anonymous clients never
     * reach the module).
     *
     * @return the authenticated user, or empty when the credentials are refused
     */
    Optional<AuthenticatedUser> login(LoginRequest request);

    /**
     * Whether this module has any users. A broker whose module has none is a development broker: anonymous
     * clients are let in by default and may do everything.
     */
    boolean hasUsers();

    /** Loads and configures the module named {@code className}. @throws IllegalArgumentException with the reason */
    static LoginModule load(String className, Map<String, String> options) {
        Object instance;
        try {
            Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : LoginModule.class.getClassLoader());
            instance = type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("cannot load login module " + className + ": " + e);
        }
        if (!(instance instanceof LoginModule module)) {
            throw new IllegalArgumentException(className + " does not implement " + LoginModule.class.getName());
        }
        try {
            module.configure(Map.copyOf(options));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("login module " + className + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalArgumentException("login module " + className + " failed to configure: " + e, e);
        }
        return module;
    }
}
