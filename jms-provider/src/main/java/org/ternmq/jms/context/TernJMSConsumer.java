package org.ternmq.jms.context;

import jakarta.jms.BytesMessage;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;

import org.ternmq.jms.context.RuntimeExceptions.JmsCall;

/**
 * {@link JMSConsumer} over a classic {@link MessageConsumer} of a {@link TernJMSContext}'s session.
 *
 * <p>{@code receiveBody} in AUTO_ACKNOWLEDGE or DUPS_OK_ACKNOWLEDGE mode must behave, when the body cannot be
 * returned, "as if the call had not occurred": the message comes again before any later one and not as a
 * redelivery. The classic consumer has already acknowledged it by then, so this consumer keeps it and hands it
 * out first on the next receive. The limit: a message kept that way is lost if the consumer is closed before it
 * is received again (the classic API offers no way to receive without acknowledging in those modes).
 *
 * <p>Threads: one thread at a time, as the session; {@link #close()} may come from any thread.
 */
final class TernJMSConsumer implements JMSConsumer {

    private final TernJMSContext context;
    private final MessageConsumer consumer;
    /** The application's listener, as it gave it (the classic consumer holds a wrapper). */
    private volatile MessageListener listener;
    private volatile boolean closed;
    /** A message receiveBody could not convert in AUTO or DUPS_OK mode; delivered again before any other. */
    private volatile Message keptBack;

    TernJMSConsumer(TernJMSContext context, MessageConsumer consumer) {
        this.context = context;
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        checkOpen();
        String selector = RuntimeExceptions.unchecked(consumer::getMessageSelector);
        return selector == null || selector.isEmpty() ? null : selector;
    }

    @Override
    public MessageListener getMessageListener() {
        checkOpen();
        return listener;
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        checkOpen();
        MessageListener wrapper = listener == null ? null : new ContextMessageListener(context, listener);
        RuntimeExceptions.uncheckedRun(() -> consumer.setMessageListener(wrapper));
        this.listener = listener;
    }

    @Override
    public Message receive() {
        return next(consumer::receive);
    }

    @Override
    public Message receive(long timeout) {
        return next(() -> consumer.receive(timeout));
    }

    @Override
    public Message receiveNoWait() {
        return next(consumer::receiveNoWait);
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(c, next(consumer::receive));
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(c, next(() -> consumer.receive(timeout)));
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(c, next(consumer::receiveNoWait));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keptBack = null;
        RuntimeExceptions.uncheckedRun(consumer::close);
    }

    private Message next(JmsCall<Message> receive) {
        checkOpen();
        Message message = keptBack;
        if (message != null && !context.share().isStopped()) {
            keptBack = null;
        } else {
            // a stopped connection delivers nothing, not even what this consumer holds back
            message = RuntimeExceptions.unchecked(receive);
        }
        context.delivered(message);
        return message;
    }

    private <T> T body(Class<T> type, Message message) {
        if (message == null) {
            return null;
        }
        // StreamMessage and plain Message have no body receiveBody may return, whatever the type asked
        if (!(message instanceof TextMessage || message instanceof BytesMessage
                || message instanceof MapMessage || message instanceof ObjectMessage)) {
            throw refuse(message, "a " + kind(message) + " has no body receiveBody can return", null);
        }
        T body;
        try {
            if (!message.isBodyAssignableTo(type)) {
                throw refuse(message, "the body of a " + kind(message) + " cannot be assigned to " + type.getName(),
                        null);
            }
            body = message.getBody(type);
        } catch (JMSException e) {
            throw refuse(message, e.getMessage(), e);
        }
        if (body == null) {
            // null would read as "no message"; the Javadoc calls a missing body a format error
            throw refuse(message, "the " + kind(message) + " has no body", null);
        }
        return body;
    }

    private MessageFormatRuntimeException refuse(Message message, String reason, JMSException cause) {
        if (context.acknowledgesOnReceive()) {
            keptBack = message;
        }
        return cause == null
                ? new MessageFormatRuntimeException(reason)
                : new MessageFormatRuntimeException(reason, cause.getErrorCode(), cause);
    }

    private static String kind(Message message) {
        if (message instanceof TextMessage) {
            return "TextMessage";
        } else if (message instanceof BytesMessage) {
            return "BytesMessage";
        } else if (message instanceof MapMessage) {
            return "MapMessage";
        } else if (message instanceof ObjectMessage) {
            return "ObjectMessage";
        } else if (message instanceof StreamMessage) {
            return "StreamMessage";
        }
        return "Message";
    }

    private void checkOpen() {
        context.checkOpen();
        if (closed) {
            throw new IllegalStateRuntimeException("this JMSConsumer is closed");
        }
    }
}
