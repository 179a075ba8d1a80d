package org.ternmq.broker.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one message in a queue whose policy retains history: one line per event (sent, each
 * delivery, how it left), kept on its {@link MessageRef} while it waits and written with its
 * {@link org.ternmq.broker.persistence.RetainedRecord} when it leaves. Deliveries beyond
 * {@value #MAX_DELIVERIES} are counted, not listed, so a poison message cannot grow it without bound.
 *
 * <p>Owned by the agent thread.
 */
final class Lifecycle {

    static final int MAX_DELIVERIES = 16;

    private final List<String> lines = new ArrayList<>(4);
    private int deliveriesLeftOut;

    private void add(long at, String event) {
        lines.add(Instant.ofEpochMilli(at) + " " + event);
    }

    void sent(long at, String by) {
        add(at, "sent by " + by);
    }

    void delivered(long at, int attempt, long consumerId, String connection) {
        if (attempt > MAX_DELIVERIES) {
            deliveriesLeftOut++;
            return;
        }
        add(at, "delivered (attempt " + attempt + ") to consumer " + consumerId + " of " + connection);
    }

    void left(long at, String how) {
        if (deliveriesLeftOut > 0) {
            lines.add("(" + deliveriesLeftOut + " further deliveries not listed)");
            deliveriesLeftOut = 0;
        }
        add(at, how);
    }

    /** The events, one a line. */
    String text() {
        return String.join("\n", lines);
    }
}
