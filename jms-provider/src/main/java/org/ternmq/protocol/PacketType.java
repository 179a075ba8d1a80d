package org.ternmq.protocol;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;

/**
 * Every packet type with its wire code. The codes are part of the protocol: never renumber one, only add.
 */
public enum PacketType {
    HELLO(1, Hello::decode),
    SET_CLIENT_ID(2, SetClientId::decode),
    CREATE_SESSION(3, CreateSession::decode),
    CLOSE_SESSION(4, CloseSession::decode),
    CREATE_CONSUMER(5, CreateConsumer::decode),
    CLOSE_CONSUMER(6, CloseConsumer::decode),
    FLUSH_CONSUMER(7, FlushConsumer::decode),
    SEND(8, Send::decode),
    ACKNOWLEDGE(9, Acknowledge::decode),
    COMMIT(10, Commit::decode),
    ROLLBACK(11, Rollback::decode),
    RECOVER(12, Recover::decode),
    CREATE_BROWSER(13, CreateBrowser::decode),
    BROWSE_NEXT(14, BrowseNext::decode),
    CLOSE_BROWSER(15, CloseBrowser::decode),
    CREATE_TEMPORARY(16, CreateTemporary::decode),
    DELETE_TEMPORARY(17, DeleteTemporary::decode),
    UNSUBSCRIBE(18, Unsubscribe::decode),
    PING(19, Ping::decode),
    OK(20, Ok::decode),
    ERROR_RESPONSE(21, ErrorResponse::decode),
    HELLO_OK(22, HelloOk::decode),
    BROWSE_BATCH(23, BrowseBatch::decode),
    DELIVER(24, Deliver::decode),
    CREDIT(25, Credit::decode),
    DISCONNECT(26, Disconnect::decode),
    MANAGE(27, Manage::decode),
    MANAGE_RESULT(28, ManageResult::decode),
    DELIVERY_FAILURE(29, DeliveryFailure::decode),
    DELIVERY_STATE(30, DeliveryState::decode),
    CLOSE_CONNECTION(31, CloseConnection::decode),
    XA_REQUEST(32, XaRequest::decode),
    XA_RESPONSE(33, XaResponse::decode),
    HALF_REQUEST(34, HalfRequest::decode),
    HALF_CHECK(35, HalfCheck::decode),
    LARGE_CHUNK(36, LargeChunk::decode),
    LARGE_PULL(37, LargePull::decode),
    LARGE_BODY_CHUNK(38, LargeBodyChunk::decode),
    COMMIT_OUTCOME(39, CommitOutcome::decode);

    private static final PacketType[] BY_CODE = new PacketType[256];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final Function<ByteBuf, Packet> decoder;

    PacketType(int code, Function<ByteBuf, Packet> decoder) {
        this.code = code;
        this.decoder = decoder;
    }

    public int code() {
        return code;
    }

    /** @throws MalformedFrameException for an unknown code */
    public static PacketType fromCode(int code) {
        PacketType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (t == null) {
            throw new MalformedFrameException("unknown packet type " + code);
        }
        return t;
    }

    /**
     * Decodes a body of this type. The whole body must be consumed: trailing bytes mean the peer and we
     * disagree on the layout, which is treated as malformed rather than ignored.
     */
    public Packet decode(ByteBuf body) {
        Packet p = decoder.apply(body);
        if (body.isReadable()) {
            throw new MalformedFrameException(this + " has " + body.readableBytes() + " trailing bytes");
        }
        return p;
    }
}
