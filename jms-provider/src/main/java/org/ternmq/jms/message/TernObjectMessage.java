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

    public TernObjectMessage() {
    }

    /** @throws MessageFormatException if the object cannot be serialized */
    @Override
    public void setObject(Serializable object) throws JMSException {
        checkBodyWritable();
        serialized = serialize(object);
    }

    /** @throws MessageFormatException if the object cannot be deserialized here */
    @Override
    public Serializable getObject() throws JMSException {
        if (serialized == null) {
            return null;
        }
        try (ObjectInputStream in = new ClassLoaderAwareObjectInputStream(new ByteArrayInputStream(serialized))) {
            return (Serializable) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            MessageFormatException failure = new MessageFormatException("cannot deserialize the object: " + e);
            failure.setLinkedException(e);
            failure.initCause(e);
            throw failure;
        }
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
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        serialized = serialize(((ObjectMessage) foreign).getObject());
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
