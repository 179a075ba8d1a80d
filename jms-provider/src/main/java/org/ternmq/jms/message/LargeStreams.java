package org.ternmq.jms.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.ternmq.client.ClientException;
import org.ternmq.client.LargeBodyReceiver;
import org.ternmq.jms.JmsExceptions;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/**
 * The streamed body of a large {@code BytesMessage} or {@code StreamMessage}, set and read through three object
 * properties that are never sent as properties:
 * <ul>
 *   <li>{@value #INPUT_STREAM}: on a message to send, an {@link InputStream} the producer reads the body from,
 *       in chunks, until its end; the message is sent as a large one whatever its size;</li>
 *   <li>{@value #SAVE_STREAM}: on a received message, an {@link OutputStream} the body is written into; the call
 *       returns once the whole body is written;</li>
 *   <li>{@value #OUTPUT_STREAM}: the same, but the call returns at once and the body is written by a thread of
 *       its own; {@link TernMessage#waitForBody} waits for the end.</li>
 * </ul>
 * A body is streamed once. Reading a large body with the ordinary body methods instead loads it into memory,
 * which fails for a body over {@link #MAX_IN_MEMORY} bytes.
 *
 * <p>Used by the one thread that uses the message, plus the writer thread of {@value #OUTPUT_STREAM}.
 */
final class LargeStreams {

    static final String INPUT_STREAM = "JMS_TERN_InputStream";
    static final String OUTPUT_STREAM = "JMS_TERN_OutputStream";
    static final String SAVE_STREAM = "JMS_TERN_SaveStream";
    /** The largest body that can be read into a byte array. */
    static final long MAX_IN_MEMORY = Integer.MAX_VALUE - 64;

    private final InputStream input;
    private final EncodedMessage encoded;
    private final LargeBodyReceiver body;
    private OutputStream output;
    private CompletableFuture<Void> written;
    private boolean loaded;

    private LargeStreams(InputStream input, EncodedMessage encoded, LargeBodyReceiver body) {
        this.input = input;
        this.encoded = encoded;
        this.body = body;
    }

    /** Tells the broker when a received message is dropped without its body read (the broker then lets it go). */
    private static final java.lang.ref.Cleaner UNREAD = java.lang.ref.Cleaner.create(r -> {
        Thread t = new Thread(r, "tern-large-body-cleaner");
        t.setDaemon(true);
        return t;
    });

    static LargeStreams received(TernMessage message, EncodedMessage encoded, LargeBodyReceiver body) {
        UNREAD.register(message, body::abandonIfUnread);
        return new LargeStreams(null, encoded, body);
    }

    static boolean isStreamProperty(String name) {
        return INPUT_STREAM.equals(name) || OUTPUT_STREAM.equals(name) || SAVE_STREAM.equals(name);
    }

    /** The body section of a message of {@code type} with an empty body. */
    static byte[] emptyBody(BodyType type) {
        return switch (type) {
            case TEXT, OBJECT -> new byte[1];
            case MAP -> new byte[4];
            default -> new byte[0];
        };
    }

    boolean isReceived() {
        return body != null;
    }

    boolean loaded() {
        return loaded;
    }

    EncodedMessage encoded() {
        return encoded;
    }

    InputStream input() {
        return input;
    }

    Object property(String name) {
        return INPUT_STREAM.equals(name) ? input : output;
    }

    /**
     * Handles a set of one of the three properties on {@code message}.
     *
     * @return the message's streams afterwards
     */
    static LargeStreams set(TernMessage message, LargeStreams current, String name, Object value)
            throws JMSException {
        boolean streamable = message instanceof TernBytesMessage || message instanceof TernStreamMessage;
        if (!streamable) {
            throw new MessageFormatException(name + " is for BytesMessage and StreamMessage bodies, not for a "
                    + message.getClass().getSimpleName());
        }
        if (INPUT_STREAM.equals(name)) {
            if (value != null && !(value instanceof InputStream)) {
                throw new MessageFormatException(name + " must be a java.io.InputStream, not a "
                        + value.getClass().getName());
            }
            if (message.isBodyReadOnly()) {
                throw new MessageNotWriteableException("the message body is read-only; call clearBody() first");
            }
            return value == null ? null : new LargeStreams((InputStream) value, null, null);
        }
        if (!(value instanceof OutputStream out)) {
            throw new MessageFormatException(name + " must be a java.io.OutputStream, not "
                    + (value == null ? "null" : "a " + value.getClass().getName()));
        }
        if (current == null || !current.isReceived()) {
            // an ordinary received message: its body is at hand
            if (!message.isBodyReadOnly()) {
                throw new jakarta.jms.IllegalStateException(name + " is for received messages");
            }
            writeInline(message, out);
            return current;
        }
        if (current.output != null || current.loaded) {
            throw new jakarta.jms.IllegalStateException("the body of this large message was read already");
        }
        current.output = out;
        if (SAVE_STREAM.equals(name)) {
            current.writeBody(out);
        } else {
            current.written = CompletableFuture.runAsync(() -> {
                try {
                    current.writeBody(out);
                } catch (JMSException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "tern-large-body-writer");
                t.setDaemon(true);
                t.start();
            });
        }
        return current;
    }

    private static void writeInline(TernMessage message, OutputStream out) throws JMSException {
        try {
            out.write(message.encodeBody());
            out.flush();
        } catch (IOException e) {
            JMSException failure = new JMSException("cannot write the message body to the OutputStream: " + e);
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
    }

    private void writeBody(OutputStream out) throws JMSException {
        try {
            body.writeTo(out);
        } catch (ClientException e) {
            throw JmsExceptions.from(e);
        } catch (IOException e) {
            JMSException failure = new JMSException("cannot write the large message's body to the OutputStream: " + e);
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
    }

    /** Reads the whole body into memory (the application reads a large body with the ordinary methods). */
    byte[] readAll() throws JMSException {
        if (body.size() > MAX_IN_MEMORY) {
            throw new MessageFormatException("the large message's body of " + body.size() + " bytes is too big to"
                    + " read into memory; stream it with the " + SAVE_STREAM + " or " + OUTPUT_STREAM + " property");
        }
        if (output != null) {
            throw new jakarta.jms.IllegalStateException("the body of this large message was streamed already");
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream((int) body.size());
        writeBody(buffer);
        loaded = true;
        return buffer.toByteArray();
    }

    boolean await(long timeoutMillis) throws JMSException {
        if (written == null) {
            throw new jakarta.jms.IllegalStateException("no " + OUTPUT_STREAM + " was set on this message");
        }
        try {
            written.get(timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for the body to be written");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof JMSException j) {
                throw j;
            }
            JMSException failure = new JMSException("writing the body failed: " + cause);
            failure.initCause(cause);
            throw failure;
        }
    }

    /** The message's body is cleared: a received body not read yet is released on the broker. */
    void discard() {
        if (body != null && output == null && !loaded) {
            body.cancel();
        }
    }
}
