package org.ternmq.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Bytes that are not a message must give {@link MalformedMessageException} and nothing else. */
class MalformedMessageTest {

    private static List<EncodedMessage> samples() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("bytes", new byte[] {1, 2, 3});
        map.put("c", 'c');
        map.put("n", null);
        MessageEncoder base = new MessageEncoder().destination(Address.queue("q")).messageId("ID:1")
                .replyTo(Address.topic("r")).correlationId("c").type("t")
                .property("p", "v").property("q", 3.5).property("JMSXGroupID", "g");
        return List.of(
                base.bodyType(BodyType.MESSAGE).body(new byte[0]).encode(),
                base.bodyType(BodyType.TEXT).body(BodyCodec.encodeText("hello")).encode(),
                base.bodyType(BodyType.TEXT).body(BodyCodec.encodeText(null)).encode(),
                base.bodyType(BodyType.BYTES).body(new byte[] {9, 8, 7}).encode(),
                base.bodyType(BodyType.MAP).body(BodyCodec.encodeMap(map)).encode(),
                base.bodyType(BodyType.STREAM).body(BodyCodec.encodeStream(Arrays.asList(1, "x", null,
                        new byte[] {5}, 'z', 2.5f, true))).encode(),
                base.bodyType(BodyType.OBJECT).body(BodyCodec.encodeObject(new byte[] {1, 2})).encode());
    }

    @Test
    void everyTruncationIsRejected() {
        for (EncodedMessage sample : samples()) {
            byte[] bytes = sample.bytes();
            for (int length = 0; length < bytes.length; length++) {
                byte[] truncated = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> EncodedMessage.wrap(truncated))
                        .as("%s truncated to %d", sample.bodyType(), length)
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void extraBytesAreRejected() {
        for (EncodedMessage sample : samples()) {
            byte[] longer = Arrays.copyOf(sample.bytes(), sample.size() + 1);
            assertThatThrownBy(() -> EncodedMessage.wrap(longer)).isInstanceOf(MalformedMessageException.class);
        }
    }

    @Test
    void randomCorruptionNeverThrowsAnythingElse() {
        Random random = new Random(20240611);
        List<EncodedMessage> samples = samples();
        int accepted = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = samples.get(random.nextInt(samples.size())).bytes().clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            if (decodesOrIsRejected(bytes)) {
                accepted++;
            }
        }
        // a flipped byte in a string or a value is still a well-formed message: some must get through
        assertThat(accepted).isPositive();
    }

    @Test
    void randomGarbageNeverThrowsAnythingElse() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = MessageDescriptor.FORMAT_VERSION;
            }
            decodesOrIsRejected(bytes);
        }
    }

    /** @return true if accepted, after reading everything it offers without an exception */
    private static boolean decodesOrIsRejected(byte[] bytes) {
        EncodedMessage message;
        try {
            message = EncodedMessage.wrap(bytes);
        } catch (MalformedMessageException expected) {
            return false;
        }
        message.toString();
        message.propertyNames().forEach(message::property);
        message.identifier("JMSCorrelationID");
        message.body();
        switch (message.bodyType()) {
            case TEXT -> BodyCodec.decodeText(message);
            case MAP -> BodyCodec.decodeMap(message);
            case STREAM -> BodyCodec.decodeStream(message);
            case OBJECT -> BodyCodec.decodeObject(message);
            default -> { }
        }
        return true;
    }

    @Test
    void badHeaderFieldsAreRejected() {
        byte[] good = samples().get(1).bytes();
        assertRejected(good, MessageDescriptor.VERSION_OFFSET, 2);
        assertRejected(good, MessageDescriptor.BODY_TYPE_OFFSET, 6);
        assertRejected(good, MessageDescriptor.FLAGS_OFFSET, 0x08);
        assertRejected(good, MessageDescriptor.PRIORITY_OFFSET, 10);
        assertRejected(good, MessageDescriptor.VARIABLE_HEADER_LENGTH_OFFSET + 3, good[35] + 1);
        assertRejected(good, MessageDescriptor.BODY_LENGTH_OFFSET, 0x80);
        // destination kind
        assertRejected(good, MessageDescriptor.FIXED_HEADER_LENGTH, 4);
    }

    @Test
    void emptyDestinationNameIsRejected() throws Exception {
        MessageWriter writer = new MessageWriter();
        writer.writeByte(MessageDescriptor.FORMAT_VERSION).writeByte(0).writeByte(0).writeByte(4)
                .writeLong(0).writeLong(0).writeLong(0).writeInt(0);
        int variable = 1 + 4 + 4 * 5;
        writer.writeInt(variable).writeInt(4).writeInt(0);
        writer.writeByte(0).writeString("").writeString(null).writeBlock(null).writeString(null)
                .writeString(null).writeString(null);
        writer.writeInt(0);

        assertThatThrownBy(() -> EncodedMessage.wrap(writer.toByteArray()))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void nullBytesIsMisuseNotMalformed() {
        assertThatThrownBy(() -> EncodedMessage.wrap(null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertRejected(byte[] good, int offset, int value) {
        byte[] bad = good.clone();
        bad[offset] = (byte) value;
        assertThatThrownBy(() -> EncodedMessage.wrap(bad)).as("byte %d = %d", offset, value)
                .isInstanceOf(MalformedMessageException.class);
    }
}
