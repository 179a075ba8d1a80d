package org.ternmq.jms.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.ternmq.jms.destination.TernQueue;
import org.ternmq.jms.destination.TernTopic;

class CopyOfForeignTest {

    private static ForeignMessage withHeadersAndProperties(Object body) {
        ForeignMessage state = new ForeignMessage();
        state.body = body;
        Queue destination = () -> "foreign.dest";
        Topic replyTo = () -> "foreign.reply";
        state.headers.put("JMSMessageID", "ID:foreign-1");
        state.headers.put("JMSTimestamp", 11L);
        state.headers.put("JMSCorrelationID", "corr");
        state.headers.put("JMSDestination", destination);
        state.headers.put("JMSReplyTo", replyTo);
        state.headers.put("JMSDeliveryMode", DeliveryMode.NON_PERSISTENT);
        state.headers.put("JMSRedelivered", false);
        state.headers.put("JMSType", "type");
        state.headers.put("JMSExpiration", 22L);
        state.headers.put("JMSDeliveryTime", 33L);
        state.headers.put("JMSPriority", 6);
        state.properties.put("b", true);
        state.properties.put("i", 5);
        state.properties.put("s", "str");
        state.properties.put("d", 1.25d);
        state.properties.put("JMSXGroupID", "g");
        return state;
    }

    private static TernMessage copy(ForeignMessage state) throws JMSException {
        return TernMessage.copyOf(ForeignMessage.create(ForeignMessage.typeOf(state.body), state));
    }

    private static void assertHeadersAndProperties(TernMessage copy) throws JMSException {
        assertThat(copy.getJMSMessageID()).isEqualTo("ID:foreign-1");
        assertThat(copy.getJMSTimestamp()).isEqualTo(11L);
        assertThat(copy.getJMSCorrelationID()).isEqualTo("corr");
        assertThat(copy.getJMSDestination()).isEqualTo(new TernQueue("foreign.dest"));
        assertThat(copy.getJMSReplyTo()).isEqualTo(new TernTopic("foreign.reply"));
        assertThat(copy.getJMSDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(copy.getJMSType()).isEqualTo("type");
        assertThat(copy.getJMSExpiration()).isEqualTo(22L);
        assertThat(copy.getJMSDeliveryTime()).isEqualTo(33L);
        assertThat(copy.getJMSPriority()).isEqualTo(6);
        assertThat(Collections.list(copy.getPropertyNames())).containsExactly("b", "i", "s", "d", "JMSXGroupID");
        assertThat(copy.getBooleanProperty("b")).isTrue();
        assertThat(copy.getIntProperty("i")).isEqualTo(5);
        assertThat(copy.getStringProperty("s")).isEqualTo("str");
        assertThat(copy.getDoubleProperty("d")).isEqualTo(1.25d);
        // the copy is an ordinary writable message that can be sent
        copy.setIntProperty("added", 1);
        TernMessage received = TernMessage.decode(copy.encode(), 1);
        assertThat(received.getClass()).isEqualTo(copy.getClass());
        assertThat(received.getStringProperty("JMSXGroupID")).isEqualTo("g");
        assertThat(received.getJMSDestination()).isEqualTo(new TernQueue("foreign.dest"));
    }

    @Test
    void plainMessage() throws JMSException {
        TernMessage copy = copy(withHeadersAndProperties(null));
        assertThat(copy).isExactlyInstanceOf(TernMessage.class);
        assertHeadersAndProperties(copy);
    }

    @Test
    void textMessage() throws JMSException {
        TernMessage copy = copy(withHeadersAndProperties("hello \u00e9"));
        assertThat(copy).isInstanceOf(TernTextMessage.class);
        assertThat(((TextMessage) copy).getText()).isEqualTo("hello \u00e9");
        assertHeadersAndProperties(copy);
    }

    @Test
    void bytesMessageIsReadFullyAndLeftReset() throws JMSException {
        byte[] body = new byte[20_000];
        Arrays.fill(body, (byte) 7);
        body[19_999] = 9;
        ForeignMessage state = withHeadersAndProperties(body);

        TernMessage copy = copy(state);

        assertThat(copy).isInstanceOf(TernBytesMessage.class);
        assertThat(copy.getBody(byte[].class)).isEqualTo(body);
        assertThat(state.resets).isEqualTo(2);
        assertHeadersAndProperties(copy);
        BytesMessage received = (BytesMessage) TernMessage.decode(copy.encode(), 1);
        assertThat(received.getBodyLength()).isEqualTo(body.length);
    }

    @Test
    void mapMessage() throws JMSException {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("i", 1);
        map.put("c", 'c');
        map.put("bytes", new byte[] {1, 2});
        map.put("n", null);
        TernMessage copy = copy(withHeadersAndProperties(map));

        assertThat(copy).isInstanceOf(TernMapMessage.class);
        TernMapMessage mapCopy = (TernMapMessage) copy;
        assertThat(Collections.list(mapCopy.getMapNames())).containsExactly("i", "c", "bytes", "n");
        assertThat(mapCopy.getInt("i")).isEqualTo(1);
        assertThat(mapCopy.getChar("c")).isEqualTo('c');
        assertThat(mapCopy.getBytes("bytes")).containsExactly(1, 2);
        assertThat(mapCopy.itemExists("n")).isTrue();
        assertHeadersAndProperties(copy);
    }

    @Test
    void streamMessage() throws JMSException {
        List<Object> values = Arrays.asList(1, "two", null, new byte[] {3}, 4.0f);
        ForeignMessage state = withHeadersAndProperties(values);
        TernMessage copy = copy(state);

        assertThat(copy).isInstanceOf(TernStreamMessage.class);
        StreamMessage stream = (StreamMessage) TernMessage.decode(
                withDestination(copy).encode(), 1);
        assertThat(stream.readInt()).isEqualTo(1);
        assertThat(stream.readString()).isEqualTo("two");
        assertThat(stream.readObject()).isNull();
        assertThat((byte[]) stream.readObject()).containsExactly(3);
        assertThat(stream.readFloat()).isEqualTo(4.0f);
        assertThat(state.resets).isEqualTo(2);
        assertHeadersAndProperties(copy);
    }

    @Test
    void objectMessage() throws JMSException {
        TernMessage copy = copy(withHeadersAndProperties(new java.util.TreeSet<>(List.of("a", "b"))));

        assertThat(copy).isInstanceOf(TernObjectMessage.class);
        assertThat(((ObjectMessage) copy).getObject()).isEqualTo(new java.util.TreeSet<>(List.of("a", "b")));
        assertHeadersAndProperties(copy);
    }

    @Test
    void bytesCorrelationIdIsUsedWhenThereIsNoStringOne() throws JMSException {
        ForeignMessage state = withHeadersAndProperties(null);
        state.headers.remove("JMSCorrelationID");
        state.headers.put("JMSCorrelationIDAsBytes", new byte[] {1, 2});

        assertThat(copy(state).getJMSCorrelationIDAsBytes()).containsExactly(1, 2);
    }

    @Test
    void missingDestinationsStayMissing() throws JMSException {
        ForeignMessage state = withHeadersAndProperties("t");
        state.headers.remove("JMSDestination");
        state.headers.remove("JMSReplyTo");

        TernMessage copy = copy(state);

        assertThat(copy.getJMSDestination()).isNull();
        assertThat(copy.getJMSReplyTo()).isNull();
    }

    @Test
    void destinationThatIsNeitherQueueNorTopicIsRejected() {
        ForeignMessage state = withHeadersAndProperties(null);
        state.headers.put("JMSReplyTo", new Destination() { });

        assertThatThrownBy(() -> copy(state)).isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void foreignPropertyOfAnInvalidTypeIsAFormatError() {
        ForeignMessage state = withHeadersAndProperties(null);
        state.properties.put("c", 'c');

        assertThatThrownBy(() -> copy(state)).isInstanceOf(jakarta.jms.MessageFormatException.class);
    }

    @Test
    void ternMessageIsReturnedAsItIs() throws JMSException {
        TernTextMessage tern = new TernTextMessage("x");
        assertThat(TernMessage.copyOf(tern)).isSameAs(tern);
    }

    @Test
    void foreignReplyToIsConvertedWhenEncoding() throws JMSException {
        TernTextMessage message = new TernTextMessage("x");
        Queue foreign = () -> "elsewhere";
        message.setJMSDestination(new TernQueue("q"));
        message.setJMSReplyTo(foreign);

        assertThat(message.getJMSReplyTo()).isSameAs(foreign);
        assertThat(TernMessage.decode(message.encode(), 1).getJMSReplyTo()).isEqualTo(new TernQueue("elsewhere"));
    }

    private static TernMessage withDestination(TernMessage message) {
        if (message.getJMSDestination() == null) {
            message.setJMSDestination(new TernQueue("q"));
        }
        return message;
    }
}
