package org.ternmq.jms.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ObjectMessage;

import org.ternmq.message.BodyCodec;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/**
 * A message whose body is a serializable object. The object is serialized when it is set, so later changes
 * to it do not show in the message, and deserialized afresh by each {@link #getObject()}, with the thread's
 * context class loader first. One thread at a time, like every JMS message.
 */
public class TernObjectMessage extends TernMessage implements ObjectMessage {

    /** The serialized object, or null for a null object. */
    private byte[] serialized;
    /** What {@link #getObject()} may deserialize: its connection's setting, else the JVM's. */
    private TrustedPackages trusted = TrustedPackages.fromSystem();
    /** Whether the body came from the wire (checked against {@link #trusted}), not from this JVM's setObject. */
    private boolean received;

    public TernObjectMessage() {
    }

    /** @throws MessageFormatException if the object cannot be serialized */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = serialize(object);
        received = false;
    }

    /** Sets the packages {@link #getObject()} may deserialize (the receiving connection's). */
    public void setTrustedPackages(TrustedPackages trusted) {
        this.trusted = java.util.Objects.requireNonNull(trusted, "trusted");
    }

    /**
     * @throws MessageFormatException if the object cannot be deserialized here, or holds a class outside the
     *     trusted packages ({@link TrustedPackages}), named in the message
     */
    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        TrustedPackages.Filter filter = trusted.newFilter();
        try (ObjectInputStream in = new ClassLoaderAwareObjectInputStream(new ByteArrayInputStream(serialized))) {
            if (received) {
                // bytes this JVM serialized itself hold only its own objects' classes: nothing to distrust
                in.setObjectInputFilter(filter);
            }
            return (Serializable) in.readObject();
        } catch (java.io.InvalidClassException e) {
            if (filter.rejected() == null) {
                throw formatFailure("cannot deserialize the object: " + e, e);
            }
            throw formatFailure("ObjectMessage holds class " + filter.rejected() + ", which is not in the trusted packages "
                    + trusted + ": deserializing untrusted classes can run an attacker's code. If the sender is trusted, "
                    + "add its package to the connection URL's trustedPackages option or the " + TrustedPackages.SYSTEM_PROPERTY
                    + " system property", e);
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            MessageFormatException failure = new MessageFormatException("cannot deserialize the object: " + e);
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
    }

    private static MessageFormatException formatFailure(String text, Exception cause) {
        MessageFormatException failure = new MessageFormatException(text);
        failure.setLinkedException(cause);
        failure.initCause(cause);
        return failure;
    }

    private static byte[] serialize(Serializable object) throws MessageFormatException {
        if (object == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(object);
        } catch (IOException e) {
            MessageFormatException failure = new MessageFormatException("cannot serialize " + object.getClass()
                    + ": " + e);
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
        return bytes.toByteArray();
    }

    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        if (serialized == null) {
            return true;
        }
        try {
            return c != null && c.isInstance(getObject());
        } catch (JMSException cannotDeserialize) {
            return false;
        }
    }

    @Override
    BodyType bodyType() {
        return BodyType.OBJECT;
    }

    @Override
    byte[] encodeBody() {
        return BodyCodec.encodeObject(serialized);
    }

    @Override
    void decodeBody(EncodedMessage encoded) {
        serialized = BodyCodec.decodeObject(encoded);
        received = true;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        serialized = serialize(((ObjectMessage) foreign).getObject());
        received = false;
    }

    @Override
    void clearBodyContent() {
        serialized = null;
    }

    @Override
    boolean hasNoBody() {
        return serialized == null;
    }

    @Override
    Object bodyObject() throws JMSException {
        return getObject();
    }

    @Override
    String bodySummary() {
        return serialized == null ? "object=null" : "object=" + serialized.length + " serialized bytes";
    }
}
