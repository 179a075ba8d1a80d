package org.ternmq.broker.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ternmq.broker.persistence.MessageStore;
import org.ternmq.message.EncodedMessage;

/**
 * The bodies of large messages: each is a list of chunk records in the store; the heap holds only their ids.
 * A body counts its holders (references in queues, a send or commit routing it, a delivery streaming it);
 * when the last lets go its chunks are deleted. A body the count loses track of (an XA branch, a retained
 * copy) stays until the next start-up, which drops every chunk no stored message names.
 *
 * <p>Owned by the agent thread.
 */
final class LargeBodies {

    private static final Logger LOG = LoggerFactory.getLogger(LargeBodies.class);

    /** One body: its chunk record ids in order, its size and its holders. */
    static final class Body {
        final long id;
        long size;
        long[] chunks = new long[8];
        int count;
        int holders;

        Body(long id) {
            this.id = id;
        }

        void addChunk(long chunkId, int length) {
            if (count == chunks.length) {
                chunks = Arrays.copyOf(chunks, count * 2);
            }
            chunks[count++] = chunkId;
            size += length;
        }
    }

    private final MessageStore store;
    private final Map<Long, Body> bodies = new HashMap<>();
    /** Bodies whose holders ran out in this task: deleted at its end, unless a move took them up again. */
    private final java.util.List<Body> released = new java.util.ArrayList<>();

    LargeBodies(MessageStore store) {
        this.store = store;
    }

    /** A new body for an upload, not yet known to any message. */
    Body newBody() {
        return new Body(store.nextId());
    }

    /** A body a send completed: from now on messages name it. */
    void register(Body body) {
        bodies.put(body.id, body);
    }

    /** A body loaded at start-up. */
    void loaded(long bodyId, long[] chunkIds, long size, int holders) {
        Body body = new Body(bodyId);
        body.chunks = chunkIds;
        body.count = chunkIds.length;
        body.size = size;
        body.holders = holders;
        bodies.put(bodyId, body);
    }

    Body get(EncodedMessage message) {
        return message.isLarge() ? bodies.get(message.largeBodyId()) : null;
    }

    /** One more holder of the message's body (nothing for a message that is not large). */
    void hold(EncodedMessage message) {
        Body body = get(message);
        if (body != null) {
            body.holders++;
        }
    }

    /**
     * One holder fewer. The last one takes the chunks with it, at the end of the agent task ({@link #endTask}):
     * a move to a dead-letter or expiry queue lets go of the old reference before the new one holds the body,
     * and the chunks must be deleted after the records that name them, so a crash never leaves a stored
     * message without its body.
     */
    void release(EncodedMessage message) {
        Body body = get(message);
        if (body != null && --body.holders <= 0) {
            released.add(body);
        }
    }

    /** Deletes the bodies nothing holds any more. Called after the task's store batch is handed to the store. */
    void endTask() {
        if (released.isEmpty()) {
            return;
        }
        for (Body body : released) {
            if (body.holders <= 0 && bodies.remove(body.id, body)) {
                drop(body);
            }
        }
        released.clear();
    }

    /** Deletes the chunks of a body no message names (an abandoned upload, or the last holder gone). */
    void drop(Body body) {
        LOG.debug("large body {} ({} bytes, {} chunks) deleted", body.id, body.size, body.count);
        store.deleteChunks(body.chunks, body.count);
    }

    /** One line per body kept: id, size, chunks and holders (management's {@code list-large}). */
    java.util.List<String> list() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (Body b : bodies.values()) {
            lines.add("body " + b.id + ": " + b.size + " bytes in " + b.count + " chunks, " + b.holders + " holders");
        }
        java.util.Collections.sort(lines);
        return lines;
    }
}
