package org.ternmq.jms;

/**
 * Which session's callback the current thread is running, if any: a {@code MessageListener} or a
 * {@code CompletionListener}. Used to refuse the calls the specification forbids from inside a callback
 * (closing or stopping its own connection, closing its own session, committing from a completion listener)
 * instead of deadlocking. Each thread sees only its own value.
 */
final class CallbackThreads {

    private static final ThreadLocal<TernSession> LISTENER = new ThreadLocal<>();
    private static final ThreadLocal<TernSession> COMPLETION = new ThreadLocal<>();

    private CallbackThreads() {
    }

    static void enterListener(TernSession session) {
        LISTENER.set(session);
    }

    static void exitListener() {
        LISTENER.remove();
    }

    static void enterCompletion(TernSession session) {
        COMPLETION.set(session);
    }

    static void exitCompletion() {
        COMPLETION.remove();
    }

    /** @return the session whose message listener this thread is running, or null */
    static TernSession listenerSession() {
        return LISTENER.get();
    }

    /** @return the session whose completion listener this thread is running, or null */
    static TernSession completionSession() {
        return COMPLETION.get();
    }

    static boolean inCallbackOf(TernConnection connection) {
        TernSession l = LISTENER.get();
        TernSession c = COMPLETION.get();
        return (l != null && l.connection() == connection) || (c != null && c.connection() == connection);
    }

    /** Whether this thread runs a message listener of {@code connection} (completion listeners excluded). */
    static boolean inListenerOf(TernConnection connection) {
        TernSession l = LISTENER.get();
        return l != null && l.connection() == connection;
    }

    static boolean inCallbackOf(TernSession session) {
        return LISTENER.get() == session || COMPLETION.get() == session;
    }
}
