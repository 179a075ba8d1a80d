package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.jms.JMSException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternmq.jms.destination.TernQueue;

class StreamMessageTest {

    static Stream<Arguments> table() {
        List<Arguments> cells = new ArrayList<>();
        for (Object[] row : BodyGetter.table()) {
            for (BodyGetter getter : BodyGetter.values()) {
                cells.add(Arguments.of(row[0], getter, row[1 + getter.ordinal()]));
            }
        }
        return cells.stream();
    }

    /** Each cell, and a failed conversion leaves the value to be read again as an Object. */
    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("table")
    void conversion(Object written, BodyGetter getter, Object expected) throws JMSException {
        for (TernStreamMessage message : List.of(written(written), received(written(written)))) {
            if (expected instanceof Class<?> exception) {
                assertThatThrownBy(() -> getter.read(message)).isInstanceOf(exception);
                Object again = message.readObject();
                if (written instanceof byte[] bytes) {
                    assertThat((byte[]) again).containsExactly(bytes);
                } else {
                    assertThat(again).isEqualTo(written);
                }
            } else if (expected instanceof byte[] bytes) {
                assertThat((byte[]) getter.read(message)).containsExactly(bytes);
            } else {
                assertThat(getter.read(message)).isEqualTo(expected);
            }
            assertThatThrownBy(message::readObject).isInstanceOf(MessageEOFException.class);
        }
    }

    private static TernStreamMessage written(Object value) throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeObject(value);
        message.reset();
        return message;
    }

    private static TernStreamMessage received(TernStreamMessage message) {
        message.setJMSDestination(new TernQueue("q"));
        return (TernStreamMessage) TernMessage.decode(message.encode(), 1);
    }

    @Test
    void typedWritersReadBackInOrder() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeBoolean(true);
        message.writeByte((byte) 1);
        message.writeShort((short) 2);
        message.writeChar('3');
        message.writeInt(4);
        message.writeLong(5);
        message.writeFloat(6);
        message.writeDouble(7);
        message.writeString("8");
        message.writeBytes(new byte[] {9});
        message.writeBytes(new byte[] {0, 10, 11, 0}, 1, 2);
        message.writeObject(null);

        TernStreamMessage received = received(message);

        assertThat(received.readBoolean()).isTrue();
        assertThat(received.readByte()).isEqualTo((byte) 1);
        assertThat(received.readShort()).isEqualTo((short) 2);
        assertThat(received.readChar()).isEqualTo('3');
        assertThat(received.readInt()).isEqualTo(4);
        assertThat(received.readLong()).isEqualTo(5L);
        assertThat(received.readFloat()).isEqualTo(6f);
        assertThat(received.readDouble()).isEqualTo(7d);
        assertThat(received.readString()).isEqualTo("8");
        assertThat((byte[]) received.readObject()).containsExactly(9);
        assertThat((byte[]) received.readObject()).containsExactly(10, 11);
        assertThat(received.readObject()).isNull();
        assertThatThrownBy(received::readInt).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void readBytesInChunks() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeBytes(new byte[] {1, 2, 3, 4, 5});
        message.writeBytes(new byte[] {6, 7});
        message.writeBytes(new byte[0]);
        message.writeObject(null);
        message.writeInt(8);
        message.reset();
        byte[] buffer = new byte[2];

        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(1, 2);
        // the rest of the array must be read before any other value
        assertThatThrownBy(message::readInt).isInstanceOf(MessageFormatException.class);
        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(3, 4);
        assertThat(message.readBytes(buffer)).isEqualTo(1);
        assertThat(buffer[0]).isEqualTo((byte) 5);
        // exactly a buffer's worth: a further call is needed and returns -1
        assertThat(message.readBytes(buffer)).isEqualTo(2);
        assertThat(buffer).containsExactly(6, 7);
        assertThat(message.readBytes(buffer)).isEqualTo(-1);
        assertThat(message.readBytes(buffer)).isZero();
        assertThat(message.readBytes(buffer)).isEqualTo(-1);
        assertThatThrownBy(() -> message.readBytes(buffer)).isInstanceOf(MessageFormatException.class);
        assertThat(message.readInt()).isEqualTo(8);
        assertThatThrownBy(() -> message.readBytes(buffer)).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void bigBufferReadsAWholeArrayAtOnce() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeBytes(new byte[] {1, 2, 3});
        message.writeString("next");
        message.reset();
        byte[] buffer = new byte[10];

        assertThat(message.readBytes(buffer)).isEqualTo(3);
        assertThat(message.readString()).isEqualTo("next");
    }

    @Test
    void writeOnlyUntilResetThenReadOnly() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeInt(1);
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        assertThatThrownBy(() -> message.readBytes(new byte[1])).isInstanceOf(MessageNotReadableException.class);

        message.reset();
        assertThatThrownBy(() -> message.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> message.writeObject("x")).isInstanceOf(MessageNotWriteableException.class);
        assertThat(message.readInt()).isEqualTo(1);
        message.reset();
        assertThat(message.readInt()).isEqualTo(1);

        message.clearBody();
        assertThatThrownBy(message::readInt).isInstanceOf(MessageNotReadableException.class);
        message.writeString("after clear");
        message.reset();
        assertThat(message.readString()).isEqualTo("after clear");
        assertThatThrownBy(message::readString).isInstanceOf(MessageEOFException.class);
    }

    @Test
    void receivedMessageIsReadOnlyUntilCleared() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        message.writeInt(1);
        TernStreamMessage received = received(message);

        assertThatThrownBy(() -> received.writeInt(2)).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        received.writeInt(3);
        received.reset();
        assertThat(received.readInt()).isEqualTo(3);
    }

    @Test
    void writeObjectRejectsOtherTypes() {
        TernStreamMessage message = new TernStreamMessage();
        assertThatThrownBy(() -> message.writeObject(new Object())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.writeObject(List.of())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void writtenArraysAreSnapshots() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        byte[] bytes = {1};
        message.writeBytes(bytes);
        message.writeObject(bytes);
        bytes[0] = 9;
        message.reset();

        assertThat((byte[]) message.readObject()).containsExactly(1);
        byte[] read = (byte[]) message.readObject();
        assertThat(read).containsExactly(1);
    }

    @Test
    void getBodyAlwaysFails() throws JMSException {
        TernStreamMessage message = new TernStreamMessage();
        assertThatThrownBy(() -> message.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
        assertThat(message.isBodyAssignableTo(Object.class)).isFalse();
        message.writeInt(1);
        assertThatThrownBy(() -> message.getBody(Object.class)).isInstanceOf(MessageFormatException.class);
        assertThat(message.isBodyAssignableTo(Object.class)).isFalse();
    }
}
