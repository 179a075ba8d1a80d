package org.ternmq.broker.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import org.ternmq.message.EncodedMessage;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.ErrorResponse;
import org.ternmq.protocol.LargeBodyChunk;
import org.ternmq.protocol.LargeChunk;
import org.ternmq.protocol.LargePull;
import org.ternmq.protocol.Ok;

/**
 * The large-message traffic of one connection: bodies being uploaded (their chunks go to the store as they
 * arrive, each answered once written, so a client with a few chunks unanswered never makes the broker hold
 * more) and bodies being streamed to the client's consumers (one chunk read from the store per chunk of credit
 * the client grants). Whatever is left when the connection closes is let go: an unfinished upload's chunks are
 * deleted, a stream's hold on its body ends.
 *
 * <p>Owned by the agent thread, like its connection.
 */
final class LargeTransfers {

    private final BrokerConnection connection;
    private final LargeBodies bodies;
    private final Map<Long, LargeBodies.Body> uploads = new HashMap<>();
    private final Map<Long, Stream> streams = new HashMap<>();

    /** A body on its way to a consumer: the next chunk and the credit left. */
    private static final class Stream {
        final EncodedMessage message;
        final LargeBodies.Body body;
        int next;
        int credit;

        Stream(EncodedMessage message, LargeBodies.Body body) {
            this.message = message;
            this.body = body;
        }
    }

    LargeTransfers(BrokerConnection connection, LargeBodies bodies) {
        this.connection = connection;
        this.bodies = bodies;
    }

    /** A chunk (or the abandonment) of an upload; answered when the store has written it. */
    void chunk(LargeChunk r) {
        long corr = r.correlationId();
        if (r.abandons()) {
            LargeBodies.Body body = uploads.remove(r.uploadId());
            if (body != null) {
                bodies.drop(body);
            }
            connection.write(new Ok(corr));
            return;
        }
        LargeBodies.Body body = uploads.computeIfAbsent(r.uploadId(), id -> bodies.newBody());
        long chunkId = connection.agent.storeWriter().nextId();
        int index = body.count;
        body.addChunk(chunkId, r.data().length);
        connection.agent.storeWriter().store().addChunk(chunkId, body.id, index, r.data()).whenComplete(
                (ok, failure) -> connection.agent.execute(() -> connection.write(failure == null ? new Ok(corr)
                        : new ErrorResponse(corr, ErrorCode.RESOURCE_ALLOCATION,
                                "chunk of a large message not stored: " + failure))));
    }

    /**
     * The message of a finished upload: its body becomes known, and the message comes back naming the body.
     * The caller holds the body until the message is routed (or staged) and then calls {@link LargeBodies#release}.
     *
     * @throws BrokerException when no upload has that id, or its size disagrees with the message
     */
    EncodedMessage complete(EncodedMessage message) throws BrokerException {
        LargeBodies.Body body = uploads.remove(message.largeBodyId());
        if (body == null) {
            if (message.largeBodySize() != 0) {
                throw new BrokerException(ErrorCode.MESSAGE_FORMAT, "large message names upload "
                        + message.largeBodyId() + ", which this connection did not send");
            }
            body = bodies.newBody(); // an empty stream: no chunk came
        }
        if (body.size != message.largeBodySize()) {
            bodies.drop(body);
            throw new BrokerException(ErrorCode.MESSAGE_FORMAT, "large message says its body has "
                    + message.largeBodySize() + " bytes, its chunks had " + body.size);
        }
        bodies.register(body);
        body.holders++;
        return message.withLargeBodyId(body.id);
    }

    /** A large message goes to a consumer: its body is held until streamed, given up, or the connection closes. */
    void delivering(long deliveryId, EncodedMessage message) {
        LargeBodies.Body body = bodies.get(message);
        if (body != null) {
            body.holders++;
        }
        streams.put(deliveryId, new Stream(message, body));
    }

    /** The client grants credit for chunks of a delivery's body, or is done with it. */
    void pull(LargePull pull) {
        Stream s = streams.get(pull.deliveryId());
        if (s == null) {
            return;
        }
        if (pull.chunks() == LargePull.DONE) {
            finish(pull.deliveryId(), s);
            return;
        }
        s.credit += pull.chunks();
        if (s.body == null) {
            connection.write(new LargeBodyChunk(pull.deliveryId(), 0, true, null, "the body of large message "
                    + s.message.messageId() + " is missing from the store"));
            finish(pull.deliveryId(), s);
            return;
        }
        if (s.body.count == 0) {
            connection.write(new LargeBodyChunk(pull.deliveryId(), 0, true, new byte[0], null));
            finish(pull.deliveryId(), s);
            return;
        }
        while (s.credit > 0 && s.next < s.body.count) {
            byte[] data = connection.agent.storeWriter().store().readChunk(s.body.chunks[s.next]);
            boolean last = s.next == s.body.count - 1;
            if (data == null) {
                connection.write(new LargeBodyChunk(pull.deliveryId(), s.next, true, null,
                        "chunk " + s.next + " of large message " + s.message.messageId() + " is missing"));
                finish(pull.deliveryId(), s);
                return;
            }
            connection.write(new LargeBodyChunk(pull.deliveryId(), s.next, last, data, null));
            s.next++;
            s.credit--;
            if (last) {
                finish(pull.deliveryId(), s);
                return;
            }
        }
    }

    /** A delivery went back to its queue (rollback, recover, a closed consumer): its stream, if any, ends. */
    void returned(long deliveryId) {
        Stream s = streams.get(deliveryId);
        if (s != null) {
            finish(deliveryId, s);
        }
    }

    private void finish(long deliveryId, Stream s) {
        streams.remove(deliveryId);
        if (s.body != null) {
            bodies.release(s.message);
        }
    }

    /** The connection closed: unfinished uploads are deleted, streams let their bodies go. */
    void closed() {
        for (LargeBodies.Body body : uploads.values()) {
            bodies.drop(body);
        }
        uploads.clear();
        for (Map.Entry<Long, Stream> e : new ArrayList<>(streams.entrySet())) {
            finish(e.getKey(), e.getValue());
        }
    }
}
