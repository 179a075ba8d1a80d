package org.ternmq.jms.context;

import jakarta.jms.CompletionListener;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * Wraps the application's {@link CompletionListener} of a {@link TernJMSProducer}: marks the callback thread
 * (so that the context can refuse {@code close}, {@code commit} and {@code rollback} from it) and hands the
 * application the runtime form of a checked failure, since the simplified API speaks only runtime exceptions.
 *
 * <p>Called by whatever thread the classic layer completes sends on.
 */
final class ContextCompletionListener implements CompletionListener {

    private final TernJMSContext context;
    private final CompletionListener application;

    ContextCompletionListener(TernJMSContext context, CompletionListener application) {
        this.context = context;
        this.application = application;
    }

    @Override
    public void onCompletion(Message message) {
        CallbackScope.inCompletionListener(context, () -> application.onCompletion(message));
    }

    @Override
    public void onException(Message message, Exception exception) {
        Exception mapped = exception instanceof JMSException e ? RuntimeExceptions.toRuntime(e) : exception;
        CallbackScope.inCompletionListener(context, () -> application.onException(message, mapped));
    }
}
