package org.ternmq.jms.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Set;

import jakarta.jms.CompletionListener;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JMSProducer rules that need no messaging at all: properties, their conversions, options, headers. */
class TernJMSProducerPropertiesTest {

    private final JMSContext context = TernJMSContext.create(new FakeConnection(), JMSContext.AUTO_ACKNOWLEDGE);
    private final JMSProducer producer = context.createProducer();

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void propertiesReadBackAsTheirOwnType() {
        producer.setProperty("b", true).setProperty("y", (byte) 1).setProperty("s", (short) 2).setProperty("i", 3)
                .setProperty("l", 4L).setProperty("f", 5.5f).setProperty("d", 6.5).setProperty("str", "x")
                .setProperty("obj", Integer.valueOf(7));

        assertThat(producer.getBooleanProperty("b")).isTrue();
        assertThat(producer.getByteProperty("y")).isEqualTo((byte) 1);
        assertThat(producer.getShortProperty("s")).isEqualTo((short) 2);
        assertThat(producer.getIntProperty("i")).isEqualTo(3);
        assertThat(producer.getLongProperty("l")).isEqualTo(4L);
        assertThat(producer.getFloatProperty("f")).isEqualTo(5.5f);
        assertThat(producer.getDoubleProperty("d")).isEqualTo(6.5);
        assertThat(producer.getStringProperty("str")).isEqualTo("x");
        assertThat(producer.getObjectProperty("obj")).isEqualTo(7);
        assertThat(producer.getObjectProperty("y")).isEqualTo((byte) 1);
    }

    @Test
    void widensAlongTheConversionTable() {
        producer.setProperty("y", (byte) 9).setProperty("f", 1.5f).setProperty("i", 12);

        assertThat(producer.getShortProperty("y")).isEqualTo((short) 9);
        assertThat(producer.getIntProperty("y")).isEqualTo(9);
        assertThat(producer.getLongProperty("y")).isEqualTo(9L);
        assertThat(producer.getStringProperty("y")).isEqualTo("9");
        assertThat(producer.getDoubleProperty("f")).isEqualTo(1.5);
        assertThat(producer.getLongProperty("i")).isEqualTo(12L);
        assertThat(producer.getStringProperty("i")).isEqualTo("12");
    }

    @Test
    void stringsConvertToEveryType() {
        producer.setProperty("t", "true").setProperty("one", "1");

        assertThat(producer.getBooleanProperty("t")).isTrue();
        assertThat(producer.getByteProperty("one")).isEqualTo((byte) 1);
        assertThat(producer.getShortProperty("one")).isEqualTo((short) 1);
        assertThat(producer.getIntProperty("one")).isEqualTo(1);
        assertThat(producer.getLongProperty("one")).isEqualTo(1L);
        assertThat(producer.getFloatProperty("one")).isEqualTo(1f);
        assertThat(producer.getDoubleProperty("one")).isEqualTo(1d);
    }

    @Test
    void narrowingAndCrossKindConversionsAreFormatErrors() {
        producer.setProperty("b", true).setProperty("i", 1).setProperty("l", 1L).setProperty("d", 1.0)
                .setProperty("f", 1f).setProperty("s", (short) 1);

        assertThatThrownBy(() -> producer.getByteProperty("b")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getIntProperty("b")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getShortProperty("i")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getIntProperty("l")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getFloatProperty("d")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getLongProperty("f")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getByteProperty("s")).isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getBooleanProperty("i"))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.getDoubleProperty("l")).isInstanceOf(MessageFormatRuntimeException.class);
    }

    @Test
    void aMissingPropertyReadsAsANullString() {
        assertThat(producer.getBooleanProperty("none")).isFalse();
        assertThat(producer.getStringProperty("none")).isNull();
        assertThat(producer.getObjectProperty("none")).isNull();
        assertThatThrownBy(() -> producer.getByteProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> producer.getShortProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> producer.getIntProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> producer.getLongProperty("none")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> producer.getFloatProperty("none")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> producer.getDoubleProperty("none")).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "a-b", "NULL", "true", "Between", "escape"})
    void badNamesAreIllegalArguments(String name) {
        assertThatThrownBy(() -> producer.setProperty(name, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> producer.setProperty(name, "v")).isInstanceOf(IllegalArgumentException.class);
        assertThat(producer.getPropertyNames()).isEmpty();
    }

    @Test
    void aNullNameIsAnIllegalArgumentForEverySetter() {
        assertThatThrownBy(() -> producer.setProperty(null, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> producer.setProperty(null, 1L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> producer.setProperty(null, (Object) 1L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void objectValuesMustBeBoxedPrimitivesOrStrings() {
        assertThatThrownBy(() -> producer.setProperty("list", new ArrayList<String>()))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.setProperty("c", (Object) 'c'))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThatThrownBy(() -> producer.setProperty("n", (Object) null))
                .isInstanceOf(MessageFormatRuntimeException.class);
        assertThat(producer.propertyExists("list")).isFalse();
    }

    @Test
    void propertyNamesAreALiveReadOnlyView() {
        Set<String> names = producer.getPropertyNames();
        producer.setProperty("a", 1).setProperty("b", 2);

        assertThat(names).containsExactly("a", "b");
        assertThat(producer.propertyExists("a")).isTrue();
        assertThatThrownBy(() -> names.add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> names.remove("a")).isInstanceOf(UnsupportedOperationException.class);

        producer.clearProperties();
        assertThat(names).isEmpty();
        assertThat(producer.propertyExists("a")).isFalse();
    }

    @Test
    void sendOptionsHaveTheSpecDefaultsAndAreValidated() {
        assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(producer.getPriority()).isEqualTo(4);
        assertThat(producer.getTimeToLive()).isZero();
        assertThat(producer.getDeliveryDelay()).isZero();
        assertThat(producer.getDisableMessageID()).isFalse();
        assertThat(producer.getDisableMessageTimestamp()).isFalse();
        assertThat(producer.getAsync()).isNull();

        assertThatThrownBy(() -> producer.setDeliveryMode(-1)).isInstanceOf(JMSRuntimeException.class);
        assertThatThrownBy(() -> producer.setPriority(-1)).isInstanceOf(JMSRuntimeException.class);
        assertThatThrownBy(() -> producer.setPriority(10)).isInstanceOf(JMSRuntimeException.class);
        assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.PERSISTENT);
        assertThat(producer.getPriority()).isEqualTo(4);

        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
            }

            @Override
            public void onException(Message message, Exception exception) {
            }
        };
        JMSProducer chained = producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT).setPriority(9)
                .setTimeToLive(1000).setDeliveryDelay(20).setDisableMessageID(true)
                .setDisableMessageTimestamp(true).setAsync(listener);
        assertThat(chained).isSameAs(producer);
        assertThat(producer.getDeliveryMode()).isEqualTo(DeliveryMode.NON_PERSISTENT);
        assertThat(producer.getPriority()).isEqualTo(9);
        assertThat(producer.getTimeToLive()).isEqualTo(1000);
        assertThat(producer.getDeliveryDelay()).isEqualTo(20);
        assertThat(producer.getDisableMessageID()).isTrue();
        assertThat(producer.getDisableMessageTimestamp()).isTrue();
        assertThat(producer.getAsync()).isSameAs(listener);
        assertThat(producer.setAsync(null).getAsync()).isNull();
    }

    @Test
    void headersAreKeptAndTheCorrelationIdBytesAreCopied() {
        byte[] cid = {1, 2, 3};
        producer.setJMSCorrelationIDAsBytes(cid);
        cid[0] = 9;

        assertThat(producer.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);
        producer.getJMSCorrelationIDAsBytes()[1] = 9;
        assertThat(producer.getJMSCorrelationIDAsBytes()).containsExactly(1, 2, 3);

        FakeQueue replyTo = new FakeQueue("replies");
        producer.setJMSCorrelationID("cid").setJMSType("type").setJMSReplyTo(replyTo);
        assertThat(producer.getJMSCorrelationID()).isEqualTo("cid");
        assertThat(producer.getJMSCorrelationIDAsBytes()).isNull();
        assertThat(producer.getJMSType()).isEqualTo("type");
        assertThat(producer.getJMSReplyTo()).isEqualTo(replyTo);
    }
}
