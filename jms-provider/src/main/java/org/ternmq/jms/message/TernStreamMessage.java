package org.ternmq.jms.message;

import java.util.ArrayList;
import java.util.List;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.StreamMessage;

import org.ternmq.message.BodyCodec;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/**
 * A message whose body is a sequence of typed values, read back in order with the conversions of section
 * 3.11.3. A read that fails its conversion does not move the position, so the value can be read again as
 * another type. Write-only when created or cleared, read-only after {@link #reset()} or receipt. One thread
 * at a time, like every JMS message.
 */
public class TernStreamMessage extends TernMessage implements StreamMessage {

    private List<Object> values = new ArrayList<>();
    /** Index of the next value to read. */
    private int position;
    /** While a byte[] value is being read in chunks by {@link #readBytes}: how much of it is read; else -1. */
    private int bytesRead = -1;

    public TernStreamMessage() {
    }

    // ---------------------------------------------------------------- state

    @Override
    public void reset() {
        position = 0;
        bytesRead = -1;
        setBodyReadOnly(true);
    }

    /** @return the value at the position, not consumed */
    private Object next() throws JMSException {
        loadLargeBody();
        if (!isBodyReadOnly()) {
            throw new MessageNotReadableException("the message body is write-only; call reset() first");
        }
        if (bytesRead >= 0) {
            throw new MessageFormatException("finish reading the byte[] value with readBytes first");
        }
        if (position >= values.size()) {
            throw new MessageEOFException("end of the stream message");
        }
        return values.get(position);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public boolean readBoolean() throws JMSException {
        boolean value = ValueConversion.toBoolean(next());
        position++;
        return value;
    }

    @Override
    public byte readByte() throws JMSException {
        byte value = ValueConversion.toByte(next());
        position++;
        return value;
    }

    @Override
    public short readShort() throws JMSException {
        short value = ValueConversion.toShort(next());
        position++;
        return value;
    }

    @Override
    public char readChar() throws JMSException {
        char value = ValueConversion.toChar(next());
        position++;
        return value;
    }

    @Override
    public int readInt() throws JMSException {
        int value = ValueConversion.toInt(next());
        position++;
        return value;
    }

    @Override
    public long readLong() throws JMSException {
        long value = ValueConversion.toLong(next());
        position++;
        return value;
    }

    @Override
    public float readFloat() throws JMSException {
        float value = ValueConversion.toFloat(next());
        position++;
        return value;
    }

    @Override
    public double readDouble() throws JMSException {
        double value = ValueConversion.toDouble(next());
        position++;
        return value;
    }

    @Override
    public String readString() throws JMSException {
        String value = ValueConversion.toText(next());
        position++;
        return value;
    }

    @Override
    public Object readObject() throws JMSException {
        Object value = ValueConversion.snapshot(next());
        position++;
        return value;
    }

    /**
     * Reads a byte[] value in chunks: each call copies up to {@code value.length} bytes; a count smaller than
     * the buffer means the value is finished, a full buffer asks for another call, which returns -1 if
     * nothing was left. A null value gives -1, an empty one 0.
     */
    @Override
    public int readBytes(byte[] value) throws JMSException {
        if (bytesRead >= 0) {
            return continueBytes(value);
        }
        Object next = next();
        if (next == null) {
            position++;
            return -1;
        }
        if (!(next instanceof byte[] field)) {
            throw new MessageFormatException("a " + next.getClass().getSimpleName() + " value cannot be read as byte[]");
        }
        if (field.length == 0) {
            position++;
            return 0;
        }
        bytesRead = 0;
        return continueBytes(value);
    }

    private int continueBytes(byte[] buffer) throws JMSException {
        if (!isBodyReadOnly()) {
            throw new MessageNotReadableException("the message body is write-only; call reset() first");
        }
        byte[] field = (byte[]) values.get(position);
        int left = field.length - bytesRead;
        if (left == 0) {
            finishBytes();
            return -1;
        }
        int count = Math.min(buffer.length, left);
        System.arraycopy(field, bytesRead, buffer, 0, count);
        bytesRead += count;
        if (count < buffer.length) {
            finishBytes();
        }
        return count;
    }

    private void finishBytes() {
        bytesRead = -1;
        position++;
    }

    // ---------------------------------------------------------------- writing

    private void add(Object value) throws JMSException {
        checkBodyWritable();
        values.add(value);
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        add(value);
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        add(value);
    }

    @Override
    public void writeShort(short value) throws JMSException {
        add(value);
    }

    @Override
    public void writeChar(char value) throws JMSException {
        add(value);
    }

    @Override
    public void writeInt(int value) throws JMSException {
        add(value);
    }

    @Override
    public void writeLong(long value) throws JMSException {
        add(value);
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        add(value);
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        add(value);
    }

    @Override
    public void writeString(String value) throws JMSException {
        add(value);
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        add(value.clone());
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        if (offset < 0 || length < 0 || offset + length > value.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + value.length);
        }
        byte[] copy = new byte[length];
        System.arraycopy(value, offset, copy, 0, length);
        add(copy);
    }

    /** @throws MessageFormatException unless the value is null, a boxed primitive, a String or a byte[] */
    @Override
    public void writeObject(Object value) throws JMSException {
        checkBodyWritable();
        if (!ValueConversion.isBodyValue(value)) {
            throw new MessageFormatException("a stream message cannot hold a " + value.getClass().getName());
        }
        add(ValueConversion.snapshot(value));
    }

    // ---------------------------------------------------------------- body hooks

    /** @throws MessageFormatException always: a stream body has no single object form */
    @Override
    public <T> T getBody(Class<T> c) throws JMSException {
        throw new MessageFormatException("the body of a StreamMessage cannot be returned by getBody");
    }

    /** @return false always, as for every StreamMessage */
    @Override
    public boolean isBodyAssignableTo(@SuppressWarnings("rawtypes") Class c) {
        return false;
    }

    @Override
    BodyType bodyType() {
        return BodyType.STREAM;
    }

    @Override
    byte[] encodeBody() {
        return BodyCodec.encodeStream(values);
    }

    @Override
    void decodeBody(EncodedMessage encoded) {
        values = BodyCodec.decodeStream(encoded);
        position = 0;
        bytesRead = -1;
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        StreamMessage stream = (StreamMessage) foreign;
        stream.reset();
        try {
            while (true) {
                values.add(ValueConversion.snapshot(stream.readObject()));
            }
        } catch (MessageEOFException end) {
            // the whole stream is copied
        }
        stream.reset();
    }

    @Override
    void clearBodyContent() {
        values = new ArrayList<>();
        position = 0;
        bytesRead = -1;
    }

    @Override
    boolean hasNoBody() {
        return values.isEmpty();
    }

    @Override
    String bodySummary() {
        return (isBodyReadOnly() ? "read-only" : "write-only") + ", " + values.size() + " values";
    }
}
