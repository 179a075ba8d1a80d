package org.ternmq.jms.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;

import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/**
 * A message whose body is a stream of uninterpreted bytes, written and read as {@code DataOutputStream} and
 * {@code DataInputStream} do. Write-only when created or cleared, read-only after {@link #reset()} or
 * receipt. One thread at a time, like every JMS message.
 */
public class TernBytesMessage extends TernMessage implements BytesMessage {

    /** Where writes go while the body is writable. */
    private ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(new ForwardingStream());
    /** The body being read while it is read-only; its position is the read position. */
    private ByteBuffer reading;

    public TernBytesMessage() {
    }

    /** Lets {@link #out} keep writing to whichever buffer {@link #written} is after a clear. */
    private final class ForwardingStream extends java.io.OutputStream {
        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            written.write(b, off, len);
        }
    }

    // ---------------------------------------------------------------- state

    @Override
    public void reset() throws JMSException {
        if (reading == null) {
            reading = ByteBuffer.wrap(written.toByteArray());
            written = new ByteArrayOutputStream();
        }
        reading.rewind();
        setBodyReadOnly(true);
    }

    @Override
    public long getBodyLength() throws JMSException {
        checkReadable();
        return reading.limit();
    }

    private void checkReadable() throws JMSException {
        loadLargeBody();
        if (reading == null) {
            throw new MessageNotReadableException("the message body is write-only; call reset() first");
        }
    }

    /** @return the whole body, whatever the mode, without moving the read position */
    private byte[] content() {
        if (reading != null) {
            return Arrays.copyOf(reading.array(), reading.limit());
        }
        return written.toByteArray();
    }

    @Override
    BodyType bodyType() {
        return BodyType.BYTES;
    }

    @Override
    byte[] encodeBody() {
        return content();
    }

    @Override
    void decodeBody(EncodedMessage encoded) {
        reading = ByteBuffer.wrap(encoded.body());
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        BytesMessage bytes = (BytesMessage) foreign;
        bytes.reset();
        byte[] chunk = new byte[8192];
        for (int count = bytes.readBytes(chunk); count > 0; count = bytes.readBytes(chunk)) {
            written.write(chunk, 0, count);
        }
        // leave the foreign message readable from the start, as a send must not consume it
        bytes.reset();
    }

    @Override
    void clearBodyContent() {
        written = new ByteArrayOutputStream();
        reading = null;
    }

    @Override
    boolean hasNoBody() {
        return reading != null ? reading.limit() == 0 : written.size() == 0;
    }

    @Override
    Object bodyObject() {
        return content();
    }

    @Override
    String bodySummary() {
        return (reading != null ? "read-only" : "write-only") + ", " + (reading != null ? reading.limit()
                : written.size()) + " bytes";
    }

    // ---------------------------------------------------------------- reading

    private ByteBuffer readable(int size) throws JMSException {
        checkReadable();
        if (reading.remaining() < size) {
            throw new MessageEOFException("end of the bytes message: " + size + " bytes wanted, "
                    + reading.remaining() + " left");
        }
        return reading;
    }

    @Override
    public boolean readBoolean() throws JMSException {
        return readable(1).get() != 0;
    }

    @Override
    public byte readByte() throws JMSException {
        return readable(1).get();
    }

    @Override
    public int readUnsignedByte() throws JMSException {
        return readable(1).get() & 0xFF;
    }

    @Override
    public short readShort() throws JMSException {
        return readable(2).getShort();
    }

    @Override
    public int readUnsignedShort() throws JMSException {
        return readable(2).getShort() & 0xFFFF;
    }

    @Override
    public char readChar() throws JMSException {
        return readable(2).getChar();
    }

    @Override
    public int readInt() throws JMSException {
        return readable(4).getInt();
    }

    @Override
    public long readLong() throws JMSException {
        return readable(8).getLong();
    }

    @Override
    public float readFloat() throws JMSException {
        return readable(4).getFloat();
    }

    @Override
    public double readDouble() throws JMSException {
        return readable(8).getDouble();
    }

    /** Reads modified UTF-8 as {@code DataInputStream.readUTF}; on failure the position does not move. */
    @Override
    public String readUTF() throws JMSException {
        ByteBuffer buffer = readable(2);
        int start = buffer.position();
        ByteArrayInputStream in = new ByteArrayInputStream(buffer.array(), start, buffer.remaining());
        try {
            String value = DataInputStream.readUTF(new DataInputStream(in));
            buffer.position(buffer.limit() - in.available());
            return value;
        } catch (EOFException | BufferUnderflowException e) {
            throw new MessageEOFException("end of the bytes message inside a UTF string");
        } catch (IOException e) {
            MessageFormatException failure = new MessageFormatException("not a modified UTF-8 string: " + e);
            failure.setLinkedException(e);
            throw failure;
        }
    }

    @Override
    public int readBytes(byte[] value) throws JMSException {
        return readBytes(value, value.length);
    }

    /** @return the number of bytes read into {@code value[0..length)}, or -1 at the end of the body */
    @Override
    public int readBytes(byte[] value, int length) throws JMSException {
        if (length < 0 || length > value.length) {
            throw new IndexOutOfBoundsException("length " + length + " for a buffer of " + value.length);
        }
        checkReadable();
        if (!reading.hasRemaining()) {
            return -1;
        }
        int count = Math.min(length, reading.remaining());
        reading.get(value, 0, count);
        return count;
    }

    // ---------------------------------------------------------------- writing

    private DataOutputStream writable() throws JMSException {
        checkBodyWritable();
        return out;
    }

    @Override
    public void writeBoolean(boolean value) throws JMSException {
        write(() -> writable().writeBoolean(value));
    }

    @Override
    public void writeByte(byte value) throws JMSException {
        write(() -> writable().writeByte(value));
    }

    @Override
    public void writeShort(short value) throws JMSException {
        write(() -> writable().writeShort(value));
    }

    @Override
    public void writeChar(char value) throws JMSException {
        write(() -> writable().writeChar(value));
    }

    @Override
    public void writeInt(int value) throws JMSException {
        write(() -> writable().writeInt(value));
    }

    @Override
    public void writeLong(long value) throws JMSException {
        write(() -> writable().writeLong(value));
    }

    @Override
    public void writeFloat(float value) throws JMSException {
        write(() -> writable().writeFloat(value));
    }

    @Override
    public void writeDouble(double value) throws JMSException {
        write(() -> writable().writeDouble(value));
    }

    /** @throws MessageFormatException for a string longer than 65535 bytes in modified UTF-8 */
    @Override
    public void writeUTF(String value) throws JMSException {
        write(() -> writable().writeUTF(value));
    }

    @Override
    public void writeBytes(byte[] value) throws JMSException {
        write(() -> writable().write(value));
    }

    @Override
    public void writeBytes(byte[] value, int offset, int length) throws JMSException {
        write(() -> writable().write(value, offset, length));
    }

    /**
     * Writes a boxed primitive, a String (as UTF) or a byte[].
     *
     * @throws NullPointerException for null
     * @throws MessageFormatException for any other type
     */
    @Override
    public void writeObject(Object value) throws JMSException {
        if (value == null) {
            throw new NullPointerException("a bytes message cannot hold null");
        } else if (value instanceof Boolean v) {
            writeBoolean(v);
        } else if (value instanceof Byte v) {
            writeByte(v);
        } else if (value instanceof Short v) {
            writeShort(v);
        } else if (value instanceof Character v) {
            writeChar(v);
        } else if (value instanceof Integer v) {
            writeInt(v);
        } else if (value instanceof Long v) {
            writeLong(v);
        } else if (value instanceof Float v) {
            writeFloat(v);
        } else if (value instanceof Double v) {
            writeDouble(v);
        } else if (value instanceof String v) {
            writeUTF(v);
        } else if (value instanceof byte[] v) {
            writeBytes(v);
        } else {
            throw new MessageFormatException("a bytes message cannot hold a " + value.getClass().getName());
        }
    }

    /** A write to the in-memory stream: only a too-long UTF string can fail. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException, JMSException;
    }

    private static void write(Write write) throws JMSException {
        try {
            write.run();
        } catch (IOException e) {
            MessageFormatException failure = new MessageFormatException("cannot write: " + e);
            failure.setLinkedException(e);
            throw failure;
        }
    }
}
