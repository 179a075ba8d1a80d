package org.ternmq.store;

/**
 * A record's place in the journal packed into one non-zero {@code long}: segment sequence in the high
 * 32 bits, byte offset in the low 32. Sequences start at 1, so a location is never 0 (the index's
 * "absent").
 */
final class Location {
    private Location() {
    }

    static long of(long segmentSequence, int offset) {
        return (segmentSequence << 32) | (offset & 0xFFFF_FFFFL);
    }

    static long segment(long location) {
        return location >>> 32;
    }

    static int offset(long location) {
        return (int) location;
    }

    static String toString(long location) {
        return segment(location) + ":" + offset(location);
    }
}
