package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.destination.TernQueue;

class BytesMessageTest {

    private static TernBytesMessage received(TernBytesMessage message) {
        message.setJMSDestination(new TernQueue("q"));
        return (TernBytesMessage) TernMessage.decode(message.encode(), 1);
    }

    @Test
    void everyTypeReadsBackAfterReceipt() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeBoolean(true);
        message.writeByte((byte) -1);
        message.writeShort((short) -2);
        message.writeChar('\u4e2d');
        message.writeInt(-3);
        message.writeLong(-4);
        message.writeFloat(1.5f);
        message.writeDouble(2.5);
        message.writeUTF("h\u00e9llo\u0000");
        message.writeBytes(new byte[] {1, 2});
        message.writeBytes(new byte[] {0, 3, 4, 0}, 1, 2);
        message.writeObject(7);
        message.writeObject("obj");
        message.writeObject(new byte[] {5});

        TernBytesMessage received = received(message);

        assertThat(received.readBoolean()).isTrue();
        assertThat(received.readByte()).isEqualTo((byte) -1);
        assertThat(received.readShort()).isEqualTo((short) -2);
        assertThat(received.readChar()).isEqualTo('\u4e2d');
        assertThat(received.readInt()).isEqualTo(-3);
        assertThat(received.readLong()).isEqualTo(-4L);
        assertThat(received.readFloat()).isEqualTo(1.5f);
        assertThat(received.readDouble()).isEqualTo(2.5);
        assertThat(received.readUTF()).isEqualTo("h\u00e9llo\u0000");
        byte[] four = new byte[4];
        assertThat(received.readBytes(four)).isEqualTo(4);
        assertThat(four).containsExactly(1, 2, 3, 4);
        assertThat(received.readInt()).isEqualTo(7);
        assertThat(received.readUTF()).isEqualTo("obj");
        assertThat(received.readUnsignedByte()).isEqualTo(5);
        assertThat(received.readBytes(four)).isEqualTo(-1);
        assertThatThrownBy(received::readByte).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void layoutIsThatOfDataOutputStream() throws Exception {
        TernBytesMessage message = new TernBytesMessage();
        message.writeInt(0x01020304);
        message.writeUTF("ab");
        message.writeDouble(1.0);
        message.reset();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeInt(0x01020304);
            out.writeUTF("ab");
            out.writeDouble(1.0);
        }

        assertThat(message.getBodyLength()).isEqualTo(expected.size());
        assertThat(message.getBody(byte[].class)).containsExactly(expected.toByteArray());
    }

    @Test
    void unsignedReads() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeByte((byte) 0xFF);
        message.writeShort((short) 0xFFFE);
        message.reset();

        assertThat(message.readUnsignedByte()).isEqualTo(255);
        assertThat(message.readUnsignedShort()).isEqualTo(65534);
    }

    @Test
    void readBytesReturnsChunksThenMinusOne() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeBytes(new byte[] {1, 2, 3, 4, 5});
        message.reset();
        byte[] buffer = new byte[2];

        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(message.readBytes(buffer, 1)).isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 3);
        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(4, 5);
        assertThat(message.readBytes(buffer)).isEqualTo(-1);
        assertThatThrownBy(() -> message.readBytes(buffer, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> message.readBytes(buffer, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void partialPrimitiveAtTheEndIsEof() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeShort((short) 1);
        message.reset();

        assertThatThrownBy(message::readInt).isInstanceOf(MessageEOFException.class);
        assertThat(message.readShort()).isEqualTo((short) 1);
    }

    @Test
    void truncatedUtfIsEofAndDoesNotMove() throws Exception {
        TernBytesMessage message = new TernBytesMessage();
        message.writeShort((short) 10);
        message.writeByte((byte) 'a');
        message.reset();

        assertThatThrownBy(message::readUTF).isInstanceOf(MessageEOFException.class);
        assertThat(message.readShort()).isEqualTo((short) 10);
    }

    @Test
    void writeObjectRejectsNullAndOtherTypes() {
        TernBytesMessage message = new TernBytesMessage();
        assertThatThrownBy(() -> message.writeObject(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> message.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void tooLongUtfIsAFormatError() {
        TernBytesMessage message = new TernBytesMessage();
        assertThatThrownBy(() -> message.writeUTF("x".repeat(70_000))).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void writeOnlyThenReadOnlyThenCleared() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeInt(1);
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(message::getBodyLength).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(() -> message.readBytes(new byte[1])).isInstanceOf(MessageNotReadableException.class);

        message.reset();
        assertThat(message.getBodyLength()).isEqualTo(4);
        assertThatThrownBy(() -> message.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> message.writeBytes(new byte[1])).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.readInt()).isEqualTo(1);
        message.reset();
        assertThat(message.readInt()).isEqualTo(1);

        message.clearBody();
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        message.writeByte((byte) 2);
        message.reset();
        assertThat(message.getBodyLength()).isEqualTo(1);
    }

    @Test
    void receivedIsReadOnlyAndResettable() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.writeLong(99);
        TernBytesMessage received = received(message);

        assertThat(received.getBodyLength()).isEqualTo(8);
        assertThatThrownBy(() -> received.writeInt(1)).isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.readLong()).isEqualTo(99L);
        received.reset();
        assertThat(received.readLong()).isEqualTo(99L);
    }

    @Test
    void getBodyInAnyModeWithoutMovingThePosition() throws JMSException, IOException {
        TernBytesMessage message = new TernBytesMessage();
        assertThat(message.getBody(byte[].class)).isNull();
        assertThat(message.isBodyAssignableTo(String.class)).isTrue();

        message.writeShort((short) 0x0102);
        assertThat(message.getBody(byte[].class)).containsExactly(1, 2);
        message.reset();
        assertThat(message.readByte()).isEqualTo((byte) 1);
        assertThat(message.getBody(Object.class)).isEqualTo(new byte[] {1, 2});
        assertThat(message.readByte()).isEqualTo((byte) 2);
        assertThat(message.isBodyAssignableTo(byte[].class)).isTrue();
        assertThat(message.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void bigBodyRoundTrips() throws JMSException {
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        new java.util.Random(3).nextBytes(big);
        TernBytesMessage message = new TernBytesMessage();
        message.writeBytes(big);

        TernBytesMessage received = received(message);

        assertThat(received.getBodyLength()).isEqualTo(big.length);
        byte[] back = new byte[big.length];
        assertThat(received.readBytes(back)).isEqualTo(big.length);
        assertThat(back).isEqualTo(big);
    }
}
