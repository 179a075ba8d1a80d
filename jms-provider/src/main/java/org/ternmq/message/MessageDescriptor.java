package org.ternmq.message;

/**
 * Layout of an encoded message. All integers are big-endian. A message is written once by the producer and
 * then stored and forwarded unchanged; the broker reads only the fixed and variable headers eagerly.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |    version    |   body type   |     flags     |   priority    |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                       timestamp (i64, ms)                     |  4
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 expiration (i64, ms, 0 = never)               | 12
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             delivery time (i64, ms, 0 = immediately)          | 20
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    group seq (i32, JMSXGroupSeq)              | 28
 *  +---------------------------------------------------------------+
 *  |                 variable header length (i32)                  | 32
 *  +---------------------------------------------------------------+
 *  |                    properties length (i32)                    | 36
 *  +---------------------------------------------------------------+
 *  |                       body length (i32)                       | 40
 *  +---------------------------------------------------------------+ 44 = FIXED_HEADER_LENGTH
 *  |  variable header: destination kind (u8), destination name     |
 *  |  (string), message id (string?), [reply-to kind (u8), name    |
 *  |  (string)] if FLAG_REPLY_TO, correlation id (block?: UTF-8    |
 *  |  unless FLAG_CORRELATION_ID_BYTES), JMSType (string?),         |
 *  |  group id (string?), duplicate id (string?)                   |
 *  +---------------------------------------------------------------+
 *  |  properties: count (i32), then count x [name (string),        |
 *  |  typed value]; only NULL, BOOLEAN, BYTE, SHORT, INT, LONG,    |
 *  |  FLOAT, DOUBLE and STRING tags                                |
 *  +---------------------------------------------------------------+
 *  |  body, by body type:                                          |
 *  |   MESSAGE: empty                                              |
 *  |   TEXT:    null flag (u8: 0 null, 1 present), UTF-8 bytes     |
 *  |   BYTES:   raw bytes                                          |
 *  |   MAP:     count (i32), count x [name (string), typed value]  |
 *  |   STREAM:  typed values up to the end of the body             |
 *  |   OBJECT:  null flag (u8), Java-serialized bytes              |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A <em>string</em> is a length (i32) and that many UTF-8 bytes; a <em>string?</em> or <em>block?</em>
 * may have length -1 for null. A <em>typed value</em> is a tag (u8, the {@code TAG_} constants) followed by:
 * nothing (NULL), u8 0/1 (BOOLEAN), i8, i16, u16 (CHAR), i32, i64, IEEE-754 bits in i32/i64 (FLOAT/DOUBLE),
 * a string (STRING) or a non-null block (BYTES).
 *
 * <p>The group id, group seq and duplicate id are copies of the properties {@code JMSXGroupID},
 * {@code JMSXGroupSeq} and {@code JMS_TERN_DuplicateID}, so that the broker reaches them without decoding
 * properties. The delivery count is not in the encoded message: it changes per delivery while the bytes
 * never do, so the broker keeps it beside them.
 */
public final class MessageDescriptor {

    /** The only format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int BODY_TYPE_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int PRIORITY_OFFSET = 3;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int EXPIRATION_OFFSET = 12;
    public static final int DELIVERY_TIME_OFFSET = 20;
    public static final int GROUP_SEQ_OFFSET = 28;
    public static final int VARIABLE_HEADER_LENGTH_OFFSET = 32;
    public static final int PROPERTIES_LENGTH_OFFSET = 36;
    public static final int BODY_LENGTH_OFFSET = 40;
    public static final int FIXED_HEADER_LENGTH = 44;

    /** The message is persistent (JMS {@code DeliveryMode.PERSISTENT}). */
    public static final int FLAG_PERSISTENT = 0x01;
    /** A reply-to address follows the message id in the variable header. */
    public static final int FLAG_REPLY_TO = 0x02;
    /** The correlation id block holds raw bytes (set with {@code setJMSCorrelationIDAsBytes}). */
    public static final int FLAG_CORRELATION_ID_BYTES = 0x04;
    /**
     * A large message: the body section is only a reference, {@link #LARGE_BODY_LENGTH} bytes: the body's size
     * (i64) and its id (i64: the client's upload id on the way to the broker, the broker's body id after). The
     * body itself is sent, stored and delivered in chunks (protocol.md, "Large messages").
     */
    public static final int FLAG_LARGE = 0x08;
    /** Flags this version knows; any other bit set means a malformed message. */
    public static final int KNOWN_FLAGS = FLAG_PERSISTENT | FLAG_REPLY_TO | FLAG_CORRELATION_ID_BYTES | FLAG_LARGE;
    /** The length of a large message's body section: size (i64) and body id (i64). */
    public static final int LARGE_BODY_LENGTH = 16;

    public static final int MAX_PRIORITY = 9;

    public static final int TAG_NULL = 0;
    public static final int TAG_BOOLEAN = 1;
    public static final int TAG_BYTE = 2;
    public static final int TAG_SHORT = 3;
    public static final int TAG_CHAR = 4;
    public static final int TAG_INT = 5;
    public static final int TAG_LONG = 6;
    public static final int TAG_FLOAT = 7;
    public static final int TAG_DOUBLE = 8;
    public static final int TAG_STRING = 9;
    public static final int TAG_BYTES = 10;

    /** Property carrying the producer's duplicate-detection id, copied into the variable header. */
    public static final String DUPLICATE_ID_PROPERTY = "JMS_TERN_DuplicateID";
    /** Property naming the message group, copied into the variable header. */
    public static final String GROUP_ID_PROPERTY = "JMSXGroupID";
    /** Property giving the sequence number within the group, copied into the fixed header. */
    public static final String GROUP_SEQ_PROPERTY = "JMSXGroupSeq";

    private MessageDescriptor() {
    }
}
