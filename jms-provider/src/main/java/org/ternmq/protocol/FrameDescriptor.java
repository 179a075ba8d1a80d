package org.ternmq.protocol;

/**
 * Layout of one frame on the wire. Every frame, in both directions, over TCP and in-VM alike:
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 length (bytes after this field)               |
 *  +---------------+-----------------------------------------------+
 *  |     type      |  body ...                                     |
 *  +---------------+                                               |
 *  |  requests and responses start their body with an 8-byte      |
 *  |  correlation id; one-way packets (deliveries, credits) do not |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Integers are big-endian. Strings are an int byte-length (-1 for null) followed by UTF-8 bytes.
 */
public final class FrameDescriptor {

    /** Size of the length prefix. */
    public static final int LENGTH_FIELD_SIZE = 4;
    /** Offset of the packet type, counted from the start of the frame. */
    public static final int TYPE_OFFSET = LENGTH_FIELD_SIZE;
    /** Smallest valid value of the length field: a frame holds at least its type byte. */
    public static final int MIN_LENGTH = 1;
    /** Default largest value of the length field a peer accepts (64 MiB). */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024 * 1024;

    /** Sent first by the client in its {@link Hello}; the broker refuses other magics. */
    public static final int MAGIC = 0x5445524E; // "TERN"
    /**
     * The protocol version this code speaks. 2: XA ({@code XaRequest}, {@code XaResponse}) and the broker's node id in {@code HelloOk}.
     * 3: half-messages ({@code HalfRequest}, {@code HalfCheck}). 4: a commit id in {@code Commit} and
     * {@code CommitOutcome}, for a commit whose answer a failover lost. 5: a resume key and a connection TTL in
     * {@code Hello} (a reconnecting client supersedes its old connection; heartbeats).
     */
    public static final int PROTOCOL_VERSION = 5;

    private FrameDescriptor() {
    }
}
