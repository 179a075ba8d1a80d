package org.ternmq.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

/** QUEUED and QUEUED_DELIVERED payloads, the second made in place from the first, read back as written. */
class QueuedRecordTest {

    private static final byte[] MESSAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void aQueuedRecordReadsBackWithItsMessage() {
        ByteBuffer queued = StoreRecordDescriptor.encodeQueued(7, 42, 0, 0, MESSAGE);

        assertThat(queued.remaining()).isEqualTo(StoreRecordDescriptor.QUEUED_HEADER_LENGTH + MESSAGE.length);
        StoredRef ref = StoreRecordDescriptor.decodeQueued(100, StoreRecordDescriptor.QUEUED, queued);
        assertThat(ref.queueId()).isEqualTo(7);
        assertThat(ref.sequence()).isEqualTo(42);
        assertThat(ref.deliveryCount()).isZero();
        assertThat(ref.firstDeliveredAt()).isZero();
        assertThat(ref.message()).containsExactly(MESSAGE);
    }

    @Test
    void aFirstDeliveryInTheSameBatchTurnsItIntoQueuedDeliveredInPlace() {
        ByteBuffer queued = StoreRecordDescriptor.encodeQueued(7, 42, 0, 0, MESSAGE);

        ByteBuffer delivered = StoreRecordDescriptor.queuedDelivered(queued, 7, 42, 1, 5_000, 1_234);

        assertThat(delivered.array()).isSameAs(queued.array()); // no copy of the message
        assertThat(delivered.remaining())
                .isEqualTo(StoreRecordDescriptor.QUEUED_DELIVERED_HEADER_LENGTH + MESSAGE.length);
        StoredRef ref = StoreRecordDescriptor.decodeQueued(100, StoreRecordDescriptor.QUEUED_DELIVERED, delivered);
        assertThat(ref.queueId()).isEqualTo(7);
        assertThat(ref.sequence()).isEqualTo(42);
        assertThat(ref.deliveryCount()).isEqualTo(1);
        assertThat(ref.redeliverAt()).isEqualTo(5_000);
        assertThat(ref.firstDeliveredAt()).isEqualTo(1_234);
        assertThat(ref.message()).containsExactly(MESSAGE);
        // a second delivery in the same batch rewrites the same header
        ByteBuffer again = StoreRecordDescriptor.queuedDelivered(delivered, 7, 42, 2, 0, 1_234);
        assertThat(StoreRecordDescriptor.decodeQueued(100, StoreRecordDescriptor.QUEUED_DELIVERED, again)
                .deliveryCount()).isEqualTo(2);
    }
}
