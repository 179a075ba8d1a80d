package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternmq.jms.destination.TernQueue;

class MapMessageTest {

    static Stream<Arguments> table() {
        List<Arguments> cells = new ArrayList<>();
        for (Object[] row : BodyGetter.table()) {
            for (BodyGetter getter : BodyGetter.values()) {
                cells.add(Arguments.of(row[0], getter, row[1 + getter.ordinal()]));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("table")
    void conversion(Object written, BodyGetter getter, Object expected) throws JMSException {
        TernMapMessage message = new TernMapMessage();
        message.setObject("v", written);
        for (TernMapMessage candidate : List.of(message, received(message))) {
            if (expected instanceof Class<?> exception) {
                assertThatThrownBy(() -> getter.read(candidate, "v")).isInstanceOf(exception);
            } else if (expected instanceof byte[] bytes) {
                assertThat((byte[]) getter.read(candidate, "v")).containsExactly(bytes);
            } else {
                assertThat(getter.read(candidate, "v")).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "missing read as {0}")
    @MethodSource("missing")
    void missingEntryReadsAsNull(BodyGetter getter, Object expected) {
        TernMapMessage message = new TernMapMessage();
        if (expected instanceof Class<?> exception) {
            assertThatThrownBy(() -> getter.read(message, "absent")).isInstanceOf(exception);
        } else {
            try {
                assertThat(getter.read(message, "absent")).isEqualTo(expected);
            } catch (JMSException e) {
                throw new AssertionError(e);
            }
        }
    }

    static Stream<Arguments> missing() {
        Object[] nullRow = BodyGetter.table().get(BodyGetter.table().size() - 1);
        return Stream.of(BodyGetter.values()).map(g -> Arguments.of(g, nullRow[1 + g.ordinal()]));
    }

    private static TernMapMessage received(TernMapMessage message) {
        message.setJMSDestination(new TernQueue("q"));
        return (TernMapMessage) TernMessage.decode(message.encode(), 1);
    }

    @Test
    void typedSettersRoundTripAndKeepNames() throws JMSException {
        TernMapMessage message = new TernMapMessage();
        message.setBoolean("z", true);
        message.setByte("b", (byte) 1);
        message.setShort("s", (short) 2);
        message.setChar("c", '\u4e2d');
        message.setInt("i", 3);
        message.setLong("l", 4);
        message.setFloat("f", 5);
        message.setDouble("d", 6);
        message.setString("str", "\u00e9");
        message.setString("nullString", null);
        message.setBytes("bytes", new byte[] {1, 2});
        message.setBytes("part", new byte[] {1, 2, 3, 4}, 1, 2);
        message.setBytes("nullBytes", null);
        message.setObject("o", 7L);

        TernMapMessage received = received(message);

        assertThat(Collections.list(received.getMapNames())).containsExactlyInAnyOrder("z", "b", "s", "c", "i", "l",
                "f", "d", "str", "nullString", "bytes", "part", "nullBytes", "o");
        assertThat(received.getBoolean("z")).isTrue();
        assertThat(received.getByte("b")).isEqualTo((byte) 1);
        assertThat(received.getShort("s")).isEqualTo((short) 2);
        assertThat(received.getChar("c")).isEqualTo('\u4e2d');
        assertThat(received.getInt("i")).isEqualTo(3);
        assertThat(received.getLong("l")).isEqualTo(4L);
        assertThat(received.getFloat("f")).isEqualTo(5f);
        assertThat(received.getDouble("d")).isEqualTo(6d);
        assertThat(received.getString("str")).isEqualTo("\u00e9");
        assertThat(received.getString("nullString")).isNull();
        assertThat(received.itemExists("nullString")).isTrue();
        assertThat(received.getBytes("bytes")).containsExactly(1, 2);
        assertThat(received.getBytes("part")).containsExactly(2, 3);
        assertThat(received.getBytes("nullBytes")).isNull();
        assertThat(received.getObject("o")).isEqualTo(7L);
        assertThat(received.itemExists("absent")).isFalse();
        assertThat(received.getObject("absent")).isNull();
    }

    @Test
    void bytesAreCopiedInAndOut() throws JMSException {
        TernMapMessage message = new TernMapMessage();
        byte[] bytes = {1};
        message.setBytes("b", bytes);
        message.setObject("o", bytes);
        bytes[0] = 9;

        assertThat(message.getBytes("b")).containsExactly(1);
        message.getBytes("b")[0] = 8;
        assertThat(message.getBytes("b")).containsExactly(1);
        ((byte[]) message.getObject("o"))[0] = 8;
        assertThat((byte[]) message.getObject("o")).containsExactly(1);
    }

    @Test
    void namesMustNotBeNullOrEmpty() {
        TernMapMessage message = new TernMapMessage();
        assertThatThrownBy(() -> message.setInt(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> message.setString("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> message.setObject("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> message.setBytes(null, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setObjectRejectsOtherTypes() {
        TernMapMessage message = new TernMapMessage();
        assertThatThrownBy(() -> message.setObject("x", new Object())).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.setObject("x", Map.of())).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void receivedMapIsReadOnlyUntilCleared() throws JMSException {
        TernMapMessage message = new TernMapMessage();
        message.setInt("i", 1);
        TernMapMessage received = received(message);

        assertThatThrownBy(() -> received.setInt("j", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setObject("j", 2)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setBytes("j", new byte[1], 0, 1))
                .isInstanceOf(MessageNotWriteableException.class);
        assertThat(received.getInt("i")).isEqualTo(1);

        received.clearBody();
        assertThat(received.getMapNames().hasMoreElements()).isFalse();
        received.setInt("j", 2);
        assertThat(received.getInt("j")).isEqualTo(2);
    }

    @Test
    void getBodyGivesAMapCopy() throws JMSException {
        TernMapMessage message = new TernMapMessage();
        assertThat((Object) message.getBody(Map.class)).isNull();
        assertThat(message.isBodyAssignableTo(String.class)).isTrue();

        message.setInt("i", 1);
        message.setBytes("b", new byte[] {1});
        @SuppressWarnings("unchecked")
        Map<String, Object> body = message.getBody(Map.class);

        assertThat(body).containsEntry("i", 1).containsKey("b");
        body.put("other", 2);
        assertThat(message.itemExists("other")).isFalse();
        assertThat(message.isBodyAssignableTo(Map.class)).isTrue();
        assertThat(message.isBodyAssignableTo(Object.class)).isTrue();
        assertThat(message.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(String.class)).isInstanceOf(MessageFormatException.class);
    }
}
