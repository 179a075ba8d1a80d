package org.ternmq.store;

/**
 * The lengths of the frames the appender wrote last, by location: a direct-mapped table of {@value #SLOTS} slots, a
 * later frame taking the slot of an earlier one that hashes alike. The journal's state needs the length of a
 * record's current frame when a delete or an update releases it ({@link JournalState.FrameLengths}); the index keeps
 * only locations, and without this table every such release read four bytes from the segment file, a system call
 * per acknowledged message. Most releases come soon after the write (a message consumed as it arrives), so they are
 * answered here; the others still read the file.
 *
 * <p>Locations are never reused (segment sequences only grow), so a hit is always the length of that very frame.
 * Appender thread only. About 96 KiB.
 */
final class RecentFrameLengths {

    static final int SLOTS = 8192;

    private final long[] locations = new long[SLOTS];
    private final int[] lengths = new int[SLOTS];

    /** Records the length of the frame written at {@code location} (never 0). */
    void put(long location, int length) {
        int i = slot(location);
        locations[i] = location;
        lengths[i] = length;
    }

    /** The length recorded for the frame at {@code location}, or -1 when it is not (or no longer) here. */
    int get(long location) {
        int i = slot(location);
        return locations[i] == location ? lengths[i] : -1;
    }

    private static int slot(long location) {
        // frame offsets are multiples of 8 and grow by frame sizes; mix the segment into the offset's bits
        long h = location * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 51) & (SLOTS - 1);
    }
}
