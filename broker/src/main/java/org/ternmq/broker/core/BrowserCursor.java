package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A browser's view of a queue: the messages it held, in delivery order, when the browser was created.
 *
 * <p>Owned by the agent thread.
 */
final class BrowserCursor {

    private final List<byte[]> messages = new ArrayList<>();
    private int position;

    void add(MessageRef ref) {
        messages.add(ref.message.bytes());
    }

    List<byte[]> next(int max) {
        int end = Math.min(messages.size(), position + Math.max(1, max));
        List<byte[]> batch = new ArrayList<>(messages.subList(position, end));
        position = end;
        return batch;
    }

    boolean done() {
        return position >= messages.size();
    }
}
