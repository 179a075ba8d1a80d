package org.ternmq.protocol;

/** The XA calls an {@link XaRequest} carries; the codes are part of the protocol: never renumber. */
public enum XaOperation {
    /** Associates the session with a branch ({@code TMNOFLAGS}, {@code TMJOIN}, {@code TMRESUME}). */
    START(1),
    /** Ends the session's association ({@code TMSUCCESS}, {@code TMFAIL}, {@code TMSUSPEND}). */
    END(2),
    /** Prepares a branch: durable when answered; answers {@code XA_OK} or {@code XA_RDONLY}. */
    PREPARE(3),
    /** Commits a branch; {@code TMONEPHASE} in the flags for a branch that was not prepared. */
    COMMIT(4),
    ROLLBACK(5),
    /** Lists prepared and heuristically completed branches ({@code TMSTARTRSCAN} / {@code TMENDRSCAN}). */
    RECOVER(6),
    /** Forgets a heuristically completed branch. */
    FORGET(7);

    private final int code;

    XaOperation(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** @throws MalformedFrameException for an unknown code */
    public static XaOperation fromCode(int code) {
        for (XaOperation op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        throw new MalformedFrameException("unknown XA operation " + code);
    }
}
