package org.ternmq.jms.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.jms.Destination;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.Topic;

import org.junit.jupiter.api.Test;
import org.ternmq.message.Address;

class TernDestinationTest {

    @Test
    void queueAndTopicExposeNameAndAddress() throws JMSException {
        TernQueue queue = new TernQueue("orders");
        TernTopic topic = new TernTopic("prices");

        assertThat(queue.getQueueName()).isEqualTo("orders");
        assertThat(queue.address()).isEqualTo(Address.queue("orders"));
        assertThat(queue.toString()).isEqualTo("orders");
        assertThat(queue.isQueue()).isTrue();
        assertThat(topic.getTopicName()).isEqualTo("prices");
        assertThat(topic.address()).isEqualTo(Address.topic("prices"));
        assertThat(topic.isQueue()).isFalse();
        assertThat(topic.isTemporary()).isFalse();
    }

    @Test
    void equalityIsByAddress() {
        assertThat(new TernQueue("a")).isEqualTo(new TernQueue("a")).hasSameHashCodeAs(new TernQueue("a"));
        assertThat(new TernQueue("a")).isNotEqualTo(new TernTopic("a"));
        assertThat(new TernQueue("a")).isNotEqualTo(new TernQueue("b"));
        assertThat(new TernQueue("a")).isNotEqualTo(new TernTemporaryQueue("a", null));
        assertThat(new TernTemporaryQueue("t", owner(new ArrayList<>())))
                .isEqualTo(TernDestination.of(new Address(Address.Kind.TEMPORARY_QUEUE, "t")));
    }

    @Test
    void invalidNamesAreRejected() {
        assertThatThrownBy(() -> new TernQueue("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TernTopic(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ofGivesTheRightClassForEachKind() {
        assertThat(TernDestination.of(Address.queue("q"))).isExactlyInstanceOf(TernQueue.class);
        assertThat(TernDestination.of(Address.topic("t"))).isExactlyInstanceOf(TernTopic.class);
        assertThat(TernDestination.of(new Address(Address.Kind.TEMPORARY_QUEUE, "tq")))
                .isInstanceOf(TemporaryQueue.class);
        assertThat(TernDestination.of(new Address(Address.Kind.TEMPORARY_TOPIC, "tt")))
                .isInstanceOf(TemporaryTopic.class);
        for (Address.Kind kind : Address.Kind.values()) {
            Address address = new Address(kind, "n");
            assertThat(TernDestination.of(address).address()).isEqualTo(address);
        }
    }

    @Test
    void fromForeignConvertsByNameAndKeepsTernOnes() throws JMSException {
        Queue foreignQueue = () -> "fq";
        Topic foreignTopic = () -> "ft";
        TernQueue tern = new TernQueue("mine");

        assertThat(TernDestination.fromForeign(foreignQueue)).isEqualTo(new TernQueue("fq"));
        assertThat(TernDestination.fromForeign(foreignTopic)).isEqualTo(new TernTopic("ft"));
        assertThat(TernDestination.fromForeign(tern)).isSameAs(tern);
        assertThat(TernDestination.fromForeign(null)).isNull();
        assertThatThrownBy(() -> TernDestination.fromForeign(new Destination() { }))
                .isInstanceOf(InvalidDestinationException.class);
        Queue nameless = () -> null;
        assertThatThrownBy(() -> TernDestination.fromForeign(nameless))
                .isInstanceOf(InvalidDestinationException.class);
    }

    @Test
    void deleteReachesTheOwner() throws JMSException {
        List<TernDestination> deleted = new ArrayList<>();
        TernTemporaryQueue queue = new TernTemporaryQueue("tq", owner(deleted));
        TernTemporaryTopic topic = new TernTemporaryTopic("tt", owner(deleted));

        queue.delete();
        topic.delete();

        assertThat(deleted).containsExactly(queue, topic);
        assertThat(queue.getQueueName()).isEqualTo("tq");
        assertThat(topic.getTopicName()).isEqualTo("tt");
        assertThat(queue.isTemporary()).isTrue();
        assertThat(queue.owner()).isNotNull();
    }

    @Test
    void deleteWithoutOwnerFails() {
        TemporaryQueue copy = (TemporaryQueue) TernDestination.of(new Address(Address.Kind.TEMPORARY_QUEUE, "tq"));
        assertThatThrownBy(copy::delete).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serializesByKindAndName() throws Exception {
        List<TernDestination> all = List.of(new TernQueue("q"), new TernTopic("t"),
                new TernTemporaryQueue("tq", owner(new ArrayList<>())), new TernTemporaryTopic("tt", null));
        for (TernDestination destination : all) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(destination);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                TernDestination back = (TernDestination) in.readObject();
                assertThat(back).isEqualTo(destination).isExactlyInstanceOf(destination.getClass());
                assertThat(back.address()).isEqualTo(destination.address());
            }
        }
    }

    private static TemporaryDestinationOwner owner(List<TernDestination> deleted) {
        return new TemporaryDestinationOwner() {
            @Override
            public void deleteTemporary(TernDestination destination) {
                deleted.add(destination);
            }

            @Override
            public boolean isClosed() {
                return false;
            }
        };
    }
}
