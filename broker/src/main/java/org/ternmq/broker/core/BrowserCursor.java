package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.ternmq.message.EncodedMessage;

/**
 * A browser's view of a queue as it was when the browser was created: the messages on the heap, in delivery order,
 * then the paged-out ones, in arrival order. The heap ones are copied at once; of the paged ones only their store
 * ids are kept (8 bytes each), and each {@link #next} reads a bounded number of them from the store without paging
 * them in, so browsing a backlog larger than the heap neither fills the heap nor consumes anything. A paged message
 * consumed in the meantime is skipped.
 *
 * <p>Owned by the agent thread.
 */
final class BrowserCursor {

    /** Most paged refs one {@link #next} reads, matching or not, so a selector that matches nothing cannot hold the
     * agent thread for a whole backlog (the client asks again while not {@link #done}). */
    static final int MAX_PAGED_READ_PER_CALL = Pager.STEP_MESSAGES;

    private final List<byte[]> messages = new ArrayList<>();
    private int position;
    private long[] paged = new long[0];
    private int pagedPosition;
    private Pager pager;
    private Predicate<EncodedMessage> selects = m -> true;
    private LongSupplier clock = () -> 0;

    void add(MessageRef ref) {
        messages.add(ref.message.bytes());
    }

    /** The paged-out refs to show after the heap ones, read through {@code pager} as the client asks for them. */
    void addPaged(long[] refIds, Pager pager, Predicate<EncodedMessage> selects, LongSupplier clock) {
        this.paged = refIds;
        this.pager = pager;
        this.selects = selects;
        this.clock = clock;
    }

    List<byte[]> next(int max) {
        int wanted = Math.max(1, max);
        int end = Math.min(messages.size(), position + wanted);
        List<byte[]> batch = new ArrayList<>(messages.subList(position, end));
        position = end;
        int read = 0;
        while (batch.size() < wanted && pagedPosition < paged.length && read < MAX_PAGED_READ_PER_CALL) {
            int n = Math.min(Math.min(Pager.READ_BATCH, paged.length - pagedPosition), MAX_PAGED_READ_PER_CALL - read);
            long[] ids = java.util.Arrays.copyOfRange(paged, pagedPosition, pagedPosition + n);
            Pager.Peeked[] peeked = pager.peek(ids);
            long now = clock.getAsLong();
            int used = 0;
            for (Pager.Peeked p : peeked) {
                if (batch.size() >= wanted) {
                    break;
                }
                used++;
                if (p != null && !expired(p.message(), now) && selects.test(p.message())) {
                    batch.add(p.message().bytes());
                }
            }
            pagedPosition += used;
            read += used;
        }
        return batch;
    }

    static boolean expired(EncodedMessage message, long now) {
        long expiration = message.expiration();
        return expiration != 0 && expiration <= now;
    }

    boolean done() {
        return position >= messages.size() && pagedPosition >= paged.length;
    }
}
