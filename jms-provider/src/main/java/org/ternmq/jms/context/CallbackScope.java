package org.ternmq.jms.context;

/**
 * Remembers, per thread, which context's application callback the thread is running, so that the context can
 * refuse the calls the spec forbids from inside one: {@code close}, {@code commit} and {@code rollback} from a
 * {@code CompletionListener} of the same context; {@code close} from a {@code MessageListener} of the same
 * context and {@code stop} from a {@code MessageListener} of any context on the same connection.
 *
 * <p>A thread-local is the right tool: the classic layer runs each callback on one of its own threads, and the
 * question asked is always "is <em>this</em> thread inside a callback?". Scopes nest (a listener may send
 * asynchronously) and are restored on the way out.
 */
final class CallbackScope {

    private static final ThreadLocal<TernJMSContext> MESSAGE_LISTENER = new ThreadLocal<>();
    private static final ThreadLocal<TernJMSContext> COMPLETION_LISTENER = new ThreadLocal<>();

    private CallbackScope() {
    }

    /** Runs {@code body} as a {@code MessageListener} callback of {@code context}. */
    static void inMessageListener(TernJMSContext context, Runnable body) {
        run(MESSAGE_LISTENER, context, body);
    }

    /** Runs {@code body} as a {@code CompletionListener} callback of {@code context}. */
    static void inCompletionListener(TernJMSContext context, Runnable body) {
        run(COMPLETION_LISTENER, context, body);
    }

    /** @return whether this thread runs a {@code MessageListener} of {@code context} */
    static boolean inMessageListenerOf(TernJMSContext context) {
        return MESSAGE_LISTENER.get() == context;
    }

    /** @return whether this thread runs a {@code MessageListener} of any context on {@code share} */
    static boolean inMessageListenerOn(ConnectionShare share) {
        TernJMSContext current = MESSAGE_LISTENER.get();
        return current != null && current.share() == share;
    }

    /** @return whether this thread runs a {@code CompletionListener} of {@code context} */
    static boolean inCompletionListenerOf(TernJMSContext context) {
        return COMPLETION_LISTENER.get() == context;
    }

    private static void run(ThreadLocal<TernJMSContext> slot, TernJMSContext context, Runnable body) {
        TernJMSContext outer = slot.get();
        slot.set(context);
        try {
            body.run();
        } finally {
            if (outer == null) {
                slot.remove();
            } else {
                slot.set(outer);
            }
        }
    }
}
