package org.ternmq.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BodyCodecTest {

    private static EncodedMessage encode(BodyType type, byte[] body) {
        return new MessageEncoder().destination(Address.queue("q")).bodyType(type).body(body).encode();
    }

    @Test
    void textKeepsNullEmptyAndUnicodeApart() {
        assertThat(BodyCodec.decodeText(encode(BodyType.TEXT, BodyCodec.encodeText(null)))).isNull();
        assertThat(BodyCodec.decodeText(encode(BodyType.TEXT, BodyCodec.encodeText("")))).isEmpty();
        String unicode = "\u00e9\u4e2d\ud83d\ude00\u0000end";
        assertThat(BodyCodec.decodeText(encode(BodyType.TEXT, BodyCodec.encodeText(unicode)))).isEqualTo(unicode);
        String big = "x".repeat(3_000_000);
        assertThat(BodyCodec.decodeText(encode(BodyType.TEXT, BodyCodec.encodeText(big)))).isEqualTo(big);
    }

    @Test
    void objectKeepsNullAndEmptyApart() {
        assertThat(BodyCodec.decodeObject(encode(BodyType.OBJECT, BodyCodec.encodeObject(null)))).isNull();
        assertThat(BodyCodec.decodeObject(encode(BodyType.OBJECT, BodyCodec.encodeObject(new byte[0])))).isEmpty();
        assertThat(BodyCodec.decodeObject(encode(BodyType.OBJECT, BodyCodec.encodeObject(new byte[] {1, 2}))))
                .containsExactly(1, 2);
    }

    @Test
    void mapKeepsEveryValueTypeAndOrder() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", true);
        map.put("b", (byte) 1);
        map.put("s", (short) 2);
        map.put("c", '\u4e2d');
        map.put("i", 3);
        map.put("l", 4L);
        map.put("f", Float.NaN);
        map.put("d", -0.0d);
        map.put("str", "");
        map.put("bytes", new byte[] {7});
        map.put("empty", new byte[0]);
        map.put("n", null);

        Map<String, Object> decoded = BodyCodec.decodeMap(encode(BodyType.MAP, BodyCodec.encodeMap(map)));

        assertThat(decoded.keySet()).containsExactlyElementsOf(map.keySet());
        map.forEach((name, value) -> {
            if (value instanceof byte[] bytes) {
                assertThat((byte[]) decoded.get(name)).containsExactly(bytes);
            } else {
                assertThat(decoded.get(name)).isEqualTo(value);
            }
        });
    }

    @Test
    void streamKeepsEveryValueTypeAndOrder() {
        List<Object> values = Arrays.asList(false, (byte) -1, (short) -2, 'x', -3, -4L, 1.25f, 2.5d, "s", null,
                new byte[] {1, 2});

        List<Object> decoded = BodyCodec.decodeStream(encode(BodyType.STREAM, BodyCodec.encodeStream(values)));

        assertThat(decoded).hasSize(values.size());
        assertThat(decoded.subList(0, 10)).containsExactlyElementsOf(values.subList(0, 10));
        assertThat((byte[]) decoded.get(10)).containsExactly(1, 2);
    }

    @Test
    void decodingTheWrongTypeIsMisuse() {
        EncodedMessage text = encode(BodyType.TEXT, BodyCodec.encodeText("t"));
        assertThatThrownBy(() -> BodyCodec.decodeMap(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writerAndReaderAgreeOnPrimitives() throws Exception {
        MessageWriter writer = new MessageWriter(1);
        writer.writeByte(-1).writeShort(-2).writeInt(Integer.MIN_VALUE).writeLong(Long.MAX_VALUE)
                .writeBoolean(true).writeString(null).writeString("\u00e9").writeBlock(new byte[] {3});
        byte[] bytes = writer.toByteArray();
        MessageReader reader = new MessageReader(bytes, 0, bytes.length);

        assertThat(reader.readByte()).isEqualTo((byte) -1);
        assertThat(reader.readShort()).isEqualTo((short) -2);
        assertThat(reader.readInt()).isEqualTo(Integer.MIN_VALUE);
        assertThat(reader.readLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(reader.readBoolean()).isTrue();
        assertThat(reader.readString()).isNull();
        assertThat(reader.readString()).isEqualTo("\u00e9");
        assertThat(reader.readBlock()).containsExactly(3);
        assertThat(reader.hasRemaining()).isFalse();
        assertThatThrownBy(reader::readByte).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void bodyTypeCodesAreStable() {
        for (BodyType type : BodyType.values()) {
            assertThat(BodyType.fromCode(type.code())).isEqualTo(type);
        }
        assertThat(BodyType.TEXT.code()).isEqualTo(1);
        assertThatThrownBy(() -> BodyType.fromCode(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BodyType.fromCode(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
