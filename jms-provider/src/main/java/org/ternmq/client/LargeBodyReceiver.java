package org.ternmq.client;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.LargeBodyChunk;
import org.ternmq.protocol.LargePull;

/**
 * The body of one large delivery, still on the broker: {@link #writeTo} pulls it chunk by chunk, granting the
 * broker room for at most {@link #WINDOW} chunks at a time, so neither side ever holds the whole body.
 * The broker keeps the body for this delivery until it is read to the end, {@link #cancel}led, or the
 * connection closes.
 *
 * <p>Threads: {@link #writeTo} and {@link #cancel} from the application's threads (one at a time: the body is
 * read once); {@link #onChunk} and {@link #onLost} from the event loop.
 */
public final class LargeBodyReceiver {

    /** Chunks the broker may send ahead of the application's writes. */
    static final int WINDOW = 4;

    private final ClientConnection connection;
    private final long deliveryId;
    private final long size;
    private final BlockingQueue<LargeBodyChunk> chunks = new LinkedBlockingQueue<>();
    private volatile boolean started;
    private volatile boolean done;

    LargeBodyReceiver(ClientConnection connection, long deliveryId, long size) {
        this.connection = connection;
        this.deliveryId = deliveryId;
        this.size = size;
    }

    /** @return the body's size in bytes */
    public long size() {
        return size;
    }

    void onChunk(LargeBodyChunk chunk) {
        chunks.add(chunk);
    }

    void onLost(String why) {
        chunks.add(new LargeBodyChunk(deliveryId, -1, true, null, why));
    }

    /**
     * Writes the whole body to {@code out}, blocking until it is written.
     *
     * @throws ClientException when the body was read already, the broker cannot give it, or no chunk comes
     *     within the request timeout
     * @throws IOException from {@code out}: the rest of the body is abandoned
     */
    public synchronized void writeTo(OutputStream out) throws ClientException, IOException {
        if (started) {
            throw new ClientException(ErrorCode.ILLEGAL_STATE, "the body of this large message was read already"
                    + " (a large body is streamed once)");
        }
        started = true;
        boolean complete = false;
        try {
            connection.sendOneWay(new LargePull(deliveryId, WINDOW));
            long timeout = connection.requestTimeoutMillis();
            while (true) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                connection.readUntil(() -> !chunks.isEmpty(), deadline);
                LargeBodyChunk chunk = chunks.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (chunk == null) {
                    throw new ClientException(ErrorCode.INTERNAL, "no chunk of the large message's body within "
                            + timeout + " ms");
                }
                if (chunk.data() == null) {
                    throw new ClientException(ErrorCode.RESOURCE_ALLOCATION, "the body of the large message is not"
                            + " available: " + chunk.error());
                }
                out.write(chunk.data());
                if (chunk.last()) {
                    complete = true;
                    break;
                }
                connection.sendOneWay(new LargePull(deliveryId, 1));
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ErrorCode.INTERNAL, "interrupted while reading a large message's body", e);
        } finally {
            if (!complete) {
                cancel();
            }
            done = true;
            connection.forgetLarge(deliveryId);
        }
    }

    /**
     * Tells the broker the body is not wanted when nobody has started reading it: for the message's cleaner, when
     * the application dropped a received message without reading its body.
     */
    public void abandonIfUnread() {
        if (!started) {
            cancel();
        }
    }

    /** Tells the broker the rest of the body is not wanted (nothing when it was read to the end). */
    public void cancel() {
        if (!done) {
            done = true;
            connection.sendOneWay(new LargePull(deliveryId, LargePull.DONE));
            connection.forgetLarge(deliveryId);
        }
    }
}
