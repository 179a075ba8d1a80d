package org.ternmq.client;

import java.util.ArrayList;
import java.util.List;

import org.ternmq.message.EncodedMessage;
import org.ternmq.message.MalformedMessageException;
import org.ternmq.protocol.BrowseBatch;
import org.ternmq.protocol.BrowseNext;
import org.ternmq.protocol.CloseBrowser;
import org.ternmq.protocol.ErrorCode;
import org.ternmq.protocol.Packet;

/**
 * A browser over a snapshot of a queue, fetched batch by batch. For one application thread at a time.
 */
public final class ClientBrowser {

    private final ClientSession session;
    private final long id;
    private boolean done;
    private boolean closed;

    ClientBrowser(ClientSession session, long id) {
        this.session = session;
        this.id = id;
    }

    public long id() {
        return id;
    }

    /** @return whether the broker said no more messages follow */
    public boolean isDone() {
        return done || closed;
    }

    /** @return up to {@code max} next messages; empty once {@link #isDone()} */
    public List<EncodedMessage> next(int max) throws ClientException {
        if (isDone()) {
            return List.of();
        }
        ClientConnection connection = session.connection();
        Packet.Response response = connection.call(new BrowseNext(connection.nextCorrelationId(), id, max));
        if (!(response instanceof BrowseBatch batch)) {
            throw new ClientException(ErrorCode.INTERNAL, "unexpected answer to BrowseNext: " + response);
        }
        done = batch.done();
        List<EncodedMessage> messages = new ArrayList<>(batch.messages().size());
        for (byte[] bytes : batch.messages()) {
            try {
                messages.add(EncodedMessage.wrap(bytes));
            } catch (MalformedMessageException e) {
                throw new ClientException(ErrorCode.MESSAGE_FORMAT, "malformed message while browsing: " + e.getMessage(), e);
            }
        }
        return messages;
    }

    /** Idempotent. */
    public void close() throws ClientException {
        if (closed) {
            return;
        }
        closed = true;
        ClientConnection connection = session.connection();
        if (!session.isClosed() && connection.failure() == null) {
            connection.call(new CloseBrowser(connection.nextCorrelationId(), id));
        }
    }
}
