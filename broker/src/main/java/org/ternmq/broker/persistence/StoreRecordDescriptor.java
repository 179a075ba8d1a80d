package org.ternmq.broker.persistence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.ternmq.message.Address;

/**
 * The broker's record types in the journal and their payload layouts (big-endian; a string is an int
 * byte-length, -1 for null, then UTF-8):
 *
 * <pre>
 * QUEUE      +--------+------+----------+-------------------+----------+---------+--------+
 *  (type 1)  | flags  | name | clientId | subscription name | selector | noLocal | shared |
 *            | 1 byte | str  | str      | str               | str      | 1 byte  | 1 byte |
 *            +--------+------+----------+-------------------+----------+---------+--------+
 *            flags bit 0: subscription (else a queue, and the rest of the fields are null/0)
 *
 * MESSAGE    +----------------------------------------------+
 *  (type 2)  | the message exactly as the producer encoded it |
 *            +----------------------------------------------+
 *
 * REF        +------------+----------+----------+----------------+--------------+-------------------+
 *  (type 3)  | message id | queue id | sequence | delivery count | redeliver at | first delivered at|
 *            | 8 bytes    | 8 bytes  | 8 bytes  | 4 bytes        | 8 bytes      | 8 bytes           |
 *            +------------+----------+----------+----------------+--------------+-------------------+
 *
 * DUPLICATE  +--------------+--------------+--------------+---------+
 *  (type 4)  | address kind | address name | duplicate id | seen at |
 *            | 1 byte       | str          | str          | 8 bytes |
 *            +--------------+--------------+--------------+---------+
 *
 * QUEUED     +----------+----------+----------------+--------------+-----------------------------+
 *  (type 5)  | queue id | sequence | delivery count | redeliver at | the message as encoded      |
 *            | 8 bytes  | 8 bytes  | 4 bytes        | 8 bytes      | rest of the payload         |
 *            +----------+----------+----------------+--------------+-----------------------------+
 *            a message standing in exactly one durable queue: body and reference in one record, so
 *            a backlog costs the journal one index entry per message, not two. The record id is the
 *            reference's id; id + 1 is reserved for its DELIVERY record.
 *
 * DELIVERY   +-----------+----------------+--------------+--------------------+
 *  (type 6)  | queued id | delivery count | redeliver at | first delivered at |
 *            | 8 bytes   | 4 bytes        | 8 bytes      | 8 bytes            |
 *            +-----------+----------------+--------------+--------------------+
 *            the delivery state of QUEUED record "queued id" once it changed (written at the first
 *            delivery), kept apart so a delivery never rewrites the body. Its id is queued id + 1.
 *            Also the later delivery state of a QUEUED_DELIVERED record (type 10), whose own fields it
 *            then overrides.
 *
 * HEURISTIC  +---------+------------+------------------------------+
 *  (type 7)  | outcome | decided at | xid (XidValue bytes)         |
 *            | 1 byte  | 8 bytes    | rest of the payload          |
 *            +---------+------------+------------------------------+
 *            an XA branch an operator completed by hand: outcome 1 committed, 2 rolled back.
 *
 * RETAINED   +----------+----------+---------+---------+---------+----------------+------------+-----+-----------+---------+
 *  (type 8)  | queue id | sequence | left at | sent at | outcome | delivery count | message id | key | lifecycle | message |
 *            | 8 bytes  | 8 bytes  | 8 bytes | 8 bytes | 1 byte  | 4 bytes        | str        | str | str       | rest    |
 *            +----------+----------+---------+---------+---------+----------------+------------+-----+-----------+---------+
 *            a message kept after it left a queue whose policy retains history (RetainedRecord); start-up
 *            reads the fields up to the key, the rest is read when an operator asks or a replay needs it.
 *
 * The payload of a prepared XA branch's PREPARE record (the journal keeps it as the transaction's "xid"):
 *            +---------+-------------+------------------------------+
 *            | version | prepared at | xid (XidValue bytes)         |
 *            | 1 byte  | 8 bytes     | rest of the payload          |
 *            +---------+-------------+------------------------------+
 * and of a half-message's (version 2), whose message must survive a restart to be shown to a checker:
 *            +---------+-------------+------------+---------------+-----------------------+
 *            | version | prepared at | xid length | xid           | the message as encoded |
 *            | 1 byte  | 8 bytes     | 4 bytes    | (length)      | rest of the payload    |
 *            +---------+-------------+------------+---------------+-----------------------+
 * CHUNK      +---------+-------+-------------------------------+
 *  (type 9)  | body id | index | that many bytes of the body   |
 *            | 8 bytes | 4 B   | rest of the payload           |
 *            +---------+-------+-------------------------------+
 *            a chunk of a large message's body (MessageDescriptor.FLAG_LARGE), written as it arrives,
 *            before the message; the message's body section names the body id. A chunk whose body no
 *            message names is dropped at start-up (a send that never finished).
 *
 * QUEUED_DELIVERED +----------+----------+----------------+--------------+--------------------+-----------------+
 *  (type 10)       | queue id | sequence | delivery count | redeliver at | first delivered at | the message     |
 *                  | 8 bytes  | 8 bytes  | 4 bytes        | 8 bytes      | 8 bytes            | rest            |
 *                  +----------+----------+----------------+--------------+--------------------+-----------------+
 *            a QUEUED record whose first delivery started in the task that stored it: the delivery state
 *            the DELIVERY record would have held travels in the message's own record, so storing,
 *            delivering and acknowledging such a message costs two journal frames (this record and its
 *            delete) instead of six (QUEUED and DELIVERY in a transaction, then a transaction deleting
 *            both). A later delivery writes a DELIVERY record (id + 1) as for QUEUED.
 * </pre>
 */
public final class StoreRecordDescriptor {

    public static final byte QUEUE = 1;
    public static final byte MESSAGE = 2;
    public static final byte REF = 3;
    public static final byte DUPLICATE = 4;
    public static final byte QUEUED = 5;
    public static final byte DELIVERY = 6;
    public static final byte HEURISTIC = 7;
    public static final byte RETAINED = 8;
    public static final byte CHUNK = 9;
    public static final byte QUEUED_DELIVERED = 10;
    static final int CHUNK_HEADER_LENGTH = 8 + 4;

    private static final byte BRANCH_VERSION = 1;
    /** A half-message's branch: the XA layout with the Xid's length, then the message's bytes. */
    private static final byte HALF_BRANCH_VERSION = 2;

    static final int REF_LENGTH = 8 + 8 + 8 + 4 + 8 + 8;
    static final int QUEUED_HEADER_LENGTH = 8 + 8 + 4 + 8;
    static final int QUEUED_DELIVERED_HEADER_LENGTH = QUEUED_HEADER_LENGTH + 8;
    static final int QUEUED_QUEUE_ID_OFFSET = 0;
    static final int QUEUED_SEQUENCE_OFFSET = 8;
    static final int QUEUED_DELIVERY_COUNT_OFFSET = 16;
    static final int QUEUED_REDELIVER_AT_OFFSET = 20;
    static final int REF_MESSAGE_ID_OFFSET = 0;
    static final int REF_QUEUE_ID_OFFSET = 8;
    static final int REF_SEQUENCE_OFFSET = 16;
    static final int DELIVERY_LENGTH = 8 + 4 + 8 + 8;

    private StoreRecordDescriptor() {
    }

    static ByteBuffer encodeChunk(long bodyId, int index, byte[] data) {
        return ByteBuffer.allocate(CHUNK_HEADER_LENGTH + data.length).putLong(bodyId).putInt(index).put(data).flip();
    }

    /**
     * The large-body id an encoded message in {@code p} from {@code offset} to its limit names, or 0 when the
     * message is not large (MessageDescriptor: flags at byte 2, a large body is the last 16 bytes).
     */
    static long largeBodyId(ByteBuffer p, int offset) {
        if (p.limit() - offset < org.ternmq.message.MessageDescriptor.FIXED_HEADER_LENGTH
                || (p.get(offset + org.ternmq.message.MessageDescriptor.FLAGS_OFFSET)
                        & org.ternmq.message.MessageDescriptor.FLAG_LARGE) == 0) {
            return 0;
        }
        return p.getLong(p.limit() - 8);
    }

    static ByteBuffer encode(QueueRecord q) {
        byte[][] strings = {utf8(q.name()), utf8(q.clientId()), utf8(q.subscriptionName()), utf8(q.selector())};
        ByteBuffer b = ByteBuffer.allocate(1 + stringsLength(strings) + 2);
        b.put((byte) (q.subscription() ? 1 : 0));
        for (byte[] s : strings) {
            putString(b, s);
        }
        b.put((byte) (q.noLocal() ? 1 : 0)).put((byte) (q.shared() ? 1 : 0));
        return b.flip();
    }

    static QueueRecord decodeQueue(long id, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        boolean subscription = (b.get() & 1) != 0;
        String name = getString(b);
        String clientId = getString(b);
        String subscriptionName = getString(b);
        String selector = getString(b);
        boolean noLocal = b.get() != 0;
        boolean shared = b.get() != 0;
        return new QueueRecord(id, subscription, name, clientId, subscriptionName, selector, noLocal, shared);
    }

    /** A REF record: {@link #REF_LENGTH} bytes, and the uncharged count after them when there is one. */
    static ByteBuffer encode(RefRecord r) {
        ByteBuffer b = ByteBuffer.allocate(REF_LENGTH + (r.uncharged() > 0 ? 4 : 0)).putLong(r.messageId())
                .putLong(r.queueId()).putLong(r.sequence()).putInt(r.deliveryCount()).putLong(r.redeliverAt())
                .putLong(r.firstDeliveredAt());
        if (r.uncharged() > 0) {
            b.putInt(r.uncharged());
        }
        return b.flip();
    }

    static RefRecord decodeRef(long id, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        long messageId = b.getLong();
        long queueId = b.getLong();
        long sequence = b.getLong();
        int deliveryCount = b.getInt();
        long redeliverAt = b.getLong();
        long firstDeliveredAt = b.getLong();
        int uncharged = b.remaining() >= 4 ? b.getInt() : 0;
        return new RefRecord(id, messageId, queueId, sequence, deliveryCount, uncharged, redeliverAt, firstDeliveredAt);
    }

    /**
     * A QUEUED record's payload. Its array keeps {@code QUEUED_DELIVERED_HEADER_LENGTH - QUEUED_HEADER_LENGTH} bytes
     * in front of it, so that a first delivery in the same batch turns it into a QUEUED_DELIVERED record in place
     * ({@link #queuedDelivered}) instead of copying the message into a new one (half the bytes a broker allocated
     * per message that a waiting consumer took at once).
     */
    static ByteBuffer encodeQueued(long queueId, long sequence, int deliveryCount, long redeliverAt, byte[] message) {
        byte[] record = new byte[QUEUED_DELIVERED_HEADER_LENGTH + message.length];
        System.arraycopy(message, 0, record, QUEUED_DELIVERED_HEADER_LENGTH, message.length);
        int spare = QUEUED_DELIVERED_HEADER_LENGTH - QUEUED_HEADER_LENGTH;
        ByteBuffer b = ByteBuffer.wrap(record, spare, QUEUED_HEADER_LENGTH + message.length).slice();
        b.putLong(queueId).putLong(sequence).putInt(deliveryCount).putLong(redeliverAt);
        return b.clear();
    }

    /**
     * The QUEUED_DELIVERED payload of a message whose QUEUED payload {@code queued} (from {@link #encodeQueued}) was
     * not written yet: the same array, the header rewritten over the bytes kept in front.
     */
    static ByteBuffer queuedDelivered(ByteBuffer queued, long queueId, long sequence, int deliveryCount,
            long redeliverAt, long firstDeliveredAt) {
        ByteBuffer b = ByteBuffer.wrap(queued.array());
        b.putLong(queueId).putLong(sequence).putInt(deliveryCount).putLong(redeliverAt).putLong(firstDeliveredAt);
        return b.clear();
    }

    /** Whether records of {@code userType} hold a message standing in one queue (QUEUED or QUEUED_DELIVERED). */
    static boolean isQueued(byte userType) {
        return userType == QUEUED || userType == QUEUED_DELIVERED;
    }

    /** Where the message starts in a record of a {@link #isQueued queued} type. */
    static int queuedHeaderLength(byte userType) {
        return userType == QUEUED_DELIVERED ? QUEUED_DELIVERED_HEADER_LENGTH : QUEUED_HEADER_LENGTH;
    }

    /**
     * A QUEUED or QUEUED_DELIVERED record read back, its delivery state still as first written (see
     * {@link #DELIVERY}).
     */
    static StoredRef decodeQueued(long id, byte userType, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        long queueId = b.getLong();
        long sequence = b.getLong();
        int deliveryCount = b.getInt();
        long redeliverAt = b.getLong();
        long firstDeliveredAt = userType == QUEUED_DELIVERED ? b.getLong() : 0;
        byte[] message = new byte[b.remaining()];
        b.get(message);
        return new StoredRef(id, id, queueId, sequence, deliveryCount, 0, redeliverAt, firstDeliveredAt, false,
                message);
    }

    /**
     * A DELIVERY record: {@link #DELIVERY_LENGTH} bytes, and the uncharged count after them when there is one (a
     * broker that wrote none, or an older one, reads as none: the records before this field are unchanged).
     */
    static ByteBuffer encodeDelivery(long queuedId, int deliveryCount, int uncharged, long redeliverAt,
            long firstDeliveredAt) {
        ByteBuffer b = ByteBuffer.allocate(DELIVERY_LENGTH + (uncharged > 0 ? 4 : 0)).putLong(queuedId)
                .putInt(deliveryCount).putLong(redeliverAt).putLong(firstDeliveredAt);
        if (uncharged > 0) {
            b.putInt(uncharged);
        }
        return b.flip();
    }

    /** {@code queued} with the delivery state of its DELIVERY record {@code payload}. */
    static StoredRef withDelivery(StoredRef queued, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        int uncharged = b.limit() >= DELIVERY_LENGTH + 4 ? b.getInt(DELIVERY_LENGTH) : 0;
        return new StoredRef(queued.refId(), queued.messageId(), queued.queueId(), queued.sequence(), b.getInt(8),
                uncharged, b.getLong(12), b.getLong(20), true, queued.message());
    }

    static ByteBuffer encode(DuplicateIdRecord d) {
        byte[] name = utf8(d.destination().name());
        byte[] dup = utf8(d.duplicateId());
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + name.length + dup.length + 8);
        b.put((byte) d.destination().kind().code());
        putString(b, name);
        putString(b, dup);
        b.putLong(d.seenAt());
        return b.flip();
    }

    static DuplicateIdRecord decodeDuplicate(long id, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        Address.Kind kind = Address.Kind.fromCode(b.get());
        String name = getString(b);
        String dup = getString(b);
        return new DuplicateIdRecord(id, new Address(kind, name), dup, b.getLong());
    }

    static ByteBuffer encode(RetainedRecord r) {
        byte[][] strings = {utf8(r.messageId()), utf8(r.key()), utf8(r.lifecycle())};
        ByteBuffer b = ByteBuffer.allocate(8 * 4 + 1 + 4 + stringsLength(strings) + r.message().length);
        b.putLong(r.queueId()).putLong(r.sequence()).putLong(r.leftAt()).putLong(r.sentAt()).put(r.outcome())
                .putInt(r.deliveryCount());
        for (byte[] s : strings) {
            putString(b, s);
        }
        return b.put(r.message()).flip();
    }

    /** A RETAINED record; with {@code whole} false without its lifecycle and message (a summary). */
    static RetainedRecord decodeRetained(long id, ByteBuffer payload, boolean whole) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        long queueId = b.getLong();
        long sequence = b.getLong();
        long leftAt = b.getLong();
        long sentAt = b.getLong();
        byte outcome = b.get();
        int deliveryCount = b.getInt();
        String messageId = getString(b);
        String key = getString(b);
        if (!whole) {
            int lifecycleLength = b.getInt();
            int size = b.remaining() - Math.max(0, lifecycleLength);
            return new RetainedRecord(id, queueId, sequence, leftAt, sentAt, outcome, deliveryCount, messageId, key,
                    size, null, null);
        }
        String lifecycle = getString(b);
        byte[] message = new byte[b.remaining()];
        b.get(message);
        return new RetainedRecord(id, queueId, sequence, leftAt, sentAt, outcome, deliveryCount, messageId, key,
                message.length, lifecycle, message);
    }

    static ByteBuffer encode(HeuristicRecord h) {
        return ByteBuffer.allocate(1 + 8 + h.xid().length).put((byte) (h.committed() ? 1 : 2)).putLong(h.decidedAt())
                .put(h.xid()).flip();
    }

    static HeuristicRecord decodeHeuristic(long id, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.BIG_ENDIAN);
        boolean committed = b.get() == 1;
        long at = b.getLong();
        byte[] xid = new byte[b.remaining()];
        b.get(xid);
        return new HeuristicRecord(id, xid, committed, at);
    }

    /** What the broker keeps with a prepared XA branch: when it was prepared and its Xid. */
    public static byte[] encodeBranch(long preparedAt, byte[] xid) {
        return ByteBuffer.allocate(1 + 8 + xid.length).put(BRANCH_VERSION).putLong(preparedAt).put(xid).array();
    }

    /**
     * The payload of a half-message's prepare: as {@link #encodeBranch}, followed by the message, so that the
     * broker can show it to the producer's checker after a restart.
     */
    public static byte[] encodeHalfBranch(long preparedAt, byte[] xid, byte[] message) {
        return ByteBuffer.allocate(1 + 8 + 4 + xid.length + message.length).put(HALF_BRANCH_VERSION)
                .putLong(preparedAt).putInt(xid.length).put(xid).put(message).array();
    }

    /** @throws IllegalArgumentException for a payload of another version */
    public static long branchPreparedAt(byte[] payload) {
        checkBranch(payload);
        return ByteBuffer.wrap(payload).getLong(1);
    }

    public static byte[] branchXid(byte[] payload) {
        checkBranch(payload);
        if (payload[0] == HALF_BRANCH_VERSION) {
            int length = ByteBuffer.wrap(payload).getInt(9);
            return java.util.Arrays.copyOfRange(payload, 13, 13 + length);
        }
        return java.util.Arrays.copyOfRange(payload, 9, payload.length);
    }

    /** The half-message a branch's payload carries, or null for an XA branch. */
    public static byte[] branchHalfMessage(byte[] payload) {
        checkBranch(payload);
        if (payload[0] != HALF_BRANCH_VERSION) {
            return null;
        }
        int length = ByteBuffer.wrap(payload).getInt(9);
        return java.util.Arrays.copyOfRange(payload, 13 + length, payload.length);
    }

    private static void checkBranch(byte[] payload) {
        boolean known = payload.length >= 9 && (payload[0] == BRANCH_VERSION
                || (payload[0] == HALF_BRANCH_VERSION && payload.length >= 13
                    && ByteBuffer.wrap(payload).getInt(9) >= 0 && ByteBuffer.wrap(payload).getInt(9) <= payload.length - 13));
        if (!known) {
            throw new IllegalArgumentException("not a prepared branch of this broker version (" + payload.length
                    + " bytes, version " + (payload.length > 0 ? payload[0] : -1) + ")");
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int stringsLength(byte[][] strings) {
        int n = 0;
        for (byte[] s : strings) {
            n += 4 + (s == null ? 0 : s.length);
        }
        return n;
    }

    private static void putString(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putInt(-1);
        } else {
            b.putInt(s.length).put(s);
        }
    }

    private static String getString(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
