package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ternmq.jms.destination.TernDestination;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTemporaryQueue;
import org.ternmq.jms.destination.TernTemporaryTopic;
import org.ternmq.jms.destination.TernTopic;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/** encode() then decode() keeps every header, property and body, for every message type. */
class RoundTripTest {

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(BodyType.MESSAGE, (Supplier<TernMessage>) TernMessage::new),
                Arguments.of(BodyType.TEXT, (Supplier<TernMessage>) () -> new TernTextMessage("t\u00e9xt")),
                Arguments.of(BodyType.BYTES, (Supplier<TernMessage>) () -> bytes()),
                Arguments.of(BodyType.MAP, (Supplier<TernMessage>) () -> map()),
                Arguments.of(BodyType.STREAM, (Supplier<TernMessage>) () -> stream()),
                Arguments.of(BodyType.OBJECT, (Supplier<TernMessage>) () -> object()));
    }

    private static TernMessage bytes() {
        try {
            TernBytesMessage message = new TernBytesMessage();
            message.writeInt(42);
            return message;
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    private static TernMessage map() {
        try {
            TernMapMessage message = new TernMapMessage();
            message.setInt("i", 42);
            return message;
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    private static TernMessage stream() {
        try {
            TernStreamMessage message = new TernStreamMessage();
            message.writeInt(42);
            return message;
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    private static TernMessage object() {
        try {
            TernObjectMessage message = new TernObjectMessage();
            message.setObject(42);
            return message;
        } catch (JMSException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void everyHeaderAndPropertySurvives(BodyType type, Supplier<TernMessage> factory) throws JMSException {
        TernMessage message = factory.get();
        message.setJMSMessageID("ID:\u4e2d-1");
        message.setJMSTimestamp(1_700_000_000_000L);
        message.setJMSCorrelationID("");
        message.setJMSReplyTo(new TernTemporaryQueue("temp.reply", null));
        message.setJMSDestination(new TernTopic("prices.\u00e9"));
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSType("");
        message.setJMSExpiration(Long.MAX_VALUE);
        message.setJMSDeliveryTime(1_700_000_000_500L);
        message.setJMSPriority(0);
        message.setBooleanProperty("z", false);
        message.setByteProperty("b", Byte.MIN_VALUE);
        message.setShortProperty("s", Short.MAX_VALUE);
        message.setIntProperty("i", Integer.MIN_VALUE);
        message.setLongProperty("l", Long.MAX_VALUE);
        message.setFloatProperty("f", Float.MIN_VALUE);
        message.setDoubleProperty("d", Double.NEGATIVE_INFINITY);
        message.setStringProperty("str", "\ud83d\ude00 \u00e9");
        message.setStringProperty("empty", "");
        message.setStringProperty("nullString", null);

        EncodedMessage encoded = message.encode();
        TernMessage received = TernMessage.decode(encoded, 2);

        assertThat(encoded.bodyType()).isEqualTo(type);
        assertThat(received.getClass()).isEqualTo(message.getClass());
        assertThat(received.getJMSMessageID()).isEqualTo("ID:\u4e2d-1");
        assertThat(received.getJMSTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(received.getJMSCorrelationID()).isEmpty();
        assertThat(received.getJMSReplyTo()).isInstanceOf(TemporaryQueue.class)
                .isEqualTo(new TernTemporaryQueue("temp.reply", null));
        assertThat(received.getJMSDestination()).isEqualTo(new TernTopic("prices.\u00e9"));
        assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(received.getJMSType()).isEmpty();
        assertThat(received.getJMSExpiration()).isEqualTo(Long.MAX_VALUE);
        assertThat(received.getJMSDeliveryTime()).isEqualTo(1_700_000_000_500L);
        assertThat(received.getJMSPriority()).isZero();
        assertThat(received.getJMSRedelivered()).isTrue();
        assertThat(received.getBooleanProperty("z")).isFalse();
        assertThat(received.getByteProperty("b")).isEqualTo(Byte.MIN_VALUE);
        assertThat(received.getShortProperty("s")).isEqualTo(Short.MAX_VALUE);
        assertThat(received.getIntProperty("i")).isEqualTo(Integer.MIN_VALUE);
        assertThat(received.getLongProperty("l")).isEqualTo(Long.MAX_VALUE);
        assertThat(received.getFloatProperty("f")).isEqualTo(Float.MIN_VALUE);
        assertThat(received.getDoubleProperty("d")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(received.getStringProperty("str")).isEqualTo("\ud83d\ude00 \u00e9");
        assertThat(received.getStringProperty("empty")).isEmpty();
        assertThat(received.propertyExists("nullString")).isTrue();
        assertThat(received.getStringProperty("nullString")).isNull();
        assertThat(Collections.list(received.getPropertyNames())).containsExactlyInAnyOrder("z", "b", "s", "i",
                "l", "f", "d", "str", "empty", "nullString", "JMSXDeliveryCount");
        assertBody(received);
        // the same bytes decode the same way twice: decoding does not consume the encoded message
        assertBody(TernMessage.decode(EncodedMessageCopy.of(encoded), 1));
    }

    private static void assertBody(TernMessage received) throws JMSException {
        if (received instanceof TernTextMessage text) {
            assertThat(text.getText()).isEqualTo("t\u00e9xt");
        } else if (received instanceof TernBytesMessage bytes) {
            assertThat(bytes.readInt()).isEqualTo(42);
        } else if (received instanceof TernMapMessage map) {
            assertThat(map.getInt("i")).isEqualTo(42);
        } else if (received instanceof TernStreamMessage stream) {
            assertThat(stream.readInt()).isEqualTo(42);
        } else if (received instanceof TernObjectMessage object) {
            assertThat(object.getObject()).isEqualTo(42);
        } else {
            assertThat(received.getBody(Object.class)).isNull();
        }
    }

    @Test
    void everyDestinationKindSurvives() {
        for (TernDestination destination : List.of(new TernQueue("q"), new TernTopic("t"),
                new TernTemporaryQueue("tq", null), new TernTemporaryTopic("tt", null))) {
            TernMessage message = new TernMessage();
            message.setJMSDestination(destination);
            message.setJMSReplyTo(destination);
            TernMessage received = TernMessage.decode(message.encode(), 1);
            assertThat(received.getJMSDestination()).isEqualTo(destination)
                    .isExactlyInstanceOf(destination.getClass());
            assertThat(received.getJMSReplyTo()).isEqualTo(destination);
        }
    }

    @Test
    void persistentAndNullHeadersSurvive() {
        TernMessage message = new TernMessage();
        message.setJMSDestination(new TernQueue("q"));
        message.setJMSDeliveryMode(DeliveryMode.PERSISTENT);

        TernMessage received = TernMessage.decode(message.encode(), 1);

        assertThat(received.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(received.getJMSMessageID()).isNull();
        assertThat(received.getJMSCorrelationID()).isNull();
        assertThat(received.getJMSReplyTo()).isNull();
        assertThat(received.getJMSType()).isNull();
        assertThat(received.getJMSRedelivered()).isFalse();
    }

    @Test
    void bytesCorrelationIdSurvivesAsBytes() {
        TernMessage message = new TernMessage();
        message.setJMSDestination(new TernQueue("q"));
        byte[] id = {(byte) 0xFF, 0, 1};
        message.setJMSCorrelationIDAsBytes(id);

        EncodedMessage encoded = message.encode();
        TernMessage received = TernMessage.decode(encoded, 1);

        assertThat(encoded.correlationIdIsBytes()).isTrue();
        assertThat(received.getJMSCorrelationIDAsBytes()).containsExactly(id);
    }

    @Test
    void headersSetOnTheMessageReachTheEncodedHeader() {
        TernTextMessage message = new TernTextMessage("x");
        message.setJMSDestination(new TernQueue("q"));
        message.setJMSPriority(9);
        message.setJMSExpiration(123);
        message.setJMSDeliveryTime(456);
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);

        EncodedMessage encoded = message.encode();

        assertThat(encoded.priority()).isEqualTo(9);
        assertThat(encoded.expiration()).isEqualTo(123);
        assertThat(encoded.deliveryTime()).isEqualTo(456);
        assertThat(encoded.persistent()).isFalse();
        assertThat(encoded.identifier("JMSPriority")).isEqualTo(9);
    }

    @Test
    void encodingLeavesTheMessageAsItWas() throws JMSException {
        TernBytesMessage message = new TernBytesMessage();
        message.setJMSDestination(new TernQueue("q"));
        message.writeInt(1);
        message.encode();
        // still writable: the application may keep changing and resending it
        message.writeInt(2);
        message.reset();
        assertThat(message.getBodyLength()).isEqualTo(8);
        TernBytesMessage received = (TernBytesMessage) TernMessage.decode(message.encode(), 1);
        assertThat(received.getBodyLength()).isEqualTo(8);
    }

    /** Wraps a fresh copy of the bytes, as a message read back from the wire or the journal would be. */
    static final class EncodedMessageCopy {
        static EncodedMessage of(EncodedMessage encoded) {
            try {
                return EncodedMessage.wrap(encoded.bytes().clone());
            } catch (org.ternmq.message.MalformedMessageException e) {
                throw new AssertionError(e);
            }
        }
    }
}
