package org.ternmq.store.format;

/**
 * The kinds of record a journal writes; the code is the byte stored at
 * {@link RecordDescriptor#TYPE_OFFSET}. Codes are part of the on-disk format: never renumber.
 */
public enum RecordType {
    /** A record id gets a payload. */
    ADD(1),
    /** A live record id gets a new payload (replay treats it like {@link #ADD}). */
    UPDATE(2),
    /** A record id stops being live. */
    DELETE(3),
    /** {@link #ADD} staged in a transaction; applied when its commit is replayed. */
    ADD_TX(4),
    /** {@link #UPDATE} staged in a transaction. */
    UPDATE_TX(5),
    /** {@link #DELETE} staged in a transaction. */
    DELETE_TX(6),
    /** The transaction in the id field is prepared; the payload is the XA Xid's bytes. */
    PREPARE(7),
    /** The transaction in the id field commits. */
    COMMIT(8),
    /** The transaction in the id field rolls back. */
    ROLLBACK(9),
    /** The writer moved to the next segment; nothing valid follows in this one. */
    END_OF_SEGMENT(10),
    /**
     * The id field is the highest record or transaction id the journal may have handed out: recovery
     * resumes above it, so no id is ever handed out twice (format version 2). Never live; the newest
     * segment always holds one at least as high as any id handed out (see {@code IdSequence}).
     */
    ID_BLOCK(11);

    private static final RecordType[] BY_CODE = new RecordType[16];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type for {@code code}, or {@code null} when the byte is not a known type (a damaged record). */
    public static RecordType fromCode(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether the record stages a change inside a transaction. */
    public boolean isTransactional() {
        return this == ADD_TX || this == UPDATE_TX || this == DELETE_TX;
    }

    /** Whether the record gives its id a payload (an add or update, in a transaction or not). */
    public boolean isPut() {
        return this == ADD || this == UPDATE || this == ADD_TX || this == UPDATE_TX;
    }

    /** Whether the record's id field names a transaction rather than a record. */
    public boolean isTransactionControl() {
        return this == PREPARE || this == COMMIT || this == ROLLBACK;
    }
}
