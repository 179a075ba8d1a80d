package org.ternmq.jms.context;

import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Wraps the application's {@link MessageListener} of a {@link TernJMSConsumer}: records the delivery (for
 * {@link TernJMSContext#acknowledge()}) and marks the callback thread, so that the context can refuse
 * {@code close} and {@code stop} from inside its own listeners.
 *
 * <p>Called by the classic session's delivery thread, one message at a time.
 */
final class ContextMessageListener implements MessageListener {

    private final TernJMSContext context;
    private final MessageListener application;

    ContextMessageListener(TernJMSContext context, MessageListener application) {
        this.context = context;
        this.application = application;
    }

    @Override
    public void onMessage(Message message) {
        context.delivered(message);
        CallbackScope.inMessageListener(context, () -> application.onMessage(message));
    }
}
