package org.ternmq.store;

/**
 * The journal met an I/O error (or a bug) and refuses every further write: every pending and later
 * future completes exceptionally with this exception, whose cause is the original error. Reads of
 * records written before the fence may still work. Only closing and reopening (recovery) clears it.
 */
public final class StoreFencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreFencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
