package org.ternmq.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EncodedMessageTest {

    private static MessageEncoder full() {
        return new MessageEncoder()
                .bodyType(BodyType.TEXT)
                .persistent(false)
                .priority(7)
                .timestamp(1_700_000_000_123L)
                .expiration(1_700_000_060_000L)
                .deliveryTime(1_700_000_001_000L)
                .messageId("ID:abc-1")
                .destination(Address.queue("orders"))
                .replyTo(new Address(Address.Kind.TEMPORARY_TOPIC, "tmp.1"))
                .correlationId("corr-\u00e9\u4e2d")
                .type("OrderPlaced")
                .property("b", true)
                .property("by", (byte) -3)
                .property("s", (short) 300)
                .property("i", 42)
                .property("l", Long.MIN_VALUE)
                .property("f", 1.5f)
                .property("d", Double.MAX_VALUE)
                .property("str", "h\u00e9llo \ud83d\ude00")
                .property("empty", "")
                .property("nothing", null)
                .property("JMSXGroupID", "group-7")
                .property("JMSXGroupSeq", 12)
                .property("JMS_TERN_DuplicateID", "dup-99")
                .body(BodyCodec.encodeText("body"));
    }

    @Test
    void headerFieldsRoundTrip() throws Exception {
        EncodedMessage message = EncodedMessage.wrap(full().encode().bytes());

        assertThat(message.bodyType()).isEqualTo(BodyType.TEXT);
        assertThat(message.persistent()).isFalse();
        assertThat(message.priority()).isEqualTo(7);
        assertThat(message.timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(message.expiration()).isEqualTo(1_700_000_060_000L);
        assertThat(message.deliveryTime()).isEqualTo(1_700_000_001_000L);
        assertThat(message.messageId()).isEqualTo("ID:abc-1");
        assertThat(message.destination()).isEqualTo(Address.queue("orders"));
        assertThat(message.replyTo()).isEqualTo(new Address(Address.Kind.TEMPORARY_TOPIC, "tmp.1"));
        assertThat(message.correlationId()).isEqualTo("corr-\u00e9\u4e2d");
        assertThat(message.correlationIdIsBytes()).isFalse();
        assertThat(message.type()).isEqualTo("OrderPlaced");
        assertThat(message.groupId()).isEqualTo("group-7");
        assertThat(message.groupSeq()).isEqualTo(12);
        assertThat(message.duplicateId()).isEqualTo("dup-99");
        assertThat(BodyCodec.decodeText(message)).isEqualTo("body");
        assertThat(message.size()).isEqualTo(message.bytes().length);
    }

    @Test
    void propertiesOfEveryTypeRoundTripInOrder() throws Exception {
        EncodedMessage message = EncodedMessage.wrap(full().encode().bytes());

        assertThat(message.propertyNames()).containsExactly("b", "by", "s", "i", "l", "f", "d", "str", "empty",
                "nothing", "JMSXGroupID", "JMSXGroupSeq", "JMS_TERN_DuplicateID");
        assertThat(message.property("b")).isEqualTo(true);
        assertThat(message.property("by")).isEqualTo((byte) -3);
        assertThat(message.property("s")).isEqualTo((short) 300);
        assertThat(message.property("i")).isEqualTo(42);
        assertThat(message.property("l")).isEqualTo(Long.MIN_VALUE);
        assertThat(message.property("f")).isEqualTo(1.5f);
        assertThat(message.property("d")).isEqualTo(Double.MAX_VALUE);
        assertThat(message.property("str")).isEqualTo("h\u00e9llo \ud83d\ude00");
        assertThat(message.property("empty")).isEqualTo("");
        assertThat(message.property("nothing")).isNull();
        assertThat(message.propertyNames()).contains("nothing");
        assertThat(message.property("absent")).isNull();
    }

    @Test
    void minimalMessageHasDefaults() throws Exception {
        EncodedMessage message = new MessageEncoder().destination(Address.topic("t")).encode();

        assertThat(message.bodyType()).isEqualTo(BodyType.MESSAGE);
        assertThat(message.persistent()).isTrue();
        assertThat(message.priority()).isEqualTo(4);
        assertThat(message.messageId()).isNull();
        assertThat(message.replyTo()).isNull();
        assertThat(message.correlationId()).isNull();
        assertThat(message.correlationIdBytes()).isNull();
        assertThat(message.type()).isNull();
        assertThat(message.groupId()).isNull();
        assertThat(message.groupSeq()).isZero();
        assertThat(message.duplicateId()).isNull();
        assertThat(message.expiration()).isZero();
        assertThat(message.deliveryTime()).isZero();
        assertThat(message.propertyNames()).isEmpty();
        assertThat(message.bodyLength()).isZero();
        assertThat(message.bodyOffset()).isEqualTo(message.size());
    }

    @Test
    void bytesCorrelationIdKeepsItsFlagAndBytes() throws Exception {
        byte[] id = {0, (byte) 0xFF, 1, (byte) 0x80};
        EncodedMessage message = new MessageEncoder().destination(Address.queue("q")).correlationIdBytes(id).encode();

        assertThat(message.correlationIdIsBytes()).isTrue();
        assertThat(message.correlationIdBytes()).containsExactly(id);
        assertThat(message.correlationIdBytes()).isNotSameAs(message.correlationIdBytes());
    }

    @Test
    void bytesAreNotCopied() throws Exception {
        byte[] bytes = full().encode().bytes();
        EncodedMessage message = EncodedMessage.wrap(bytes);

        assertThat(message.bytes()).isSameAs(bytes);
        assertThat(message.bytes()).isSameAs(message.bytes());
    }

    @Test
    void propertiesAreDecodedOnceAndShared() throws Exception {
        EncodedMessage message = EncodedMessage.wrap(full().encode().bytes());

        Map<String, Object> first = message.properties();
        assertThat(message.properties()).isSameAs(first);
        assertThatThrownBy(() -> first.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @Timeout(10)
    void concurrentPropertyReadsAllSeeTheSameValues() throws Exception {
        EncodedMessage message = EncodedMessage.wrap(full().encode().bytes());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Object>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<Object> read = () -> {
                    start.await();
                    return message.property("str");
                };
                results.add(pool.submit(read));
            }
            start.countDown();
            for (Future<Object> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("h\u00e9llo \ud83d\ude00");
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void identifierGivesHeadersForSelectors() throws Exception {
        EncodedMessage message = full().encode();

        assertThat(message.identifier("JMSDeliveryMode")).isEqualTo("NON_PERSISTENT");
        assertThat(message.identifier("JMSPriority")).isEqualTo(7);
        assertThat(message.identifier("JMSMessageID")).isEqualTo("ID:abc-1");
        assertThat(message.identifier("JMSTimestamp")).isEqualTo(1_700_000_000_123L);
        assertThat(message.identifier("JMSCorrelationID")).isEqualTo("corr-\u00e9\u4e2d");
        assertThat(message.identifier("JMSType")).isEqualTo("OrderPlaced");
        assertThat(message.identifier("i")).isEqualTo(42);
        assertThat(message.identifier("absent")).isNull();

        EncodedMessage persistent = new MessageEncoder().destination(Address.queue("q"))
                .correlationIdBytes("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)).encode();
        assertThat(persistent.identifier("JMSDeliveryMode")).isEqualTo("PERSISTENT");
        assertThat(persistent.identifier("JMSCorrelationID")).isEqualTo("abc");
        assertThat(persistent.identifier("JMSType")).isNull();
    }

    @Test
    void withPropertiesAddsOverridesRemovesAndKeepsTheRest() throws Exception {
        EncodedMessage original = full().encode();
        Map<String, Object> extra = new HashMap<>();
        extra.put("i", 43);
        extra.put("reason", "expired");
        extra.put("b", null);
        extra.put("JMSXGroupID", "other-group");

        EncodedMessage changed = original.withProperties(extra);

        assertThat(changed.property("i")).isEqualTo(43);
        assertThat(changed.property("reason")).isEqualTo("expired");
        assertThat(changed.propertyNames()).doesNotContain("b");
        assertThat(changed.property("str")).isEqualTo(original.property("str"));
        assertThat(changed.groupId()).isEqualTo("other-group");
        assertSameExceptProperties(original, changed);
        assertThat(BodyCodec.decodeText(changed)).isEqualTo("body");
        assertThat(original.property("i")).isEqualTo(42);
    }

    @Test
    void withDestinationChangesOnlyDestinationAndExpiration() throws Exception {
        EncodedMessage original = full().encode();

        EncodedMessage moved = original.withDestination(Address.queue("DLQ"), 0);

        assertThat(moved.destination()).isEqualTo(Address.queue("DLQ"));
        assertThat(moved.expiration()).isZero();
        assertThat(moved.messageId()).isEqualTo(original.messageId());
        assertThat(moved.timestamp()).isEqualTo(original.timestamp());
        assertThat(moved.deliveryTime()).isEqualTo(original.deliveryTime());
        assertThat(moved.properties()).isEqualTo(original.properties());
        assertThat(moved.body()).containsExactly(original.body());
        assertThat(moved.groupSeq()).isEqualTo(original.groupSeq());
        assertThat(moved.duplicateId()).isEqualTo(original.duplicateId());
        assertThat(original.destination()).isEqualTo(Address.queue("orders"));
    }

    @Test
    void reencodingUnchangedGivesIdenticalBytes() throws Exception {
        EncodedMessage original = full().encode();

        assertThat(original.withProperties(Map.of()).bytes()).containsExactly(original.bytes());
    }

    @Test
    void bigBodyRoundTrips() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        new java.util.Random(7).nextBytes(body);
        EncodedMessage message = EncodedMessage.wrap(new MessageEncoder().bodyType(BodyType.BYTES)
                .destination(Address.queue("big")).body(body).encode().bytes());

        assertThat(message.bodyLength()).isEqualTo(body.length);
        assertThat(Arrays.equals(message.body(), body)).isTrue();
    }

    @Test
    void groupSeqAndIdsComeOnlyFromTheirProperties() throws Exception {
        EncodedMessage message = new MessageEncoder().destination(Address.queue("q"))
                .property("JMSXGroupSeq", "5").property("JMS_TERN_DuplicateID", 17).encode();

        assertThat(message.groupSeq()).isEqualTo(5);
        assertThat(message.duplicateId()).isEqualTo("17");
        assertThat(message.groupId()).isNull();
    }

    @Test
    void encoderRejectsMisuse() {
        assertThatThrownBy(() -> new MessageEncoder().encode()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new MessageEncoder().priority(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageEncoder().priority(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageEncoder().property("c", 'c'))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageEncoder().property("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageEncoder().destination(Address.queue("q")).bodyType(BodyType.MAP)
                .body(new byte[] {1}).encode()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNamesIdAndDestination() {
        assertThat(full().encode().toString()).contains("ID:abc-1").contains("orders").contains("TEXT");
    }

    private static void assertSameExceptProperties(EncodedMessage a, EncodedMessage b) {
        assertThat(b.messageId()).isEqualTo(a.messageId());
        assertThat(b.destination()).isEqualTo(a.destination());
        assertThat(b.replyTo()).isEqualTo(a.replyTo());
        assertThat(b.persistent()).isEqualTo(a.persistent());
        assertThat(b.priority()).isEqualTo(a.priority());
        assertThat(b.timestamp()).isEqualTo(a.timestamp());
        assertThat(b.expiration()).isEqualTo(a.expiration());
        assertThat(b.deliveryTime()).isEqualTo(a.deliveryTime());
        assertThat(b.correlationId()).isEqualTo(a.correlationId());
        assertThat(b.type()).isEqualTo(a.type());
        assertThat(b.bodyType()).isEqualTo(a.bodyType());
    }

    @Test
    void aLargeMessageCarriesOnlyAReferenceToItsBodyThroughEveryReEncoding() throws Exception {
        EncodedMessage plain = new MessageEncoder().bodyType(BodyType.STREAM).destination(Address.queue("q"))
                .property("k", "v").body(BodyCodec.encodeStream(List.of("x"))).encode();
        EncodedMessage large = plain.asLarge(3L << 31, 77);

        assertThat(plain.isLarge()).isFalse();
        assertThat(large.isLarge()).isTrue();
        assertThat(large.largeBodySize()).isEqualTo(3L << 31);
        assertThat(large.largeBodyId()).isEqualTo(77);
        assertThat(large.bodyLength()).isEqualTo(MessageDescriptor.LARGE_BODY_LENGTH);
        assertThat(large.property("k")).isEqualTo("v");

        EncodedMessage named = large.withLargeBodyId(123_456_789_012L);
        assertThat(named.largeBodyId()).isEqualTo(123_456_789_012L);
        assertThat(named.largeBodySize()).isEqualTo(3L << 31);
        assertThat(large.largeBodyId()).as("the original is not changed").isEqualTo(77);

        EncodedMessage moved = named.withProperties(Map.of("extra", 1)).withDestination(Address.queue("DLQ"), 0);
        assertThat(moved.isLarge()).isTrue();
        assertThat(moved.largeBodyId()).isEqualTo(123_456_789_012L);

        EncodedMessage inline = named.withInlineBody(BodyCodec.encodeStream(List.of("y")));
        assertThat(inline.isLarge()).isFalse();
        assertThat(BodyCodec.decodeStream(inline)).containsExactly("y");
    }

    @Test
    void aLargeFlagWithABodyThatIsNotAReferenceIsMalformed() {
        byte[] bytes = new MessageEncoder().bodyType(BodyType.BYTES).destination(Address.queue("q"))
                .body(new byte[10]).encode().bytes().clone();
        bytes[MessageDescriptor.FLAGS_OFFSET] |= MessageDescriptor.FLAG_LARGE;
        assertThatThrownBy(() -> EncodedMessage.wrap(bytes)).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("large message's body section must be 16 bytes");
    }
}
