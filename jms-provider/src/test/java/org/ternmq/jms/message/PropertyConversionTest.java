package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the property conversion table, Jakarta Messaging 3.1 section 3.5.4. */
class PropertyConversionTest {

    /** A typed property getter. */
    enum Getter {
        BOOLEAN, BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, STRING;

        Object read(Message message, String name) throws JMSException {
            switch (this) {
                case BOOLEAN: return message.getBooleanProperty(name);
                case BYTE: return message.getByteProperty(name);
                case SHORT: return message.getShortProperty(name);
                case INT: return message.getIntProperty(name);
                case LONG: return message.getLongProperty(name);
                case FLOAT: return message.getFloatProperty(name);
                case DOUBLE: return message.getDoubleProperty(name);
                default: return message.getStringProperty(name);
            }
        }
    }

    private static final Class<? extends Throwable> MFE = MessageFormatException.class;
    private static final Class<? extends Throwable> NFE = NumberFormatException.class;
    private static final Class<? extends Throwable> NPE = NullPointerException.class;

    /** Rows: the written value; cells: what each getter gives, a value or the exception class. */
    static Stream<Arguments> table() {
        List<Arguments> cells = new ArrayList<>();
        row(cells, true, true, MFE, MFE, MFE, MFE, MFE, MFE, "true");
        row(cells, (byte) 7, MFE, (byte) 7, (short) 7, 7, 7L, MFE, MFE, "7");
        row(cells, (short) -300, MFE, MFE, (short) -300, -300, -300L, MFE, MFE, "-300");
        row(cells, 70_000, MFE, MFE, MFE, 70_000, 70_000L, MFE, MFE, "70000");
        row(cells, 1L << 40, MFE, MFE, MFE, MFE, 1L << 40, MFE, MFE, "1099511627776");
        row(cells, 1.5f, MFE, MFE, MFE, MFE, MFE, 1.5f, 1.5d, "1.5");
        row(cells, 2.25d, MFE, MFE, MFE, MFE, MFE, MFE, 2.25d, "2.25");
        row(cells, "123", false, (byte) 123, (short) 123, 123, 123L, 123f, 123d, "123");
        row(cells, "TRUE", true, NFE, NFE, NFE, NFE, NFE, NFE, "TRUE");
        row(cells, "abc", false, NFE, NFE, NFE, NFE, NFE, NFE, "abc");
        row(cells, "300", false, NFE, (short) 300, 300, 300L, 300f, 300d, "300");
        return cells.stream();
    }

    private static void row(List<Arguments> cells, Object written, Object... expected) {
        for (Getter getter : Getter.values()) {
            cells.add(Arguments.of(written, getter, expected[getter.ordinal()]));
        }
    }

    @ParameterizedTest(name = "{0} read as {1}")
    @MethodSource("table")
    void conversion(Object written, Getter getter, Object expected) throws JMSException {
        TernMessage message = new TernMessage();
        message.setObjectProperty("p", written);
        assertCell(message, "p", getter, expected);
        // a received message converts the same way
        assertCell(roundTrip(message), "p", getter, expected);
    }

    /** A missing property reads as {@code valueOf(null)}: false, null, or the exception valueOf throws. */
    @ParameterizedTest(name = "missing read as {0}")
    @MethodSource("missing")
    void missingProperty(Getter getter, Object expected) throws JMSException {
        TernMessage message = new TernMessage();
        assertCell(message, "absent", getter, expected);
        // a property set to a null String reads the same way
        message.setStringProperty("nullString", null);
        assertCell(message, "nullString", getter, expected);
        assertThat(message.propertyExists("nullString")).isTrue();
    }

    static Stream<Arguments> missing() {
        Object[] expected = {false, NFE, NFE, NFE, NFE, NPE, NPE, null};
        return Stream.of(Getter.values()).map(g -> Arguments.of(g, expected[g.ordinal()]));
    }

    @Test
    void typedSettersStoreTheirBoxedType() throws JMSException {
        TernMessage message = new TernMessage();
        message.setBooleanProperty("z", false);
        message.setByteProperty("b", (byte) 1);
        message.setShortProperty("s", (short) 2);
        message.setIntProperty("i", 3);
        message.setLongProperty("l", 4);
        message.setFloatProperty("f", 5);
        message.setDoubleProperty("d", 6);
        message.setStringProperty("str", "7");

        assertThat(message.getObjectProperty("z")).isEqualTo(false);
        assertThat(message.getObjectProperty("b")).isEqualTo((byte) 1);
        assertThat(message.getObjectProperty("s")).isEqualTo((short) 2);
        assertThat(message.getObjectProperty("i")).isEqualTo(3);
        assertThat(message.getObjectProperty("l")).isEqualTo(4L);
        assertThat(message.getObjectProperty("f")).isEqualTo(5f);
        assertThat(message.getObjectProperty("d")).isEqualTo(6d);
        assertThat(message.getObjectProperty("str")).isEqualTo("7");
        assertThat(message.getObjectProperty("absent")).isNull();
        assertThat(Collections.list(message.getPropertyNames()))
                .containsExactly("z", "b", "s", "i", "l", "f", "d", "str");
    }

    @Test
    void setObjectPropertyTakesOnlyPrimitivesAndString() throws JMSException {
        TernMessage message = new TernMessage();
        for (Object bad : List.of('c', new byte[] {1}, new Object(), Map.of(), new StringBuilder("s"))) {
            assertThatThrownBy(() -> message.setObjectProperty("p", bad)).isInstanceOf(MessageFormatException.class);
        }
        message.setObjectProperty("p", null);
        assertThat(message.propertyExists("p")).isTrue();
        assertThat(message.getObjectProperty("p")).isNull();
    }

    @Test
    void propertyNamesMustBeIdentifiersAndNotReservedWords() {
        TernMessage message = new TernMessage();
        for (String bad : new String[] {null, "", "1abc", "a-b", "a b", "NULL", "true", "False", "not", "AND", "or",
            "Between", "like", "IN", "is", "ESCAPE"}) {
            assertThatThrownBy(() -> message.setIntProperty(bad, 1)).as("name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> message.setObjectProperty(bad, "v")).as("name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void validNamesIncludeUnderscoresDollarsDigitsAndJmsxNames() throws JMSException {
        TernMessage message = new TernMessage();
        for (String good : new String[] {"_a", "$b", "c1", "\u00e9t\u00e9", "JMSXGroupID", "JMS_TERN_x", "Isn"}) {
            message.setStringProperty(good, "v");
            assertThat(message.getStringProperty(good)).isEqualTo("v");
        }
    }

    private static TernMessage roundTrip(TernMessage message) {
        message.setJMSDestination(new org.ternmq.jms.destination.TernQueue("q"));
        return TernMessage.decode(message.encode(), 1);
    }

    private static void assertCell(Message message, String name, Getter getter, Object expected) throws JMSException {
        if (expected instanceof Class<?> exception && Throwable.class.isAssignableFrom(exception)) {
            assertThatThrownBy(() -> getter.read(message, name)).isInstanceOf(exception);
        } else {
            assertThat(getter.read(message, name)).isEqualTo(expected);
        }
    }
}
