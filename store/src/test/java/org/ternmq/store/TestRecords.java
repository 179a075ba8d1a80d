package org.ternmq.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Payloads that say which record and version they belong to, and a listener that collects recovery. */
final class TestRecords {
    private TestRecords() {
    }

    /** A payload of {@code size} bytes determined by (id, version). */
    static byte[] bytes(long id, int version, int size) {
        byte[] b = new byte[size];
        long x = id * 0x9E3779B97F4A7C15L + version * 0xC2B2AE3D27D4EB4FL + size;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b[i] = (byte) x;
        }
        return b;
    }

    static ByteBuffer payload(long id, int version, int size) {
        return ByteBuffer.wrap(bytes(id, version, size));
    }

    static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    /** Collects what recovery hands over; checks each id comes once. */
    static final class Collected implements RecoveryListener {
        final Map<Long, byte[]> records = new LinkedHashMap<>();
        final Map<Long, Byte> types = new LinkedHashMap<>();
        final List<PreparedTransaction> prepared = new ArrayList<>();
        int duplicates;

        @Override
        public void onRecord(long id, byte userType, ByteBuffer payload) {
            if (records.put(id, toArray(payload)) != null) {
                duplicates++;
            }
            types.put(id, userType);
        }

        @Override
        public void onPreparedTransaction(PreparedTransaction transaction) {
            prepared.add(transaction);
        }
    }
}
