package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageNotWriteableException;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTopic;
import org.ternmq.message.Address;
import org.ternmq.message.BodyCodec;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MessageEncoder;

/** Headers, property and body states, acknowledgement and getBody of the plain, text and object messages. */
class MessageStateTest {

    private static <T extends TernMessage> T received(T message, int deliveryCount) {
        message.setJMSDestination(new TernQueue("q"));
        @SuppressWarnings("unchecked")
        T decoded = (T) TernMessage.decode(message.encode(), deliveryCount);
        return decoded;
    }

    @Test
    void newMessageDefaults() throws JMSException {
        TernMessage message = new TernMessage();
        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(message.getJMSPriority()).isEqualTo(Message.DEFAULT_PRIORITY);
        assertThat(message.getJMSRedelivered()).isFalse();
        assertThat(message.getJMSMessageID()).isNull();
        assertThat(message.getJMSCorrelationID()).isNull();
        assertThat(message.getJMSCorrelationIDAsBytes()).isNull();
        assertThat(message.getJMSDestination()).isNull();
        assertThat(message.getJMSReplyTo()).isNull();
        assertThat(message.getJMSType()).isNull();
        assertThat(message.getJMSExpiration()).isZero();
        assertThat(message.getJMSDeliveryTime()).isZero();
        assertThat(message.getPropertyNames().hasMoreElements()).isFalse();
        assertThat(message.deliveryCount()).isZero();
    }

    @Test
    void headerSettersAndGetters() throws JMSException {
        TernMessage message = new TernMessage();
        message.setJMSMessageID("ID:1");
        message.setJMSTimestamp(5);
        message.setJMSCorrelationID("c");
        message.setJMSReplyTo(new TernTopic("r"));
        message.setJMSDestination(new TernQueue("d"));
        message.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        message.setJMSRedelivered(true);
        message.setJMSType("t");
        message.setJMSExpiration(6);
        message.setJMSDeliveryTime(7);
        message.setJMSPriority(8);

        assertThat(message.getJMSMessageID()).isEqualTo("ID:1");
        assertThat(message.getJMSTimestamp()).isEqualTo(5);
        assertThat(message.getJMSCorrelationID()).isEqualTo("c");
        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly('c');
        assertThat(message.getJMSReplyTo()).isEqualTo(new TernTopic("r"));
        assertThat(message.getJMSDestination()).isEqualTo(new TernQueue("d"));
        assertThat(message.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(message.getJMSRedelivered()).isTrue();
        assertThat(message.getJMSType()).isEqualTo("t");
        assertThat(message.getJMSExpiration()).isEqualTo(6);
        assertThat(message.getJMSDeliveryTime()).isEqualTo(7);
        assertThat(message.getJMSPriority()).isEqualTo(8);
    }

    @Test
    void correlationIdAsBytesIsCopied() {
        TernMessage message = new TernMessage();
        byte[] id = {1, 2, 3};
        message.setJMSCorrelationIDAsBytes(id);
        id[0] = 9;

        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
        message.getJMSCorrelationIDAsBytes()[1] = 9;
        assertThat(message.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
        message.setJMSCorrelationIDAsBytes(null);
        assertThat(message.getJMSCorrelationIDAsBytes()).isNull();
        assertThat(message.getJMSCorrelationID()).isNull();
    }

    @Test
    void receivedPropertiesAreReadOnlyUntilCleared() throws JMSException {
        TernMessage message = new TernMessage();
        message.setStringProperty("s", "v");
        TernMessage received = received(message, 1);

        assertThatThrownBy(() -> received.setStringProperty("t", "w")).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setIntProperty("s", 1)).isInstanceOf(MessageNotWriteableException.class);
        assertThatThrownBy(() -> received.setObjectProperty("s", 1)).isInstanceOf(MessageNotWriteableException.class);
        // headers stay writable
        received.setJMSType("changed");
        assertThat(received.getJMSType()).isEqualTo("changed");

        received.clearProperties();
        assertThat(received.getPropertyNames().hasMoreElements()).isFalse();
        assertThat(received.propertyExists("s")).isFalse();
        received.setStringProperty("t", "w");
        assertThat(received.getStringProperty("t")).isEqualTo("w");
    }

    @Test
    void clearBodyLeavesPropertiesAndClearPropertiesLeavesBody() throws JMSException {
        TernTextMessage message = new TernTextMessage();
        message.setText("body");
        message.setIntProperty("i", 1);

        message.clearBody();
        assertThat(message.getText()).isNull();
        assertThat(message.getIntProperty("i")).isEqualTo(1);

        message.setText("again");
        message.clearProperties();
        assertThat(message.getText()).isEqualTo("again");
        assertThat(message.propertyExists("i")).isFalse();
    }

    @Test
    void receivedTextIsReadOnlyUntilClearBody() throws JMSException {
        TernTextMessage message = new TernTextMessage();
        message.setText("hi");
        TernTextMessage received = received(message, 1);

        assertThat(received.getText()).isEqualTo("hi");
        assertThatThrownBy(() -> received.setText("no")).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        assertThat(received.getText()).isNull();
        received.setText("yes");
        assertThat(received.getText()).isEqualTo("yes");
        // clearing the body does not make properties writable
        assertThatThrownBy(() -> received.setIntProperty("i", 1)).isInstanceOf(MessageNotWriteableException.class);
    }

    @Test
    void deliveryCountAndRedelivered() throws JMSException {
        TernMessage first = received(new TernMessage(), 1);
        assertThat(first.getJMSRedelivered()).isFalse();
        assertThat(first.getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
        assertThat(first.deliveryCount()).isEqualTo(1);
        assertThat(Collections.list(first.getPropertyNames())).contains("JMSXDeliveryCount");
        assertThat(first.propertyExists("JMSXDeliveryCount")).isTrue();

        TernMessage third = received(new TernMessage(), 3);
        assertThat(third.getJMSRedelivered()).isTrue();
        assertThat(third.getIntProperty("JMSXDeliveryCount")).isEqualTo(3);
        assertThat(third.getStringProperty("JMSXDeliveryCount")).isEqualTo("3");

        TernMessage browsed = received(new TernMessage(), 0);
        assertThat(browsed.propertyExists("JMSXDeliveryCount")).isFalse();
    }

    @Test
    void deliveryCountIsNotEncoded() throws JMSException {
        TernMessage once = received(new TernMessage(), 4);
        once.setJMSDestination(new TernQueue("forward"));

        assertThat(once.encode().propertyNames()).doesNotContain("JMSXDeliveryCount");
        assertThat(TernMessage.decode(once.encode(), 1).getIntProperty("JMSXDeliveryCount")).isEqualTo(1);
    }

    @Test
    void groupPropertiesPassThroughAndReachTheHeader() throws JMSException {
        TernMessage message = new TernMessage();
        message.setStringProperty("JMSXGroupID", "g");
        message.setIntProperty("JMSXGroupSeq", 3);
        message.setStringProperty("JMS_TERN_DuplicateID", "dup");
        message.setJMSDestination(new TernQueue("q"));

        var encoded = message.encode();
        TernMessage received = TernMessage.decode(encoded, 1);

        assertThat(encoded.groupId()).isEqualTo("g");
        assertThat(encoded.groupSeq()).isEqualTo(3);
        assertThat(encoded.duplicateId()).isEqualTo("dup");
        assertThat(received.getStringProperty("JMSXGroupID")).isEqualTo("g");
        assertThat(received.getIntProperty("JMSXGroupSeq")).isEqualTo(3);
    }

    @Test
    void acknowledgeDelegatesOrDoesNothing() throws JMSException {
        TernMessage created = new TernMessage();
        created.acknowledge();

        List<String> calls = new ArrayList<>();
        TernMessage received = received(new TernMessage(), 1);
        received.setAcknowledger(() -> calls.add("ack"));
        received.acknowledge();
        assertThat(calls).containsExactly("ack");
        assertThat(received.acknowledger()).isNotNull();

        received.setAcknowledger(() -> {
            throw new IllegalStateException("session closed");
        });
        assertThatThrownBy(received::acknowledge).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void plainMessageHasNoBody() throws JMSException {
        TernMessage message = new TernMessage();
        assertThat(message.getBody(String.class)).isNull();
        assertThat(message.isBodyAssignableTo(Integer.class)).isTrue();
        message.clearBody();
        assertThat(received(message, 1).getBody(Object.class)).isNull();
    }

    @Test
    void textGetBody() throws JMSException {
        TernTextMessage message = new TernTextMessage();
        assertThat(message.getBody(Integer.class)).isNull();
        assertThat(message.isBodyAssignableTo(Integer.class)).isTrue();

        message.setText("t");
        assertThat(message.getBody(String.class)).isEqualTo("t");
        assertThat(message.getBody(CharSequence.class)).isEqualTo("t");
        assertThat(message.getBody(Object.class)).isEqualTo("t");
        assertThat(message.isBodyAssignableTo(String.class)).isTrue();
        assertThat(message.isBodyAssignableTo(Integer.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(Integer.class)).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.getBody(byte[].class)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void textBodiesRoundTrip() throws JMSException {
        for (String text : new String[] {null, "", "plain", "\u00e9\u4e2d\ud83d\ude00", "x".repeat(1_000_000)}) {
            TernTextMessage message = new TernTextMessage(text);
            assertThat(received(message, 1).getText()).isEqualTo(text);
        }
    }

    /** A serializable value whose later changes must not show in the message. */
    static final class Box implements Serializable {
        private static final long serialVersionUID = 1L;
        String value;

        Box(String value) {
            this.value = value;
        }
    }

    @Test
    void objectIsASnapshot() throws JMSException {
        TernObjectMessage message = new TernObjectMessage();
        Box box = new Box("before");
        message.setObject(box);
        box.value = "after";

        assertThat(((Box) message.getObject()).value).isEqualTo("before");
        assertThat(message.getObject()).isNotSameAs(message.getObject());
        TernObjectMessage received = (TernObjectMessage) received(message, 1);
        // a received body is filtered: Box's package must be trusted
        received.setTrustedPackages(TrustedPackages.with(Box.class.getPackageName()));
        assertThat(((Box) received.getObject()).value).isEqualTo("before");
    }

    @Test
    void objectGetBodyAndAssignability() throws JMSException {
        TernObjectMessage message = new TernObjectMessage();
        assertThat(message.getObject()).isNull();
        assertThat(message.getBody(Box.class)).isNull();
        assertThat(message.isBodyAssignableTo(String.class)).isTrue();

        message.setObject(new Box("v"));
        assertThat(message.getBody(Box.class).value).isEqualTo("v");
        assertThat(message.getBody(Serializable.class)).isInstanceOf(Box.class);
        assertThat(message.isBodyAssignableTo(Box.class)).isTrue();
        assertThat(message.isBodyAssignableTo(Serializable.class)).isTrue();
        assertThat(message.isBodyAssignableTo(String.class)).isFalse();
        assertThatThrownBy(() -> message.getBody(String.class)).isInstanceOf(MessageFormatException.class);

        message.setObject(null);
        assertThat(message.getObject()).isNull();
    }

    @Test
    void receivedObjectIsReadOnlyUntilCleared() throws JMSException {
        TernObjectMessage message = new TernObjectMessage();
        message.setObject("s");
        TernObjectMessage received = received(message, 1);

        assertThatThrownBy(() -> received.setObject("t")).isInstanceOf(MessageNotWriteableException.class);
        received.clearBody();
        assertThat(received.getObject()).isNull();
        received.setObject("t");
        assertThat(received.getObject()).isEqualTo("t");
    }

    @Test
    void unserializableObjectIsAFormatError() {
        TernObjectMessage message = new TernObjectMessage();
        Serializable bad = new java.util.ArrayList<Object>(List.of(new Object()));
        assertThatThrownBy(() -> message.setObject(bad)).isInstanceOf(MessageFormatException.class);
    }

    @Test
    void fallsBackWhenTheContextLoaderCannotSeeTheClass() throws Exception {
        TernObjectMessage message = new TernObjectMessage();
        message.setObject(new Box("v"));
        ClassLoader empty = new ClassLoader(null) { };
        // a context loader that cannot see Box: the fallbacks must find it
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(empty);
        try {
            assertThat(((Box) message.getObject()).value).isEqualTo("v");
        } finally {
            thread.setContextClassLoader(saved);
        }
    }

    @Test
    void classMissingEverywhereIsAFormatErrorAndNotAssignable() throws Exception {
        TernObjectMessage original = new TernObjectMessage();
        original.setObject(new Box("v"));
        original.setJMSDestination(new TernQueue("q"));
        byte[] serialized = BodyCodec.decodeObject(original.encode());
        String known = Box.class.getName();
        String unknown = known.substring(0, known.length() - 3) + "Bix";
        replace(serialized, known.getBytes(StandardCharsets.UTF_8), unknown.getBytes(StandardCharsets.UTF_8));
        EncodedMessage encoded = new MessageEncoder().destination(Address.queue("q")).bodyType(BodyType.OBJECT)
                .body(BodyCodec.encodeObject(serialized)).encode();
        TernObjectMessage message = (TernObjectMessage) TernMessage.decode(encoded, 1);

        assertThatThrownBy(message::getObject).isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> message.getBody(Serializable.class)).isInstanceOf(MessageFormatException.class);
        assertThat(message.isBodyAssignableTo(Serializable.class)).isFalse();
    }

    private static void replace(byte[] bytes, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                return;
            }
        }
        throw new AssertionError("class name not found in the serialized bytes");
    }

    @Test
    void contextClassLoaderIsTriedFirst() throws Exception {
        TernObjectMessage message = new TernObjectMessage();
        message.setObject(new Box("v"));
        List<String> asked = new ArrayList<>();
        ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                asked.add(name);
                return super.loadClass(name, resolve);
            }
        };
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(recording);
        try {
            message.getObject();
        } finally {
            thread.setContextClassLoader(saved);
        }
        assertThat(asked).contains(Box.class.getName());
    }

    @Test
    void toStringShowsHeadersPropertiesAndBody() throws JMSException {
        TernTextMessage message = new TernTextMessage("hello");
        message.setJMSMessageID("ID:42");
        message.setJMSDestination(new TernQueue("orders"));
        message.setIntProperty("n", 5);

        assertThat(message.toString()).contains("TernTextMessage", "ID:42", "orders", "n=5", "hello");
        assertThat(new TernTextMessage("x".repeat(1000)).toString()).hasSizeLessThan(400);
    }
}
